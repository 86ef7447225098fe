"""Which actors' decisions players make instead of the rules (`Config.players`, set by a workshop
game with --teams-decide), as boolean masks over the world's states, blocs and powers."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from sim.core.params import ConfigError, PlayersConf
from sim.core.world import World


def player_masks(players: PlayersConf, world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(S,), (B,) and (P,) bool masks of the states, blocs and powers players decide for. An unknown
    code is a ConfigError naming the field and the codes of the world."""
    return _masks(
        tuple(players.states),
        tuple(players.blocs),
        tuple(players.powers),
        tuple(world.states),
        tuple(world.blocs),
        tuple(world.powers),
    )


@lru_cache(maxsize=64)
def _masks(
    states: tuple[str, ...],
    blocs: tuple[str, ...],
    powers: tuple[str, ...],
    world_states: tuple[str, ...],
    world_blocs: tuple[str, ...],
    world_powers: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out = []
    for field, codes, known in (
        ("states", states, world_states),
        ("blocs", blocs, world_blocs),
        ("powers", powers, world_powers),
    ):
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ConfigError(
                f"Configuration value players.{field} names {unknown[0]!r}, which the world does not "
                f"have: use codes among {', '.join(known)}. Fix the override or the game's settings."
            )
        mask = np.zeros(len(known), bool)
        mask[[known.index(c) for c in codes]] = True
        mask.setflags(write=False)
        out.append(mask)
    return out[0], out[1], out[2]
