"""The classroom page (Solara components). Everything a browser session owns lives in state made
inside `Page` (its run, its figures, its settings), so two browsers never share a run.

The page's address is the run's link: opening it restores that run and month, and the page
keeps it up to date (app/sharing.py, app/share.py). Controls edit a draft `Settings`; Reset builds
a new run from it. Picking a world or an experiment loads that scenario's values into the controls
and starts a new run at once.

`routes` serves this page at / and the workshop facilitator's page (app/facilitator.py) at /workshop,
each inside an error boundary (app/boundary.py).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from html import escape
from pathlib import Path

import solara

from analysis.colors import NO_POWER, power_color
from app.a11y import AltImage, LiveRegion, PageAccessibility, heading
from app.alttext import fan_alt
from app.boundary import guarded
from app.catalog import NO_EXPERIMENT, experiments, worlds
from app.classjoin import JoinCard, Membership
from app.classpage import class_routes
from app.ensemble import HISTORIES, Ensemble, event_matrix, leader_table, run_ensemble, share_quantiles, summary
from app.explain import info_markdown, knob_help, lessons_html, parameter_help, ui_help, weight_help
from app.facilitator import TITLE as FACILITATOR_TITLE
from app.facilitator import FacilitatorPage
from app.figures import fan_png
from app.frames import FrameMaker
from app.i18n import (
    LANGUAGES,
    SOURCE,
    WorldNames,
    description,
    kind_label,
    lang_from_query,
    term_label,
    tr,
    world_names,
)
from app.lessonpage import LessonPage, lesson_routes
from app.linechart import AffinityLineChart, ShareLineChart
from app.markup import event_table_html, events_html, facts_html, leader_table_html, settings_html, why_html
from app.pictures import MapPicture, PictureDownloads, use_map
from app.session import RunSession, filter_events, month_label
from app.settings import KNOBS, WEIGHT_RANGE, Settings, command_line, scenario_defaults
from app.share import to_query
from app.sharing import CopyLink, open_link
from sim.core.params import ConfigError
from sim.core.vocabulary import EVENT_TYPES, REGIMES, TERM_LABELS, TERMS, event_label
from sim.core.world import World, WorldError

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
PLAY_INTERVAL_S = 0.7  # one month every 0.7 s while playing (the default speed)
#: Play's speeds: the label's message key -> seconds between months
SPEED_KEYS = {"speed.slow": 2.0, "speed.normal": PLAY_INTERVAL_S, "speed.fast": 0.25, "speed.fastest": 0.1}
#: Play's speeds by their English labels, and the default one
SPEEDS = {tr(key): seconds for key, seconds in SPEED_KEYS.items()}
NORMAL_SPEED = tr("speed.normal")
RUN_TO_CHUNK = 12  # Run to month redraws the page after every year
ENSEMBLE_MONTH = 36  # the month the lessons' many-history statements speak of
#: the event filters' "all" choices: filter -> message key
ALL = {"state": "filter.all_states", "power": "filter.all_powers", "type": "filter.all_kinds"}
MAX_MONTHS = 600  # Play stops here (the longest run the configuration allows)
EVENTS_SHOWN: int | None = None  # the feed keeps every event of the run
DEFAULT_STATE = "NER"
CHARTS = {"share": "chart.share_pick", "affinity": "chart.affinity_pick"}  # chart -> its button's message


def print_button(lang: str = SOURCE) -> str:
    """A button that opens the browser's print dialog (the page's print CSS makes the handout)."""
    return (
        f'<button type="button" class="sahel-print-btn" onclick="window.print()" '
        f'title="{escape(ui_help("Print handout", lang))}">{escape(tr("print.button", lang))}</button>'
    )


def weight_label(term: str, lang: str = SOURCE) -> str:
    """An incentive weight's slider label: 'Security value'."""
    label = term_label(term, TERM_LABELS[term], lang)
    return label[0].upper() + label[1:]


APPLY_NOTE = tr("note.apply")
CHANGED_NOTE = tr("note.changed")


@solara.component
def Help(text: str, children: list | None = None):
    """Its children with a tooltip (shown on hover and on keyboard focus)."""
    with solara.Tooltip(text):
        solara.Div(children=children or [], classes=["sahel-help"])


