"""The message catalogue (app/i18n.py, app/locales/): every English message has a French one with
the same placeholders; French names every state, power and bloc of every world, every event type,
incentive term, factor of the model's causes, world and experiment; French typography is consistent;
and the helpers format names, dates, numbers and event texts as the page shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.catalog import experiments, worlds
from app.explain import UI_HELP_NAMES, lessons, lessons_html, parameter_docs, ui_help, weight_help
from app.i18n import (
    LANGUAGES,
    SOURCE,
    Catalog,
    CatalogError,
    catalog,
    lang_from_query,
    month_name,
    number,
    placeholders,
    tr,
    world_names,
)
from app.plain import headline_in, plain_cause
from sim.core.vocabulary import EVENTS, TERMS
from sim.core.world import load_world, scenario_path

ROOT = Path(__file__).resolve().parents[2]
FRENCH = catalog().languages["fr"]
ENGLISH = catalog().source
#: the factors the model's causes name (sim.core.rules.hazards, sim.core.phases)
HAZARD_SOURCES = [ROOT / "sim" / "core" / "rules" / "hazards.py", ROOT / "sim" / "core" / "phases.py"]


def _worlds():
    return [load_world(scenario_path(c.name)) for c in worlds()]


def _french_texts() -> list[str]:
    out = list(FRENCH.messages.values())
    for section in ("events", "kinds", "terms", "factors", "descriptions", "parameters"):
        out += [str(v) for v in FRENCH.sections[section].values()]
    return out


def test_every_message_has_a_french_entry_with_the_same_placeholders():
    assert set(FRENCH.messages) == set(ENGLISH.messages)
    differ = {
        k: (placeholders(ENGLISH.messages[k]), placeholders(FRENCH.messages[k]))
        for k in ENGLISH.messages
        if placeholders(ENGLISH.messages[k]) != placeholders(FRENCH.messages[k])
    }
    assert not differ
    untranslated = [
        k
        for k, text in ENGLISH.messages.items()
        if text == FRENCH.messages[k] and re.search(r"[a-z]{3,} [a-z]{3,}", re.sub(r"\{[^}]*\}", "", text))
    ]
    assert not untranslated  # the same long text in both is a message someone forgot to translate


def test_every_message_the_code_asks_for_exists():
    used = set()
    for path in (ROOT / "app").glob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([a-z_]+\.[A-Za-z_ .]+)["']""", path.read_text(encoding="utf-8")))
    assert used and not used - set(ENGLISH.messages)
    assert all(f"help.{name}" in ENGLISH.messages for name in UI_HELP_NAMES)


def test_french_names_every_state_power_and_bloc_of_every_world():
    names = FRENCH.sections["names"]
    for world in _worlds():
        missing = [c for c in [*world.states, *world.powers, *world.blocs] if c not in names]
        assert not missing, world.name
    for code in [*_worlds()[0].powers, *_worlds()[0].blocs]:  # powers and blocs have the three forms
        assert {"name", "the", "of"} <= set(names[code]), code
    french = world_names(load_world(scenario_path("sahel_2024")), "fr")
    assert french.states["TCD"] == "Tchad" and french.states["CIV"] == "Côte d'Ivoire"
    assert french.states["BEN"] == "Bénin" and french.powers["USA"] == "États-Unis"
    assert french.powers_the["RUS"] == "la Russie" and french.blocs["ECOWAS"] == "Cédéao"
    english = world_names(load_world(scenario_path("sahel_2024")), "en")
    assert english.states["TCD"] == "Chad" and english.powers_the["RUS"] == "Russia"


def test_french_covers_events_terms_factors_worlds_experiments_and_parameters():
    for event_type, kind in EVENTS.items():
        french = FRENCH.sections["events"][event_type]
        entities = {p.removesuffix("_of") for p in placeholders(french)}
        assert entities == placeholders(kind.headline), event_type
        assert event_type in FRENCH.sections["kinds"]
    assert set(FRENCH.sections["terms"]) == set(TERMS)
    factors = set()
    for path in HAZARD_SOURCES:
        factors |= set(re.findall(r'"([a-z][a-z ]+)": ', path.read_text(encoding="utf-8")))
    named_in_causes = {f for f in factors if " " in f or f in ("sanctions",)}
    assert named_in_causes and named_in_causes <= set(FRENCH.sections["factors"])
    assert {c.name for c in [*worlds(), *experiments()]} <= set(FRENCH.sections["descriptions"])
    knobs_and_terms = {key.rsplit(".", 1)[-1] for key in parameter_docs()} - {
        "troops_deployable",
        "conditionality",
        "regime_protection",
        "remote_security",
        "strain_volatility",
    }
    assert knobs_and_terms <= set(FRENCH.sections["parameters"])
    assert len(FRENCH.sections["months"]) == 12 and len(FRENCH.sections["months_short"]) == 12


def test_french_typography_is_consistent():
    """A no-break space before : ; ? ! % and inside « », never an ordinary space, never none."""
    for text in _french_texts():
        assert not re.search(r" [:;?!%»]|« ", text), text
        assert not re.search(r"[^\s\u00a0\u202f][;?!»]|\w[:%] ", text.replace("http:", "").replace("https:", "")), text


