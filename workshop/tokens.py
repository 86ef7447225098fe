"""The access tokens of a game: one per team (its join link), one for the facilitator and one for the
projector (a link that opens only the public projector page, app/projector.py), stored in
GAME_DIR/tokens.json, readable and writable by its owner only (mode 0600), never in game.json.

A token is `secrets.token_urlsafe(TOKEN_BYTES)`: unguessable, and safe in a URL. `role_of` compares a
given token with every stored one in constant time (hmac.compare_digest, all compared, no early
exit), so the answer's timing says nothing about how close a guess was. Nothing here logs or
prints a token; error messages name the file, never its content.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from workshop.errors import WorkshopError

TOKENS_FILE = "tokens.json"
TOKENS_FORMAT = "sahel-workshop-tokens/1"
#: Random bytes per token (32 bytes: 43 URL-safe characters, 256 bits).
TOKEN_BYTES = 32
#: The role of the facilitator's token (a team's role is its name).
FACILITATOR = "facilitator"
#: The projector's link is named so in lists of links (it is no role: see Tokens.is_projector).
PROJECTOR = "projector"
FILE_MODE = 0o600


@dataclass(frozen=True)
class Tokens:
    """The tokens of one game: team name -> token, the facilitator's and the projector's ('' in a
    tokens file older than the projector: `create_tokens` adds it)."""

    facilitator: str
    teams: dict[str, str] = field(default_factory=dict)
    projector: str = ""

    def role_of(self, given: str | None) -> str | None:
        """FACILITATOR, a team's name, or None: whose token `given` is (constant-time comparisons)."""
        if not given:
            return None
        probe = given.encode("utf-8", "replace")
        found: str | None = None
        for role, token in [(FACILITATOR, self.facilitator), *self.teams.items()]:
            if hmac.compare_digest(probe, token.encode("utf-8")) and found is None:
                found = role
        return found

    def is_projector(self, given: str | None) -> bool:
        """Whether `given` is the projector's token (constant time). It is no role: it opens the
        projector page only, never a team's or the facilitator's."""
        if not given or not self.projector:
            return False
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.projector.encode("utf-8"))


def new_token() -> str:
    """A fresh unguessable token, safe in a URL."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def tokens_path(game_dir: Path | str) -> Path:
    return Path(game_dir) / TOKENS_FILE


def create_tokens(game_dir: Path | str, teams: Sequence[str]) -> Tokens:
    """Make a token for each team, the facilitator and the projector and store them (0600). An existing
    file is kept for the tokens it has (links already sent stay valid); missing ones are made."""
    try:
        old = load_tokens(game_dir)
    except WorkshopError:
        old = None
    tokens = Tokens(
        old.facilitator if old else new_token(),
        {t: (old.teams.get(t) if old and old.teams.get(t) else new_token()) for t in teams},
        old.projector if old and old.projector else new_token(),
    )
    if old is None or tokens != old:
        write_private(
            tokens_path(game_dir),
            json.dumps(
                {
                    "format": TOKENS_FORMAT,
                    "facilitator": tokens.facilitator,
                    "teams": tokens.teams,
                    "projector": tokens.projector,
                },
                indent=1,
            )
            + "\n",
        )
    return tokens


def load_tokens(game_dir: Path | str) -> Tokens:
    """The stored tokens. Raises WorkshopError (naming the file, never its content) if they are
    missing or damaged."""
    path = tokens_path(game_dir)
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags), "r", encoding="utf-8") as handle:
            data = json.loads(handle.read(64 * 1024))
    except FileNotFoundError:
        raise WorkshopError(
            f"The game in {Path(game_dir)} has no {TOKENS_FILE}: it was created before team links "
            f"existed. Open it on the facilitator page (it makes the links), or run "
            f"'python -m workshop links {Path(game_dir)}'."
        ) from None
    except (OSError, ValueError):
        raise WorkshopError(
            f"{path} cannot be read as the game's tokens: remove it and run 'python -m workshop "
            f"links {Path(game_dir)}' to make new links (the old ones stop working)."
        ) from None
    ok = (
        isinstance(data, dict)
        and data.get("format") == TOKENS_FORMAT
        and isinstance(data.get("facilitator"), str)
        and isinstance(data.get("teams"), dict)
        and all(isinstance(k, str) and isinstance(v, str) and v for k, v in data["teams"].items())
        and data["facilitator"]
        and isinstance(data.get("projector", ""), str)
    )
    if not ok:
        raise WorkshopError(
            f"{path} is not a tokens file of format {TOKENS_FORMAT}: remove it and run 'python -m "
            f"workshop links {Path(game_dir)}' to make new links (the old ones stop working)."
        )
    return Tokens(data["facilitator"], dict(data["teams"]), data.get("projector", ""))


def write_private(path: Path, text: str) -> None:
    """Write text to path with mode 0600 from the start (a temporary file in the same folder, fsync'd,
    then os.replace): no moment where another user could read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)  # whatever the umask did
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def team_link(base: str, game: str, token: str) -> str:
    """A team's join link: its page on the server at `base` (e.g. 'http://192.168.1.20:8765'), for the
    game `game` (its folder relative to the games root)."""
    return f"{base.rstrip('/')}/team?{urlencode({'game': game, 'token': token})}"


def facilitator_link(base: str, game: str, token: str) -> str:
    """The facilitator's link to one game's page on the server at `base`."""
    return f"{base.rstrip('/')}/workshop?{urlencode({'game': game, 'token': token})}"


def projector_link(base: str, game: str, token: str) -> str:
    """The projector's link: the game's public page (no secrets), for the screen the room sees."""
    return f"{base.rstrip('/')}/projector?{urlencode({'game': game, 'token': token})}"