@solara.component
def Knob(
    label: str, value: float, on_value: Callable[[float], None], low: float, high: float, step: float, help_text: str
):
    """A slider under its label, with its value written beside the label in large type; the label
    carries the parameter's documentation as a tooltip. The slider is given the label too: Vuetify
    makes it the slider's aria-label (its name for screen readers); the page's CSS hides Vuetify's
    own copy of the text."""
    with solara.Div(classes=["sahel-knob"]):
        with solara.Tooltip(help_text):
            with solara.Div(classes=["sahel-knob-head"]):
                solara.Text(label, classes=["sahel-knob-label"])
                solara.Text("i", classes=["sahel-i"])
                solara.Text(f"{value:g}", classes=["sahel-knob-value"])
        solara.SliderFloat(label, value=value, min=low, max=high, step=step, on_value=on_value)


@solara.component
def ScenarioCard(draft: solara.Reactive[Settings], pick: Callable[[str, str], None], lang: str = SOURCE):
    """World and experiment pickers, and the seed."""
    settings = draft.value
    world_choices, experiment_choices = solara.use_memo(lambda: (worlds(), experiments()), [])
    described = {c.name: description(c.name, c.description, lang) for c in [*world_choices, *experiment_choices]}
    with solara.Card(tr("card.scenario", lang)):
        with Help(ui_help("World", lang)):
            solara.Select(
                tr("select.world", lang),
                values=[c.name for c in world_choices],
                value=settings.world,
                on_value=lambda name: pick(name, settings.experiment),
            )
        solara.Text(described.get(settings.world, ""), classes=["sahel-note"])
        with Help(parameter_help("experiment", lang) + tr("help.experiment_starts", lang)):
            solara.Select(
                tr("select.experiment", lang),
                values=[c.name for c in experiment_choices],
                value=settings.experiment,
                on_value=lambda name: pick(settings.world, name),
            )
        solara.Text(described.get(settings.experiment, ""), classes=["sahel-note"])
        with Help(parameter_help("seed", lang) + tr("help.seed_applies", lang)):
            solara.InputInt(
                tr("input.seed", lang), value=settings.seed, on_value=lambda s: draft.set(draft.value.with_seed(s or 0))
            )


@solara.component
def WeightsCard(draft: solara.Reactive[Settings], lang: str = SOURCE):
    """The seven incentive weights, for civilian governments or for juntas."""
    regime = solara.use_reactive("junta")
    low, high, step = WEIGHT_RANGE
    with solara.Card(tr("card.weights", lang)):
        with Help(ui_help("Civilian governments", lang) + " " + ui_help("Juntas", lang)):
            solara.ToggleButtonsSingle(
                value=regime, children=[solara.Button(tr(f"regime.{r}", lang), value=r) for r in REGIMES]
            )
        for term in TERMS:
            Knob(
                weight_label(term, lang),
                draft.value.weights[regime.value][term],
                lambda v, t=term: draft.set(draft.value.with_weight(regime.value, t, v)),
                low,
                high,
                step,
                weight_help(regime.value, term, lang),
            )


@solara.component
def PowersCard(draft: solara.Reactive[Settings], names: dict[str, str], lang: str = SOURCE):
    """Budget factor, colonial baggage and overstretch of the power chosen above the sliders."""
    powers = list(draft.value.powers)
    power = solara.use_reactive(powers[0])
    code = power.value if power.value in powers else powers[0]  # another world may have other powers
    with solara.Card(tr("card.powers", lang)):
        with Help(ui_help("Power", lang)):
            solara.ToggleButtonsSingle(
                value=code,
                on_value=power.set,
                classes=["sahel-powers"],
                children=[
                    solara.Button(names.get(p, p), value=p, style={"box-shadow": f"inset 0 -6px 0 {power_color(p)}"})
                    for p in powers
                ],
            )  # the colour as a bar under dark text (the colours are too light for text)
        for knob, (low, high, step) in KNOBS.items():
            Knob(
                tr(f"knob.{knob}", lang),
                draft.value.powers[code][knob],
                lambda v, k=knob: draft.set(draft.value.with_knob(code, k, v)),
                low,
                high,
                step,
                knob_help(knob, lang),
            )


