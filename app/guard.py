"""Refuse requests that do not come to this server under a name it serves: an ASGI middleware
around Solara's Starlette app that checks every request's `Host` header and every WebSocket
upgrade's (and every non-GET request's) `Origin` against an allow-list of `host:port` addresses.

Without it a web page the facilitator visits could drive the app from the browser: by DNS
rebinding (its own name made to point at 127.0.0.1, so the browser sends `Host: evil.example`) or
by opening a WebSocket to 127.0.0.1 from another site (cross-site WebSocket hijacking: the browser
sends that site's `Origin`). A request without an `Origin` is let through: browsers always send
one on a WebSocket upgrade, and programs such as curl are not a site the browser could be tricked
by. Starlette's TrustedHostMiddleware checks names only; this checks the port as well and answers
with a sentence naming the fix (`--allow-host`).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # starlette comes with the [app] extra; the address checks need none of it
    from starlette.responses import PlainTextResponse
    from starlette.types import ASGIApp, Receive, Scope, Send

#: The names every server answers to besides the address it listens on (this computer itself).
LOCAL_NAMES: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
#: Addresses that mean "every interface": the names of this computer are added for them.
ANY_ADDRESS: tuple[str, ...] = ("0.0.0.0", "::", "")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
#: Requests that cannot change anything; a foreign Origin on them is harmless (a link, an image).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _host_key(host: str) -> str:
    """A host name or address as compared: lower case, IPv6 without brackets, in its short form."""
    host = host.strip().lower().strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host.rstrip(".")


def split_address(text: str, default_port: int) -> tuple[str, int] | None:
    """('host', port) of 'host', 'host:port', '[v6]:port' or 'v6'; None if it is not an address."""
    text = text.strip()
    if not text or any(c in text for c in "/?#@ \t"):
        return None
    if text.count(":") > 1 and not text.startswith("["):  # a bare IPv6 address
        text = f"[{text}]"
    try:
        parts = urlsplit(f"//{text}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return _host_key(parts.hostname), port if port is not None else default_port


def machine_names() -> set[str]:
    """This computer's name and the addresses it is known by on the network (for a server listening
    on every interface): the host name, its addresses, and the address of the default route."""
    names = {socket.gethostname()}
    try:
        names.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None))
    except OSError:
        pass
    try:  # the address other computers reach: a UDP "connection" sends nothing, it only picks a route
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return {_host_key(n) for n in names if n}


def allowed_addresses(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[tuple[str, int]]:
    """The (host, port) pairs the server answers to: the address it listens on and this computer's
    local names at `port` (with this computer's network names when it listens on every interface),
    plus each `extra` entry ('name' at `port`, or 'name:port' for a port forwarded elsewhere).
    Raises ValueError naming an entry that is not an address."""
    names = {_host_key(host), *(_host_key(n) for n in LOCAL_NAMES)}
    if host.strip() in ANY_ADDRESS:
        names |= machine_names()
    allowed = {(n, port) for n in names if n not in ANY_ADDRESS}
    for entry in extra:
        parsed = split_address(entry, port)
        if parsed is None:
            raise ValueError(
                f"{entry!r} is not a host name or address (e.g. 192.168.1.20, classroom.local or classroom.local:8080)"
            )
        allowed.add(parsed)
    return frozenset(allowed)


def describe(allowed: Iterable[tuple[str, int]]) -> str:
    """The allow-list as people write addresses, e.g. '127.0.0.1:8765, localhost:8765'."""

    def text(host: str, port: int) -> str:
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    return ", ".join(text(h, p) for h, p in sorted(allowed, key=lambda a: (":" in a[0], a)))


class AddressGuard:
    """ASGI middleware: a request whose Host is not in `allowed` gets 400, a WebSocket upgrade or a
    non-GET request whose Origin is not in `allowed` gets 403, each with one sentence; other
    requests (and the lifespan) go to `app` unchanged."""

    def __init__(self, app: ASGIApp, allowed: Iterable[tuple[str, int]]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    def refusal(self, scope: Scope) -> PlainTextResponse | None:
        from starlette.responses import PlainTextResponse

        """The answer to a request that must be refused, or None to let it through."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        secure = scope.get("scheme") in ("https", "wss")
        host = split_address(headers.get("host", ""), 443 if secure else 80)
        if host not in self.allowed:
            return PlainTextResponse(
                f"Refused: this server answers to {describe(self.allowed)} only, not to the "
                f"Host {headers.get('host', '(none)')!r}. To open it under another name, start "
                f"it with --allow-host NAME.\n",
                status_code=400,
            )
        origin = headers.get("origin")
        if origin is None or (scope["type"] == "http" and scope.get("method", "GET") in SAFE_METHODS):
            return None
        parts = urlsplit(origin)
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
        except ValueError:
            port = 0
        if parts.scheme not in ("http", "https") or (_host_key(parts.hostname or ""), port) not in self.allowed:
            return PlainTextResponse(
                f"Refused: a page from {origin!r} may not use this server (only pages it "
                f"serves itself may). To allow another address, start it with --allow-host "
                f"NAME.\n",
                status_code=403,
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            response = self.refusal(scope)
            if response is not None:
                if scope["type"] == "websocket" and "websocket.http.response" not in scope.get("extensions", {}):
                    await send({"type": "websocket.close", "code": 1008})  # the server answers 403 itself
                else:
                    await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