def test_tr_fills_placeholders_and_falls_back_to_english():
    assert tr("header.month", "fr", month=36) == "Mois 36"
    assert tr("header.month", "en", month=36) == "Month 36"
    assert tr("header.month", "xx", month=1) == "Month 1"  # an unknown language reads as English
    with pytest.raises(KeyError):
        tr("no.such.key")


def test_a_broken_language_file_is_refused_with_a_message(tmp_path):
    (tmp_path / "en.yaml").write_text("messages: {a: A}\n", encoding="utf-8")
    (tmp_path / "fr.yaml").write_text("messages: [a, b]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^error: language file .*fr.yaml.*messages"):
        Catalog(tmp_path, {"en": "English", "fr": "Français"})
    (tmp_path / "fr.yaml").write_text("messages: {a: !!python/object:os.system echo}\n", encoding="utf-8")
    with pytest.raises(Exception, match="python/object"):  # data only: the safe loader refuses tags
        Catalog(tmp_path, {"en": "English", "fr": "Français"})


def test_dates_numbers_and_the_language_of_an_address():
    assert month_name("2024-05", "fr") == "mai 2024" and month_name("2027-08", "fr") == "août 2027"
    assert month_name("2024-05") == "May 2024"
    assert number(0.76, "+.2f", "fr") == "+0,76" and number(1000.0, ",.0f", "fr") == "1\u202f000"
    assert number(0.76, "+.2f") == "+0.76"
    assert lang_from_query("?world=sahel_2024&lang=fr") == "fr"
    assert lang_from_query("lang=xx") == SOURCE and lang_from_query(None) == SOURCE
    assert set(LANGUAGES) == {"en", "fr"}


def test_event_texts_in_plain_french():
    cause = (
        "monthly risk 3.0% (weak legitimacy +1.19, years without a coup -0.50 in log-odds); "
        "success chance 23.0% (regime protection -0.80 in log-odds)"
    )
    assert plain_cause(cause) == (
        "An attempt had a chance of 3.0% this month (made likelier by weak legitimacy, "
        "made less likely by years without a coup); once tried, it had a chance of 23.0% "
        "to succeed (made less likely by regime protection)."
    )
    assert plain_cause(cause, "fr") == (
        "La tentative avait une probabilité de 3,0\u00a0% ce mois-ci (rendue plus forte par une légitimité faible, "
        "rendue plus faible par des années sans coup d'État)\u00a0; une fois lancée, elle avait une probabilité "
        "de réussite de 23,0\u00a0% (rendue plus faible par la protection du régime)."
    )
    names = world_names(load_world(scenario_path("sahel_2024")), "fr")
    codes = {"state": "NER", "power": "USA", "bloc": "", "base": ""}
    assert (
        headline_in("fr", "expel", "Niger orders the forces of United States out", codes, names)
        == "Niger\u00a0: ordre de départ aux forces des États-Unis"
    )
    assert (
        headline_in("fr", "deploy", "x", {**codes, "power": "RUS"}, names)
        == "Niger\u00a0: déploiement de troupes de la Russie"
    )
    assert (
        headline_in("fr", "bloc_leave", "x", {**codes, "bloc": "ECOWAS"}, names) == "Niger\u00a0: sortie de la Cédéao"
    )
    assert headline_in("fr", "aid_resume", "x", codes, names) == "Niger\u00a0: aide des États-Unis rétablie"
    assert (
        headline_in("en", "expel", "Niger orders the forces of United States out", codes, names)
        == "Niger orders the forces of United States out"
    )


def test_tooltips_and_lessons_in_french():
    assert (
        ui_help("Step", "fr") == "Fait avancer la simulation d'un mois."
        and ui_help("Step") == "Advance the run by one month."
    )
    assert weight_help("junta", "sovereignty", "fr").startswith("Coût d'une présence étrangère visible")
    assert "plage autorisée 0.0 .. 5.0" in weight_help("junta", "sovereignty", "fr")
    french = {lesson.number: lesson for lesson in lessons("fr")}
    assert french[1].lang == "fr" and french[1].path.parent.name == "fr" and french[1].title.startswith("Pourquoi")
    assert french[2].lang == SOURCE  # not translated yet: the English plan, marked as such
    html = lessons_html("fr")
    assert 'href="lessons/1?lang=fr"' in html and "(en anglais)" in html
    assert [lesson.path for lesson in lessons()] == sorted((ROOT / "docs" / "lessons").glob("[0-9][0-9]-*.md"))


def test_a_run_s_link_carries_the_language():
    from app.settings import scenario_defaults
    from app.share import from_query, to_query

    settings = scenario_defaults().with_seed(3)
    assert "lang=" not in to_query(settings, 4)
    french = to_query(settings, 4, "fr")
    assert french == to_query(settings, 4) + "&lang=fr"
    shared = from_query(french)
    assert shared.problems == () and shared.settings == settings and shared.month == 4
    assert lang_from_query(french) == "fr"