@solara.component
def Controls(
    draft: solara.Reactive[Settings],
    applied: solara.Reactive[Settings],
    pick: Callable[[str, str], None],
    names: dict[str, str],
    close: Callable[[], None],
    join: Callable[[], None] = lambda: None,
    lang: str = SOURCE,
):
    """The left column (a drawer on narrow screens): what the next run will use. `join` draws the
    class-session box at its top."""
    with solara.Column(classes=["sahel-controls"], gap="10px"):
        solara.Button(tr("controls.close", lang), outlined=True, on_click=close, classes=["sahel-drawer-close"])
        join()
        ScenarioCard(draft, pick, lang)
        solara.Text(tr("note.apply", lang), classes=["sahel-note"])
        WeightsCard(draft, lang)
        PowersCard(draft, names, lang)
        with Help(ui_help("Scenario values", lang)):
            solara.Button(
                tr("button.scenario_values", lang),
                outlined=True,
                on_click=lambda: draft.set(
                    scenario_defaults(draft.value.world, draft.value.experiment).with_seed(draft.value.seed)
                ),
            )
        with solara.Card(tr("card.command", lang)):
            solara.Text(command_line(applied.value), classes=["sahel-command"])


@solara.component
def Legend(powers: list[str], names: dict[str, str], lang: str = SOURCE):
    """What the map's colours and marks mean."""
    none = tr("legend.none", lang)
    with solara.Div(classes=["sahel-legend"]):
        for p in [*powers, NO_POWER]:
            with solara.Div():
                solara.Div(classes=["sahel-chip"], style={"background": power_color(p)})
                solara.Text(names.get(p, none) if p != NO_POWER else none)
        solara.Text(tr("legend.marks", lang))


@solara.component
def MapKey(codes: list[str], names: list[str]):
    """The states' codes on the map, with their names."""
    solara.Text(" · ".join(f"{c} {n}" for c, n in zip(codes, names, strict=True)), classes=["sahel-map-key"])


@solara.component
def StatePicker(codes: list[str], names: list[str], state: str, on_state: Callable[[str], None], lang: str = SOURCE):
    """Which state's details, affinities and scores to show (its own component: unchanged by a step)."""
    labels = dict(zip(names, codes, strict=True))
    with Help(ui_help("State", lang)):
        solara.Select(
            tr("select.state", lang),
            values=list(labels),
            value=next(k for k, v in labels.items() if v == state),
            on_value=lambda label: on_state(labels[label]),
        )


@solara.component
def MapTargets(
    maker: FrameMaker,
    path: object,
    world_name: str,
    codes: list[str],
    names: list[str],
    on_state: Callable[[str], None],
    lang: str = SOURCE,
):
    """A round button over each capital of the map picture: a click picks that state (the picture
    is a PNG; the buttons sit on it at the capitals' places, in percent, so they follow its size)."""
    spots = solara.use_memo(maker.capitals, [path, world_name])
    label = dict(zip(codes, names, strict=True))
    group = {"role": "group", "aria-label": tr("a11y.map_spots", lang)}
    with solara.Div(classes=["sahel-map-spots"], attributes=group):
        for code, left, top in spots:
            solara.Button(
                label[code],
                on_click=lambda c=code: on_state(c),
                classes=["sahel-map-spot"],
                style={"left": f"{left:.2f}%", "top": f"{top:.2f}%"},
            )


@solara.component
def EventFilters(world: World, filters: solara.Reactive[dict], lang: str = SOURCE):
    """Three pickers over the event feed: one state, one power, one kind of event (or all)."""
    named = world_names(world, lang)
    choices = {
        "state": {n: c for c, n in named.states.items()},
        "power": {n: c for c, n in named.powers.items()},
        "type": {kind_label(t, event_label(t), lang): t for t in EVENT_TYPES},
    }
    titles = {"state": tr("filter.state", lang), "power": tr("filter.power", lang), "type": tr("filter.type", lang)}
    with Help(ui_help("Filter events", lang)):
        with solara.Row(classes=["sahel-event-filters"]):
            for key, options in choices.items():
                every = tr(ALL[key], lang)
                shown = next((k for k, v in options.items() if v == filters.value[key]), every)
                solara.Select(
                    titles[key],
                    values=[every, *options],
                    value=shown,
                    on_value=lambda label, k=key, o=options: filters.set({**filters.value, k: o.get(label, "")}),
                )


