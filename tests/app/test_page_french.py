"""The classroom page in French, in-process (solara.render, no browser): an address with lang=fr
opens it in French; the Français / English buttons switch every visible text (header, buttons,
cards, names, dates, events, the Why table's numbers) and the kept link carries the language."""

from __future__ import annotations

import time

import ipyvuetify as v
import solara
from solara.routing import Router, router_context

from app.page import Page


def _render(search: str = ""):
    @solara.component
    def At():
        router_context.provide(Router("/" + (f"?{search}" if search else ""), []))
        Page()

    _, rc = solara.render(At(), handle_error=False)
    return rc


def _texts(rc, css_class: str) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_=css_class).widgets]


def _html(rc, css_class: str) -> str:
    (widget,) = [w for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == css_class]
    return widget.unsafe_innerHTML


def _buttons(rc) -> set[str]:
    return {w.children[0] for w in rc.find(v.Btn).widgets if w.children and isinstance(w.children[0], str)}


def _kept_link(rc) -> str:
    (widget,) = [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "query")]
    return widget.query


def _cards(rc) -> set[str]:
    return {w.children[0] for w in rc.find(v.CardTitle).widgets if w.children and isinstance(w.children[0], str)}


def test_an_address_with_lang_fr_opens_the_page_in_french():
    rc = _render("lang=fr")
    try:
        assert _texts(rc, "sahel-title") == ["Influence au Sahel"]
        assert _texts(rc, "sahel-date") == ["mai 2024"] and _texts(rc, "sahel-month") == ["Mois 0"]
        assert {
            "Avancer",
            "Lecture",
            "Recommencer",
            "Plusieurs histoires",
            "Réglages",
            "Infos",
            "Projeter",
            "English",
            "Français",
        } <= _buttons(rc)
        assert not {"Step", "Play", "Reset"} & _buttons(rc)
        assert {
            "Scénario",
            "Poids des motivations",
            "Puissances étrangères",
            "État choisi",
            "Événements",
            "Séance de classe",
            "Télécharger cette simulation",
        } <= _cards(rc)
        assert "Rejoindre" in _buttons(rc) and "Join" not in _buttons(rc)
        (link,) = [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "query")]
        assert link.copy_label == "Copier le lien" and link.copied_label == "Lien copié"
        assert _texts(rc, "sahel-map-title") == ["Partenaires principaux, mai 2024"]
        facts = "".join(
            w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if "sahel-facts" in w.unsafe_innerHTML
        )
        assert "Partenaire principal" in facts and "Russie" in facts and "États-Unis 1\u202f000" in facts
        assert "junte, au pouvoir depuis" in facts and "Cédéao" in facts
        assert "lang=fr" in _kept_link(rc)
        for _ in range(4):
            rc.find(v.Btn, children=["Avancer"]).widget.click()
        assert _texts(rc, "sahel-date") == ["septembre 2024"] and _texts(rc, "sahel-month") == ["Mois 4"]
        feed = _html(rc, "sahel-events")
        assert "Niger\u00a0: les dernières forces des États-Unis sont parties" in feed
        assert "(prévu par le scénario)" in feed and "détail du modèle (en anglais)\u00a0: " in feed
        assert "septembre 2024" in feed and "The last United States forces leave Niger" not in feed
        why = _html(rc, "sahel-why-scroll")
        assert "Protection du régime" in why and "Russie" in why and "+1," in why and "+1." not in why
    finally:
        rc.close()


def test_the_language_buttons_switch_the_page_and_its_link():
    rc = _render()
    try:
        assert _texts(rc, "sahel-month") == ["Month 0"] and "Step" in _buttons(rc)
        assert "lang=" not in _kept_link(rc)
        rc.find(v.Btn, children=["Step"]).widget.click()
        rc.find(v.Btn, children=["Français"]).widget.click()
        assert _texts(rc, "sahel-month") == ["Mois 1"] and _texts(rc, "sahel-date") == ["juin 2024"]
        assert "Avancer" in _buttons(rc) and "Step" not in _buttons(rc)
        assert "Pourquoi\u00a0? Niger\u00a0: comment le gouvernement note chaque puissance, juin 2024" in _cards(rc)
        deadline = time.monotonic() + 10
        while "lang=fr" not in _kept_link(rc) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _kept_link(rc).endswith("&lang=fr") and "month=1" in _kept_link(rc)  # the same run, in French
        assert rc.find(v.Btn, children=["Français"]).widget.disabled
        rc.find(v.Btn, children=["English"]).widget.click()
        assert _texts(rc, "sahel-month") == ["Month 1"] and "Step" in _buttons(rc)
        assert "lang=" not in _kept_link(rc)
    finally:
        rc.close()


def test_many_history_sentences_in_french_say_what_the_english_ones_say():
    from app.ensemble import leader_table, run_ensemble, summary
    from app.settings import scenario_defaults

    ens = run_ensemble(scenario_defaults(), 3, 6)
    english, french = summary(ens, 6, "NER"), summary(ens, 6, "NER", lang="fr")
    assert len(english) == len(french) >= 3
    assert english[0].startswith("In ") and " leads Niger at month 6 (November 2024)" in english[0]
    assert (
        french[0].startswith("Niger\u00a0: dans ")
        and "est le partenaire principal au mois 6 (novembre 2024)" in french[0]
    )
    assert french[1].startswith("Part d'influence médiane au mois 6 (novembre 2024)")
    digits = [[c for c in s if c.isdigit()] for s in (english[0], french[0])]
    assert digits[0] == digits[1]  # the same counts, months and years in the same order
    assert all(s.startswith("Dans ") and " — " in s for s in french[2:])
    assert leader_table(ens, 6, "fr")[3][0] == "Tchad"
