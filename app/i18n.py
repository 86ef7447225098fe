"""The page's languages: one message catalogue with English as the source and a data file per
other language (app/locales/LANG.yaml, read with the project's safe YAML loader: data, never code).

`tr(key, lang, **values)` gives a message of app/locales/en.yaml in a language, its {placeholders}
filled. Besides the messages, a language's file gives what the model names in English elsewhere:
the states', powers' and blocs' names (the world files hold the English ones), the month names, the
seven incentive terms (sim.core.vocabulary.TERM_LABELS), the event headlines and kinds
(sim.core.vocabulary.EVENTS), the factors the model's causes name (sim.core.rules.hazards), and the
worlds' and experiments' descriptions (app/catalog.py). Whatever a language leaves out is shown in
English; tests/app/test_i18n.py checks that French leaves out nothing.

Adding a language: copy app/locales/fr.yaml to LANG.yaml, translate it and add LANG to LANGUAGES.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from sim.core.data_yaml import load_file

LOCALES = Path(__file__).with_name("locales")
SOURCE = "en"
#: language code -> its name in that language (the switch's labels)
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
#: the sections of a language file besides `messages` (each a mapping, `months` a list of 12)
SECTIONS = ("names", "terms", "events", "kinds", "factors", "descriptions", "parameters", "months", "months_short")


class CatalogError(ValueError):
    """A language file that cannot be used."""


@dataclass(frozen=True)
class Language:
    """One language's texts: `messages` (key -> text) and the sections of SECTIONS."""

    code: str
    messages: Mapping[str, str]
    sections: Mapping[str, Any] = field(default_factory=dict)


def placeholders(text: str) -> set[str]:
    """The {names} a message fills ('{n} of {total}' -> {'n', 'total'})."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _read(code: str, directory: Path) -> Language:
    path = directory / f"{code}.yaml"
    data = load_file(path, f"Language file {path}") or {}
    if not isinstance(data, dict) or not isinstance(data.get("messages"), dict):
        raise CatalogError(
            f"error: language file {path}: it has no `messages` mapping. Give `messages:` with "
            f"one `key: text` line per key of {directory / (SOURCE + '.yaml')}."
        )
    bad = [k for k, v in data["messages"].items() if not isinstance(v, str)]
    if bad:
        raise CatalogError(
            f"error: language file {path}: messages {', '.join(map(str, bad[:5]))} are not text. "
            "Quote each message as a string."
        )
    return Language(code, dict(data["messages"]), {s: data[s] for s in SECTIONS if data.get(s) is not None})


class Catalog:
    """Every language's texts, read once from a directory of LANG.yaml files."""

    def __init__(self, directory: Path = LOCALES, languages: Mapping[str, str] = LANGUAGES):
        self.directory = directory
        self.languages = {code: _read(code, directory) for code in languages}
        self.source = self.languages[SOURCE]

    def text(self, key: str, lang: str = SOURCE, /, **values: object) -> str:
        """The message `key` in `lang` (English where `lang` lacks it), its placeholders filled."""
        if key not in self.source.messages:
            raise KeyError(f"no message {key!r} in {self.directory / (SOURCE + '.yaml')}")
        chosen = self.languages.get(lang, self.source).messages.get(key, self.source.messages[key])
        return chosen.format(**values) if values else chosen

    def section(self, name: str, lang: str) -> Any:
        """A section of SECTIONS in `lang` ({} or [] when the language has none)."""
        return self.languages.get(lang, self.source).sections.get(name, [] if name.startswith("months") else {})

    def name(self, code: str, english: str, lang: str, form: str = "name") -> str:
        """A state's, power's or bloc's name in `lang` (`english`, the world file's, where it has none).
        `form` is "name" (Russie), "the" (la Russie) or "of" (de la Russie); English has only one."""
        entry = self.section("names", lang).get(code)
        if entry is None:
            return english
        return entry if isinstance(entry, str) else str(entry.get(form) or entry["name"])


@functools.lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The app's catalogue (app/locales/)."""
    return Catalog()