def play_interval(speed: str) -> float:
    """Seconds between Play's months at a speed: its message key of SPEED_KEYS or its label in any
    language (the normal one is PLAY_INTERVAL_S)."""
    if speed in SPEED_KEYS:
        return SPEED_KEYS[speed]
    return next(seconds for key, seconds in SPEED_KEYS.items() if speed in {tr(key, code) for code in LANGUAGES})


def setting_label(settings: Settings, own: bool, lang: str = SOURCE) -> str:
    """'Your settings: world sahel_2024, experiment none' or the scenario's own values."""
    return tr("ens.yours" if own else "ens.scenario", lang, world=settings.world, experiment=settings.experiment)


@solara.component
def EnsemblePanel(ens: Ensemble, month: int, state: str, label: str, lang: str = SOURCE):
    """One setting's histories: its fan chart, the sentences, who leads each state and the share of
    histories with each event type per state."""
    quantiles = solara.use_memo(lambda: share_quantiles(ens), [ens])
    png = solara.use_memo(
        lambda: fan_png(ens.world, quantiles, tr("ens.fan_title", lang, n=ens.n), month, lang), [ens, month, lang]
    )
    kinds, rows = event_matrix(ens, month)
    by_label = {event_label(t): t for t in EVENT_TYPES}
    kinds = [kind_label(by_label[k], k, lang) if k in by_label else k for k in kinds]
    named = world_names(ens.world, lang)
    rows = [(named.states.get(code, name), counts) for code, (name, counts) in zip(ens.world.states, rows, strict=True)]
    with solara.Card(label, classes=["sahel-ens-panel"]):
        solara.Text(tr("ens.seeds", lang, first=ens.seeds[0], last=ens.seeds[-1]), classes=["sahel-note"])
        AltImage(png, fan_alt(ens.world, quantiles, month, ens.n, lang))
        for sentence in summary(ens, month, state, lang=lang):
            solara.Text(sentence, classes=["sahel-ens-sentence"])
        solara.HTML(
            tag="div",
            unsafe_innerHTML=leader_table_html(
                leader_table(ens, month, lang), tr("ens.leaders", lang, month=month), lang
            ),
            classes=["sahel-ens-scroll"],
        )
        solara.Text(tr("ens.kinds", lang, month=month), classes=["sahel-note"])
        solara.HTML(
            tag="div", unsafe_innerHTML=event_table_html(rows, kinds, ens.n, lang), classes=["sahel-ens-scroll"]
        )


@solara.component
def EnsembleView(draft: Settings, selected: solara.Reactive[str], lang: str = SOURCE):
    """Many histories at once: N seeds of the values the controls show (and, if chosen, of a second
    setting with the same seeds), run by the batched driver in a thread off the page's event loop."""
    histories = solara.use_reactive(HISTORIES[0])
    month = solara.use_reactive(ENSEMBLE_MONTH)
    compare = solara.use_reactive("")  # "" (nothing), NO_EXPERIMENT (the world's baseline) or an experiment
    requests = solara.use_reactive(0)
    request = solara.use_ref(None)
    result = solara.use_reactive(None)
    status = solara.use_reactive("")
    experiment_names = solara.use_memo(lambda: [c.name for c in experiments()], [])

    def submit() -> None:
        months = min(max(int(month.value or 0), 1), MAX_MONTHS)
        other = None
        if compare.value:
            other = scenario_defaults(draft.world, compare.value).with_seed(draft.seed)
        request.current = (draft, other, int(histories.value), months)
        status.set(tr("ens.running_two" if other else "ens.running", lang, n=histories.value, months=months))
        requests.set(requests.value + 1)

    def work(cancel: threading.Event) -> None:
        if request.current is None:
            return
        settings, other, n, months = request.current
        try:
            first = run_ensemble(settings, n, months)
            second = run_ensemble(other, n, months) if other is not None else None
        except (ConfigError, WorldError) as exc:
            status.set(str(exc))
            return
        if not cancel.is_set():
            result.set((first, second, months))
            status.set("")

    solara.use_thread(work, dependencies=[requests.value], intrusive_cancel=False)
    world = result.value[0].world if result.value else None
    others = {
        tr("ens.nothing", lang): "",
        tr("ens.baseline", lang): NO_EXPERIMENT,
        **{name: name for name in experiment_names[1:]},
    }
    with solara.Div(classes=["sahel-ensemble"]):
        with solara.Card(tr("ens.card", lang), classes=["sahel-ens-controls"]):
            solara.Text(tr("ens.note", lang), classes=["sahel-note"])
            with solara.Row(classes=["sahel-ens-row"]):
                with Help(ui_help("Histories", lang)):
                    solara.Select(tr("ens.histories", lang), values=list(HISTORIES), value=histories)
                with Help(ui_help("At month", lang)):
                    solara.InputInt(tr("ens.at_month", lang), value=month, continuous_update=True)
                with Help(ui_help("Compare with", lang)):
                    solara.Select(
                        tr("ens.compare", lang),
                        values=list(others),
                        value=next(k for k, v in others.items() if v == compare.value),
                        on_value=lambda label: compare.set(others[label]),
                    )
                with Help(ui_help("Run histories", lang)):
                    solara.Button(tr("ens.run", lang), color="primary", on_click=submit)
            if status.value:
                solara.Text(status.value, classes=["sahel-ens-status"])
            if world is not None:
                state = selected.value if selected.value in world.states else world.states[0]
                StatePicker(world.states, list(world_names(world, lang).states.values()), state, selected.set, lang)
        if result.value is not None and world is not None:
            first, second, months = result.value
            state = selected.value if selected.value in world.states else world.states[0]
            with solara.Div(classes=["sahel-ens-sides"] + (["sahel-ens-two"] if second else [])):
                EnsemblePanel(first, months, state, setting_label(first.settings, True, lang), lang)
                if second is not None:
                    EnsemblePanel(second, months, state, setting_label(second.settings, False, lang), lang)


@solara.component
def LiveView(
    session: RunSession, tick: solara.Reactive[int], selected: solara.Reactive[str], chart: str, lang: str = SOURCE
):
    """Map, charts, state details, its scores and events: redrawn after every Step or Reset. `chart`
    is the chart kept in presentation mode; `lang` the language of every text (the model's causes
    stay English)."""
    maker = solara.use_memo(lambda: FrameMaker(session, lang), [lang])
    filters = solara.use_reactive({"state": "", "power": "", "type": ""})
    version = tick.value
    states = session.world.states
    state = selected.value if selected.value in states else states[0]
    here, drawn = use_map(maker, version)  # with a render pool: drawn off this process
    overview = solara.use_memo(maker.overview_data, [version, maker])  # the charts' data (drawn in the browser)
    affinity = solara.use_memo(lambda: maker.affinity_data(state), [version, state, maker])
    world = session.world
    named: WorldNames = world_names(world, lang)
    names = named.powers
    state_names = [named.states[c] for c in world.states]
    state_name = named.states[state]
    with solara.Div(classes=["sahel-main"]):
        with solara.Card(classes=["sahel-picture", "sahel-map"]):
            heading(tr("map.title", lang, date=month_label(session.date, lang)), 2, "sahel-map-title")
            with solara.Div(classes=["sahel-map-frame"]):
                MapPicture(here, drawn)
                MapTargets(maker, world.path, world.name, world.states, state_names, selected.set, lang)
            Legend(world.powers, names, lang)
            MapKey(world.states, state_names)
        with solara.Div(classes=["sahel-charts"]):
            with solara.Card(
                classes=["sahel-picture", "sahel-chart"] + ([] if chart == "share" else ["sahel-chart-off"])
            ):
                ShareLineChart(overview)
            with solara.Card(
                classes=["sahel-picture", "sahel-chart"] + ([] if chart == "affinity" else ["sahel-chart-off"])
            ):
                AffinityLineChart(affinity)
            solara.Text(tr("chart.hint", lang), classes=["sahel-note", "sahel-chart-hint"])
    with solara.Div(classes=["sahel-lower"]):
        with solara.Card(tr("card.state", lang), classes=["sahel-state-card"]):
            StatePicker(world.states, state_names, state, selected.set, lang)
            solara.HTML(tag="div", unsafe_innerHTML=facts_html(session.details(state), names, lang, named.blocs))
        with solara.Card(tr("card.events", lang), classes=["sahel-events-card"]):
            EventFilters(world, filters, lang)
            f = filters.value
            lines = filter_events(session.event_lines(EVENTS_SHOWN), f["state"], f["power"], f["type"])
            solara.HTML(
                tag="div", unsafe_innerHTML=events_html(lines, session.month, lang, named), classes=["sahel-events"]
            )
        with solara.Card(
            tr("why.title", lang, state=state_name, date=month_label(session.date, lang)), classes=["sahel-why"]
        ):
            solara.Text(tr("why.note", lang), classes=["sahel-note"])
            solara.HTML(
                tag="div",
                unsafe_innerHTML=why_html(session.incentive_terms(state), names, state_name, lang),
                classes=["sahel-why-scroll"],
            )
        PictureDownloads(session, maker, here, drawn, state, lang)