def tr(key: str, lang: str = SOURCE, /, **values: object) -> str:
    """A message of app/locales/en.yaml in `lang`, with its {placeholders} filled from `values`."""
    return catalog().text(key, lang, **values)


def language(value: str | None) -> str:
    """A language code of LANGUAGES, English for anything else."""
    return value if value in LANGUAGES else SOURCE


def lang_from_query(query: str | None) -> str:
    """The `lang` of a page address's query string ('world=...&lang=fr' -> 'fr'), English without one."""
    return language(dict(parse_qsl((query or "").lstrip("?"))).get("lang"))


def month_name(date: str, lang: str = SOURCE) -> str:
    """'2024-06' -> 'June 2024' / 'juin 2024'."""
    months = catalog().section("months", lang) or catalog().section("months", SOURCE)
    return f"{months[int(date[5:7]) - 1]} {date[:4]}"


def short_month(date: str, lang: str = SOURCE) -> str:
    """'2024-06' -> 'Jun 2024' / 'juin 2024' (the charts' time axis)."""
    months = catalog().section("months_short", lang) or catalog().section("months_short", SOURCE)
    return f"{months[int(date[5:7]) - 1]} {date[:4]}"


def number(value: float, spec: str, lang: str = SOURCE) -> str:
    """A number formatted with `spec` ('+.2f') in the language's way: French uses a decimal comma
    and a narrow no-break space for thousands ('+0,76', '1 000')."""
    text = format(value, spec)
    if lang == "fr":
        text = text.replace(",", "\N{NARROW NO-BREAK SPACE}").replace(".", ",")
    return text


def term_label(term: str, english: str, lang: str = SOURCE) -> str:
    """An incentive term's label ('security value' / 'valeur sécuritaire')."""
    return str(catalog().section("terms", lang).get(term, english))


def kind_label(event_type: str, english: str, lang: str = SOURCE) -> str:
    """An event type in words ('coup' / "coup d'État")."""
    return str(catalog().section("kinds", lang).get(event_type, english))


def event_headline(event_type: str, english: str, lang: str = SOURCE) -> str:
    """An event type's headline template (sim.core.vocabulary.EVENTS' in English)."""
    return str(catalog().section("events", lang).get(event_type, english))


def factor_label(factor: str, lang: str = SOURCE) -> str:
    """A factor that a model's cause names ('weak legitimacy'), in `lang` where the file has it."""
    return str(catalog().section("factors", lang).get(factor, factor))


def description(name: str, english: str, lang: str = SOURCE) -> str:
    """A world's or an experiment's description in `lang` (English where the file has none)."""
    return str(catalog().section("descriptions", lang).get(name, english))


@dataclass(frozen=True)
class WorldNames:
    """A world's states, powers and blocs named in one language (code -> name). `powers_the` and
    `blocs_the` are the forms a sentence uses as its subject ('la Russie'), `*_of` the forms after
    'of' ('de la Russie'); in English all three are the world file's name."""

    states: dict[str, str]
    powers: dict[str, str]
    powers_the: dict[str, str]
    powers_of: dict[str, str]
    blocs: dict[str, str]
    blocs_the: dict[str, str]
    blocs_of: dict[str, str]


def world_names(world: Any, lang: str = SOURCE) -> WorldNames:
    """The names of a sim.core.world.World's states, powers and blocs in `lang`."""
    cat = catalog()

    def named(codes: Any, english: Any, form: str) -> dict[str, str]:
        return {c: cat.name(c, e, lang, form) for c, e in zip(codes, english, strict=True)}

    blocs = list(world.blocs)
    return WorldNames(
        states=named(world.states, world.state_names, "name"),
        powers=named(world.powers, world.power_names, "name"),
        powers_the=named(world.powers, world.power_names, "the"),
        powers_of=named(world.powers, world.power_names, "of"),
        blocs=named(blocs, blocs, "name"),
        blocs_the=named(blocs, blocs, "the"),
        blocs_of=named(blocs, blocs, "of"),
    )