@solara.component
def LanguageSwitch(lang: str, on_lang: Callable[[str], None]):
    """The page's language: one button per language of app.i18n.LANGUAGES, each named in its own
    language; the current one is disabled."""
    with Help(tr("language.help", lang)):
        with solara.Row(classes=["sahel-lang"], gap="2px"):
            for code, label in LANGUAGES.items():
                solara.Button(
                    label,
                    text=True,
                    disabled=code == lang,
                    on_click=lambda c=code: on_lang(c),
                    classes=["sahel-lang-btn"],
                    attributes={"lang": code},
                )


@solara.component
def RunDate(session: RunSession, tick: solara.Reactive[int], lang: str = SOURCE):
    """The run's date and month in a live region (a screen reader says the new date after Step,
    Play or Run to). It reads `tick`, so a step redraws it, not the rest of the header."""
    _ = tick.value
    with LiveRegion(tr("a11y.date_live", lang)):
        solara.Text(month_label(session.date, lang), classes=["sahel-date"])
        solara.Text(tr("header.month", lang, month=session.month), classes=["sahel-month"])


@solara.component
def StepButton(
    session: RunSession, tick: solara.Reactive[int], step: Callable[[], None], running_to: int, lang: str = SOURCE
):
    """Step, off at the last month and while Run to runs (redrawn after each step: reads `tick`)."""
    _ = tick.value
    solara.Button(
        tr("button.step", lang),
        color="primary",
        on_click=step,
        disabled=session.month >= MAX_MONTHS or bool(running_to),
    )


@solara.component
def RunTo(
    session: RunSession,
    tick: solara.Reactive[int],
    run_to: Callable[[int], None],
    running_to: int,
    lang: str = SOURCE,
):
    """The month to run to and its button, off unless that month is ahead of the run's (redrawn
    after each step: reads `tick`)."""
    _ = tick.value
    target = solara.use_reactive(ENSEMBLE_MONTH)
    with solara.Div(classes=["sahel-run-to"]):
        solara.InputInt(tr("run_to.label", lang), value=target, continuous_update=True)
        solara.Button(
            tr("run_to.running", lang, month=running_to) if running_to else tr("run_to.button", lang),
            outlined=True,
            on_click=lambda: run_to(target.value),
            disabled=bool(running_to) or not (session.month < (target.value or 0) <= MAX_MONTHS),
        )


@solara.component
def RunLink(session: RunSession, tick: solara.Reactive[int], lang: str = SOURCE):
    """Copy link, keeping the address equal to the run's link, month included (reads `tick`)."""
    _ = tick.value
    CopyLink(
        query=to_query(session.settings, session.month, lang),
        tip=tr("link.help", lang),
        copy_label=tr("link.copy", lang),
        copied_label=tr("link.copied", lang),
        link_label=tr("link.text", lang),
    )


@solara.component
def Header(
    session: RunSession,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    step: Callable[[], None],
    reset: Callable[[], None],
    changed: bool,
    view: solara.Reactive[dict],
    speed: solara.Reactive[str],
    run_to: Callable[[int], None],
    running_to: int,
    lang: solara.Reactive[str] | None = None,
):
    """Title, the date of the run, Step, Play/Pause, its speed, Run to month and Reset, and the
    page's views (many histories, settings drawer, Info, presentation mode, print) and its language;
    it stays at the top of the window. `running_to` is the month Run to is running to (0: not
    running); `speed` holds a key of SPEED_KEYS. A step redraws only the parts that show the month
    (`RunDate`, `StepButton`, `RunTo`, `RunLink`, which read `tick`), not the header's other
    buttons, pickers and tooltips."""
    code = lang.value if lang is not None else SOURCE
    speeds = {tr(key, code): key for key in SPEED_KEYS}

    def toggle(key: str) -> None:
        view.set({**view.value, key: not view.value[key]})

    def t(key: str, **values: object) -> str:
        return tr(key, code, **values)

    with solara.Div(classes=["sahel-header"]):
        with solara.Div(classes=["sahel-header-row"]):
            heading(t("header.title"), 1, "sahel-title")
            RunDate(session, tick, code)
            with Help(ui_help("Step", code)):
                StepButton(session, tick, step, running_to, code)
            with Help(ui_help("Play", code)):
                solara.Button(
                    t("button.pause") if playing.value else t("button.play"),
                    color="success",
                    on_click=lambda: playing.set(not playing.value),
                )
            with Help(ui_help("Speed", code)):
                solara.Select(
                    t("speed.label"),
                    values=list(speeds),
                    value=tr(speed.value, code),
                    on_value=lambda label: speed.set(speeds[label]),
                    classes=["sahel-speed"],
                )
            with Help(ui_help("Run to month", code)):
                RunTo(session, tick, run_to, running_to, code)
            with Help(ui_help("Reset", code)):
                solara.Button(t("button.reset"), color="error", outlined=True, on_click=reset)
            with solara.Div(classes=["sahel-views"]):
                with Help(ui_help("Many histories", code)):
                    solara.Button(
                        t("button.one") if view.value["many"] else t("button.many"),
                        outlined=True,
                        on_click=lambda: toggle("many"),
                        classes=["sahel-many-btn"],
                    )
                with Help(ui_help("Settings", code)):
                    solara.Button(
                        t("button.settings"),
                        outlined=True,
                        on_click=lambda: toggle("drawer"),
                        classes=["sahel-drawer-btn"],
                    )
                with Help(ui_help("Info", code)):
                    solara.Button(
                        t("button.close_info") if view.value["info"] else t("button.info"),
                        outlined=True,
                        on_click=lambda: toggle("info"),
                    )
                with Help(ui_help("Present", code)):
                    solara.Button(
                        t("button.leave_present") if view.value["present"] else t("button.present"),
                        outlined=True,
                        on_click=lambda: toggle("present"),
                    )
                if view.value["present"]:
                    solara.ToggleButtonsSingle(
                        value=view.value["chart"],
                        classes=["sahel-chart-pick"],
                        on_value=lambda c: view.set({**view.value, "chart": c}),
                        children=[solara.Button(t(k), value=c) for c, k in CHARTS.items()],
                    )
                solara.HTML(tag="span", unsafe_innerHTML=print_button(code), classes=["sahel-print"])
                RunLink(session, tick, code)
                if lang is not None:
                    LanguageSwitch(code, lang.set)
        if changed:
            solara.Warning(t("note.changed"), dense=True, classes=["sahel-changed"])


@solara.component
def InfoPanel(close: Callable[[], None], lang: str = SOURCE):
    """What the model is, how it works, things to notice and to try, and the lesson plans."""
    with solara.Card(tr("info.card", lang), classes=["sahel-info"]):
        solara.Markdown(info_markdown(lang))
        solara.Text(tr("info.lessons", lang), classes=["sahel-info-lessons"])
        solara.HTML(tag="div", unsafe_innerHTML=lessons_html(lang))
        solara.Button(tr("button.close_info", lang), outlined=True, on_click=close)


@solara.component
def Page():
    """The whole page; its state is this browser session's own."""
    router = solara.use_router()
    session, shared, link_problem = solara.use_memo(lambda: open_link(router.search), [])  # the address's run
    first_settings = solara.use_memo(lambda: session.settings, [])
    counter = solara.use_memo(itertools.count, [])
    tick = solara.use_reactive(0)
    draft = solara.use_reactive(first_settings)  # what the controls show: the next run's values
    applied = solara.use_reactive(first_settings)  # what the current run was built from
    selected = solara.use_reactive(DEFAULT_STATE)
    playing = solara.use_reactive(False)
    error = solara.use_reactive(link_problem)
    view = solara.use_reactive({"drawer": False, "info": False, "present": False, "chart": "share", "many": False})
    speed = solara.use_reactive("speed.normal")
    lang = solara.use_reactive(lang_from_query(router.search))
    goal = solara.use_reactive(shared.month)  # the month Run to is running to (a link's month); 0: not running
    member = solara.use_memo(Membership, [])  # this tab's place in a class session (app/classjoin.py)

    def redraw() -> None:
        member.publish(session)  # the teacher's view follows the run (nothing when not in a session)
        tick.set(next(counter) + 1)

    def step() -> None:
        if session.month < MAX_MONTHS:
            session.step()
        redraw()

    def run_to(target: int) -> None:
        playing.set(False)
        goal.set(min(target, MAX_MONTHS))

    def advance(cancel: threading.Event) -> None:
        """Run to the goal month in a thread (600 months take seconds), a year at a time, redrawing
        after each so the date climbs."""
        while goal.value > session.month and not cancel.is_set():
            session.step(min(RUN_TO_CHUNK, goal.value - session.month))
            redraw()
        goal.set(0)

    solara.use_thread(advance, dependencies=[goal.value > 0], intrusive_cancel=False)

    def start(settings: Settings) -> None:
        playing.set(False)
        goal.set(0)  # a Reset stops Run to month
        try:
            session.reset(settings)
        except (ConfigError, WorldError) as exc:
            error.set(str(exc))
            return
        error.set("")
        applied.set(settings)
        redraw()

    def pick(world: str, experiment: str) -> None:
        try:
            chosen = scenario_defaults(world, experiment).with_seed(draft.value.seed)
        except (ConfigError, WorldError) as exc:
            error.set(str(exc))
            return
        draft.set(chosen)
        start(chosen)

    def play(cancel: threading.Event) -> None:
        while playing.value and not cancel.wait(play_interval(speed.value)):
            if session.month >= MAX_MONTHS:
                playing.set(False)
                return
            step()

    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)

    solara.Title(tr("page.title", lang.value))
    solara.Style(CSS)
    names = world_names(session.world, lang.value).powers
    modes = [
        c for c, on in (("sahel-drawer-open", view.value["drawer"]), ("sahel-present", view.value["present"])) if on
    ]
    PageAccessibility(lang=lang.value)  # <html lang> follows the language switch; the pictures' alt
    with solara.Div(classes=["sahel-app", *modes], attributes={"lang": lang.value}):
        Header(
            session,
            tick,
            playing,
            step,
            lambda: start(draft.value),
            draft.value != applied.value,
            view,
            speed,
            run_to,
            goal.value,
            lang,
        )
        if error.value:
            solara.Error(error.value)
        if view.value["info"]:
            InfoPanel(lambda: view.set({**view.value, "info": False}), lang.value)
        with solara.Div(classes=["sahel-layout"]):
            Controls(
                draft,
                applied,
                pick,
                names,
                lambda: view.set({**view.value, "drawer": False}),
                lambda: JoinCard(member, session, tick, lang.value),
                lang.value,
            )
            with solara.Column(gap="14px", classes=["sahel-live"]):
                if view.value["many"]:
                    EnsembleView(draft.value, selected, lang.value)
                else:
                    LiveView(session, tick, selected, view.value["chart"], lang.value)
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=settings_html(applied.value, command_line(applied.value), lang.value),
                    classes=["sahel-print-only"],
                )


@solara.component
def PlainLayout(children: list | None = None):
    """Solara's default layout without navigation tabs between the routes: each page fills the window
    as the classroom page always has (the facilitator page is opened by its address)."""
    return solara.AppLayout(children=children or [], navigation=False)


#: Each page inside an error boundary (app/boundary.py): an unexpected error is a sentence, never a traceback.
ClassroomPage = guarded(Page, "The classroom page")
WorkshopPage = guarded(FacilitatorPage, "The facilitator page")

routes = [
    solara.Route(path="/", component=ClassroomPage, label="Sahel influence: classroom", layout=PlainLayout),
    solara.Route(path="workshop", component=WorkshopPage, label=FACILITATOR_TITLE),
    solara.Route(
        path="lessons",
        component=guarded(LessonPage, "The lesson page"),
        label="Lesson plans",
        layout=PlainLayout,
        children=lesson_routes(),
    ),
    *class_routes(PlainLayout),  # a class session: the teacher's view and the projector view (app/classpage.py)
]
