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
from pathlib import Path

import solara

from analysis.colors import NO_POWER, power_color
from app.boundary import guarded
from app.catalog import NO_EXPERIMENT, experiments, worlds
from app.classjoin import JoinCard, Membership
from app.classpage import class_routes
from app.ensemble import HISTORIES, Ensemble, event_matrix, leader_table, run_ensemble, share_quantiles, summary
from app.explain import INFO_MARKDOWN, UI_HELP, knob_help, lessons_html, parameter_help, weight_help
from app.facilitator import TITLE as FACILITATOR_TITLE
from app.facilitator import FacilitatorPage
from app.figures import fan_png
from app.frames import FrameMaker
from app.lessonpage import LessonPage, lesson_routes
from app.markup import event_table_html, events_html, facts_html, leader_table_html, settings_html, why_html
from app.pictures import Picture, PictureDownloads, use_pictures
from app.session import RunSession, filter_events, month_label
from app.settings import KNOBS, WEIGHT_RANGE, Settings, command_line, scenario_defaults
from app.share import to_query
from app.sharing import CopyLink, open_link
from sim.core.params import ConfigError
from sim.core.vocabulary import EVENT_TYPES, REGIMES, TERM_LABELS, TERMS, event_label
from sim.core.world import World, WorldError

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
PLAY_INTERVAL_S = 0.7  # one month every 0.7 s while playing (the default speed)
#: Play's speeds: label -> seconds between months
NORMAL_SPEED = "normal (1 month / 0.7 s)"
SPEEDS = {"slow (1 month / 2 s)": 2.0, NORMAL_SPEED: PLAY_INTERVAL_S, "fast (4 months / s)": 0.25,
          "fastest (10 months / s)": 0.1}
RUN_TO_CHUNK = 12  # Run to month redraws the page after every year
ENSEMBLE_MONTH = 36  # the month the lessons' many-history statements speak of
NOT_COMPARED = "nothing"
BASELINE = "the world's baseline"
ALL = {"state": "all states", "power": "all powers", "type": "all kinds"}
MAX_MONTHS = 600  # Play stops here (the longest run the configuration allows)
EVENTS_SHOWN: int | None = None  # the feed keeps every event of the run
DEFAULT_STATE = "NER"
CHARTS = {"share": "Share chart", "affinity": "Affinity chart"}
#: a button that opens the browser's print dialog (the page's print CSS makes the handout)
PRINT_BUTTON = ('<button type="button" class="sahel-print-btn" onclick="window.print()" '
                'title="Print the map, the charts, the events and the settings of this run (fits A4)">'
                "Print handout</button>")

REGIME_LABELS = {"civilian": "Civilian governments", "junta": "Juntas"}
WEIGHT_LABELS = {t: TERM_LABELS[t][0].upper() + TERM_LABELS[t][1:] for t in TERMS}
KNOB_LABELS = {"budget_factor": "Budget factor", "colonial_baggage": "Colonial baggage", "overstretch": "Overstretch"}
APPLY_NOTE = ("Sliders and the seed take effect when you press Reset. "
              "Picking a world or an experiment starts a new run straight away.")
CHANGED_NOTE = "Settings changed: press Reset to run with them."


@solara.component
def Help(text: str, children: list | None = None):
    """Its children with a tooltip (shown on hover and on keyboard focus)."""
    with solara.Tooltip(text):
        solara.Div(children=children or [], classes=["sahel-help"])


@solara.component
def Knob(label: str, value: float, on_value: Callable[[float], None], low: float, high: float, step: float,
         help_text: str):
    """A slider under its label, with its value written beside the label in large type; the label
    carries the parameter's documentation as a tooltip."""
    with solara.Div(classes=["sahel-knob"]):
        with solara.Tooltip(help_text):
            with solara.Div(classes=["sahel-knob-head"]):
                solara.Text(label, classes=["sahel-knob-label"])
                solara.Text("i", classes=["sahel-i"])
                solara.Text(f"{value:g}", classes=["sahel-knob-value"])
        solara.SliderFloat("", value=value, min=low, max=high, step=step, on_value=on_value)


@solara.component
def ScenarioCard(draft: solara.Reactive[Settings], pick: Callable[[str, str], None]):
    """World and experiment pickers, and the seed."""
    settings = draft.value
    world_choices, experiment_choices = solara.use_memo(lambda: (worlds(), experiments()), [])
    described = {c.name: c.description for c in [*world_choices, *experiment_choices]}
    with solara.Card("Scenario"):
        with Help(UI_HELP["World"]):
            solara.Select("World", values=[c.name for c in world_choices], value=settings.world,
                          on_value=lambda name: pick(name, settings.experiment))
        solara.Text(described.get(settings.world, ""), classes=["sahel-note"])
        with Help(parameter_help("experiment") + " Picking one starts a new run."):
            solara.Select("Experiment (what if…)", values=[c.name for c in experiment_choices],
                          value=settings.experiment, on_value=lambda name: pick(settings.world, name))
        solara.Text(described.get(settings.experiment, ""), classes=["sahel-note"])
        with Help(parameter_help("seed") + " The same settings and seed give the same history; applies on Reset."):
            solara.InputInt("Seed", value=settings.seed,
                            on_value=lambda s: draft.set(draft.value.with_seed(s or 0)))


@solara.component
def WeightsCard(draft: solara.Reactive[Settings]):
    """The seven incentive weights, for civilian governments or for juntas."""
    regime = solara.use_reactive("junta")
    low, high, step = WEIGHT_RANGE
    with solara.Card("Incentive weights"):
        with Help(UI_HELP["Civilian governments"] + " " + UI_HELP["Juntas"]):
            solara.ToggleButtonsSingle(value=regime, children=[solara.Button(REGIME_LABELS[r], value=r)
                                                               for r in REGIMES])
        for term in TERMS:
            Knob(WEIGHT_LABELS[term], draft.value.weights[regime.value][term],
                 lambda v, t=term: draft.set(draft.value.with_weight(regime.value, t, v)), low, high, step,
                 weight_help(regime.value, term))


@solara.component
def PowersCard(draft: solara.Reactive[Settings], names: dict[str, str]):
    """Budget factor, colonial baggage and overstretch of the power chosen above the sliders."""
    powers = list(draft.value.powers)
    power = solara.use_reactive(powers[0])
    code = power.value if power.value in powers else powers[0]  # another world may have other powers
    with solara.Card("Foreign powers"):
        with Help(UI_HELP["Power"]):
            solara.ToggleButtonsSingle(value=code, on_value=power.set, classes=["sahel-powers"], children=[
                solara.Button(names.get(p, p), value=p, style={"color": power_color(p)}) for p in powers])
        for knob, (low, high, step) in KNOBS.items():
            Knob(KNOB_LABELS[knob], draft.value.powers[code][knob],
                 lambda v, k=knob: draft.set(draft.value.with_knob(code, k, v)), low, high, step, knob_help(knob))


@solara.component
def Controls(draft: solara.Reactive[Settings], applied: solara.Reactive[Settings], pick: Callable[[str, str], None],
             names: dict[str, str], close: Callable[[], None], join: Callable[[], None] = lambda: None):
    """The left column (a drawer on narrow screens): what the next run will use. `join` draws the
    class-session box at its top."""
    with solara.Column(classes=["sahel-controls"], gap="10px"):
        solara.Button("Close the settings", outlined=True, on_click=close, classes=["sahel-drawer-close"])
        join()
        ScenarioCard(draft, pick)
        solara.Text(APPLY_NOTE, classes=["sahel-note"])
        WeightsCard(draft)
        PowersCard(draft, names)
        with Help(UI_HELP["Scenario values"]):
            solara.Button("Scenario values", outlined=True, on_click=lambda: draft.set(
                scenario_defaults(draft.value.world, draft.value.experiment).with_seed(draft.value.seed)))
        with solara.Card("This run on the command line"):
            solara.Text(command_line(applied.value), classes=["sahel-command"])


@solara.component
def Legend(powers: list[str], names: dict[str, str]):
    """What the map's colours and marks mean."""
    with solara.Div(classes=["sahel-legend"]):
        for p in [*powers, NO_POWER]:
            with solara.Div():
                solara.Div(classes=["sahel-chip"], style={"background": power_color(p)})
                solara.Text(names.get(p, "no leading partner") if p != NO_POWER else "no leading partner")
        solara.Text("● size = population · black ring + hatching = junta · ▲ base (owner | co-tenant) · "
                    "◆ troops (size = number) · lines join capitals of neighbours")


@solara.component
def MapKey(codes: list[str], names: list[str]):
    """The states' codes on the map, with their names."""
    solara.Text(" · ".join(f"{c} {n}" for c, n in zip(codes, names, strict=True)), classes=["sahel-map-key"])


@solara.component
def StatePicker(codes: list[str], names: list[str], state: str, on_state: Callable[[str], None]):
    """Which state's details, affinities and scores to show (its own component: unchanged by a step)."""
    labels = dict(zip(names, codes, strict=True))
    with Help(UI_HELP["State"]):
        solara.Select("State", values=list(labels), value=next(k for k, v in labels.items() if v == state),
                      on_value=lambda label: on_state(labels[label]))


@solara.component
def MapTargets(maker: FrameMaker, path: object, world_name: str, codes: list[str], names: list[str],
               on_state: Callable[[str], None]):
    """A round button over each capital of the map picture: a click picks that state (the picture
    is a PNG; the buttons sit on it at the capitals' places, in percent, so they follow its size)."""
    spots = solara.use_memo(maker.capitals, [path, world_name])
    label = dict(zip(codes, names, strict=True))
    for code, left, top in spots:
        solara.Button(label[code], on_click=lambda c=code: on_state(c), classes=["sahel-map-spot"],
                      style={"left": f"{left:.2f}%", "top": f"{top:.2f}%"})


@solara.component
def EventFilters(world: World, filters: solara.Reactive[dict]):
    """Three pickers over the event feed: one state, one power, one kind of event (or all)."""
    choices = {
        "state": dict(zip(world.state_names, world.states, strict=True)),
        "power": dict(zip(world.power_names, world.powers, strict=True)),
        "type": {event_label(t): t for t in EVENT_TYPES},
    }
    titles = {"state": "Events of", "power": "Power", "type": "Kind"}
    with Help(UI_HELP["Filter events"]):
        with solara.Row(classes=["sahel-event-filters"]):
            for key, options in choices.items():
                shown = next((k for k, v in options.items() if v == filters.value[key]), ALL[key])
                solara.Select(titles[key], values=[ALL[key], *options], value=shown,
                              on_value=lambda label, k=key, o=options: filters.set(
                                  {**filters.value, k: o.get(label, "")}))


def play_interval(speed: str) -> float:
    """Seconds between Play's months at a speed of SPEEDS (the normal one is PLAY_INTERVAL_S)."""
    return PLAY_INTERVAL_S if speed == NORMAL_SPEED else SPEEDS[speed]


def setting_label(settings: Settings, own: bool) -> str:
    """'Your settings: world sahel_2024, experiment none' or the scenario's own values."""
    head = "Your settings" if own else "As the scenario sets it"
    return f"{head}: world {settings.world}, experiment {settings.experiment}"


@solara.component
def EnsemblePanel(ens: Ensemble, month: int, state: str, label: str):
    """One setting's histories: its fan chart, the sentences, who leads each state and the share of
    histories with each event type per state."""
    png = solara.use_memo(lambda: fan_png(ens.world, share_quantiles(ens), f"{ens.n} histories: influence share",
                                          month), [ens, month])
    kinds, rows = event_matrix(ens, month)
    with solara.Card(label, classes=["sahel-ens-panel"]):
        solara.Text(f"Seeds {ens.seeds[0]} to {ens.seeds[-1]}; the line is the median, the band the middle 80% "
                    "of histories.", classes=["sahel-note"])
        solara.Image(png, width="100%")
        for sentence in summary(ens, month, state):
            solara.Text(sentence, classes=["sahel-ens-sentence"])
        solara.HTML(tag="div", unsafe_innerHTML=leader_table_html(
            leader_table(ens, month), f"Leading partner at month {month}, in how many histories"),
            classes=["sahel-ens-scroll"])
        solara.Text(f"Histories with each kind of event by month {month}:", classes=["sahel-note"])
        solara.HTML(tag="div", unsafe_innerHTML=event_table_html(rows, kinds, ens.n), classes=["sahel-ens-scroll"])


@solara.component
def EnsembleView(draft: Settings, selected: solara.Reactive[str]):
    """Many histories at once: N seeds of the values the controls show (and, if chosen, of a second
    setting with the same seeds), run by the batched driver in a thread off the page's event loop."""
    histories = solara.use_reactive(HISTORIES[0])
    month = solara.use_reactive(ENSEMBLE_MONTH)
    compare = solara.use_reactive(NOT_COMPARED)
    requests = solara.use_reactive(0)
    request = solara.use_ref(None)
    result = solara.use_reactive(None)
    status = solara.use_reactive("")
    experiment_names = solara.use_memo(lambda: [c.name for c in experiments()], [])

    def submit() -> None:
        months = min(max(int(month.value or 0), 1), MAX_MONTHS)
        other = None
        if compare.value != NOT_COMPARED:
            name = NO_EXPERIMENT if compare.value == BASELINE else compare.value
            other = scenario_defaults(draft.world, name).with_seed(draft.seed)
        request.current = (draft, other, int(histories.value), months)
        status.set(f"Running {histories.value} histories of {months} months"
                   + (" for each of the two settings…" if other else "…"))
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
    with solara.Div(classes=["sahel-ensemble"]):
        with solara.Card("Many histories", classes=["sahel-ens-controls"]):
            solara.Text("Runs many seeds of the values the controls show now (no need to press Reset), starting "
                        "at the seed in the seed box. Each history is the one a single run with that seed gives.",
                        classes=["sahel-note"])
            with solara.Row(classes=["sahel-ens-row"]):
                with Help(UI_HELP["Histories"]):
                    solara.Select("Histories", values=list(HISTORIES), value=histories)
                with Help(UI_HELP["At month"]):
                    solara.InputInt("At month", value=month, continuous_update=True)
                with Help(UI_HELP["Compare with"]):
                    solara.Select("Compare with", values=[NOT_COMPARED, BASELINE, *experiment_names[1:]],
                                  value=compare)
                with Help(UI_HELP["Run histories"]):
                    solara.Button("Run histories", color="primary", on_click=submit)
            if status.value:
                solara.Text(status.value, classes=["sahel-ens-status"])
            if world is not None:
                state = selected.value if selected.value in world.states else world.states[0]
                StatePicker(world.states, world.state_names, state, selected.set)
        if result.value is not None and world is not None:
            first, second, months = result.value
            state = selected.value if selected.value in world.states else world.states[0]
            with solara.Div(classes=["sahel-ens-sides"] + (["sahel-ens-two"] if second else [])):
                EnsemblePanel(first, months, state, setting_label(first.settings, True))
                if second is not None:
                    EnsemblePanel(second, months, state, setting_label(second.settings, False))


@solara.component
def LiveView(session: RunSession, tick: solara.Reactive[int], selected: solara.Reactive[str], chart: str):
    """Map, charts, state details, its scores and events: redrawn after every Step or Reset. `chart`
    is the chart kept in presentation mode."""
    maker = solara.use_memo(lambda: FrameMaker(session), [])
    filters = solara.use_reactive({"state": "", "power": "", "type": ""})
    version = tick.value
    states = session.world.states
    state = selected.value if selected.value in states else states[0]
    here, drawn = use_pictures(maker, version, state)  # with a render pool: drawn off this process
    world = session.world
    names = dict(zip(world.powers, world.power_names, strict=True))
    state_name = world.state_names[states.index(state)]
    with solara.Div(classes=["sahel-main"]):
        with solara.Card(classes=["sahel-picture", "sahel-map"]):
            solara.Text(f"Leading partners, {month_label(session.date)}", classes=["sahel-map-title"])
            with solara.Div(classes=["sahel-map-frame"]):
                Picture("map", here, drawn)
                MapTargets(maker, world.path, world.name, world.states, world.state_names, selected.set)
            Legend(world.powers, names)
            MapKey(world.states, world.state_names)
        with solara.Div(classes=["sahel-charts"]):
            with solara.Card(classes=["sahel-picture", "sahel-chart"]
                             + ([] if chart == "share" else ["sahel-chart-off"])):
                Picture("share", here, drawn)
            with solara.Card(classes=["sahel-picture", "sahel-chart"]
                             + ([] if chart == "affinity" else ["sahel-chart-off"])):
                Picture("affinity", here, drawn)
    with solara.Div(classes=["sahel-lower"]):
        with solara.Card("Selected state", classes=["sahel-state-card"]):
            StatePicker(world.states, world.state_names, state, selected.set)
            solara.HTML(tag="div", unsafe_innerHTML=facts_html(session.details(state), names))
        with solara.Card("Events", classes=["sahel-events-card"]):
            EventFilters(world, filters)
            f = filters.value
            lines = filter_events(session.event_lines(EVENTS_SHOWN), f["state"], f["power"], f["type"])
            solara.HTML(tag="div", unsafe_innerHTML=events_html(lines, session.month), classes=["sahel-events"])
        with solara.Card(f"Why? How {state_name}'s government scores each power, {month_label(session.date)}",
                         classes=["sahel-why"]):
            solara.Text("Each number is one of the seven incentive terms times the government's weight for it "
                        "(costs are negative). The total is the score its affinity to the power drifts towards. "
                        "Bold: the largest term for and against each power.", classes=["sahel-note"])
            solara.HTML(tag="div", unsafe_innerHTML=why_html(session.incentive_terms(state), names, state_name),
                        classes=["sahel-why-scroll"])
        PictureDownloads(session, here, drawn, state)


@solara.component
def Header(session: RunSession, tick: solara.Reactive[int], playing: solara.Reactive[bool],
           step: Callable[[], None], reset: Callable[[], None], changed: bool, view: solara.Reactive[dict],
           speed: solara.Reactive[str], run_to: Callable[[int], None], running_to: int):
    """Title, the date of the run, Step, Play/Pause, its speed, Run to month and Reset, and the
    page's views (many histories, settings drawer, Info, presentation mode, print); it stays at the
    top of the window. `running_to` is the month Run to is running to (0: not running)."""
    _ = tick.value  # redraw the date after every step
    target = solara.use_reactive(ENSEMBLE_MONTH)

    def toggle(key: str) -> None:
        view.set({**view.value, key: not view.value[key]})

    with solara.Div(classes=["sahel-header"]):
        with solara.Div(classes=["sahel-header-row"]):
            solara.Text("Sahel influence", classes=["sahel-title"])
            solara.Text(month_label(session.date), classes=["sahel-date"])
            solara.Text(f"Month {session.month}", classes=["sahel-month"])
            with Help(UI_HELP["Step"]):
                solara.Button("Step", color="primary", on_click=step,
                              disabled=session.month >= MAX_MONTHS or bool(running_to))
            with Help(UI_HELP["Play"]):
                solara.Button("Pause" if playing.value else "Play", color="success",
                              on_click=lambda: playing.set(not playing.value))
            with Help(UI_HELP["Speed"]):
                solara.Select("Speed", values=list(SPEEDS), value=speed, classes=["sahel-speed"])
            with Help(UI_HELP["Run to month"]):
                with solara.Div(classes=["sahel-run-to"]):
                    solara.InputInt("Run to month", value=target, continuous_update=True)
                    solara.Button(f"Running to {running_to}…" if running_to else "Run to", outlined=True,
                                  on_click=lambda: run_to(target.value),
                                  disabled=bool(running_to) or not (session.month < (target.value or 0) <= MAX_MONTHS))
            with Help(UI_HELP["Reset"]):
                solara.Button("Reset", color="error", outlined=True, on_click=reset)
            with solara.Div(classes=["sahel-views"]):
                with Help(UI_HELP["Many histories"]):
                    solara.Button("One history" if view.value["many"] else "Many histories", outlined=True,
                                  on_click=lambda: toggle("many"), classes=["sahel-many-btn"])
                with Help(UI_HELP["Settings"]):
                    solara.Button("Settings", outlined=True, on_click=lambda: toggle("drawer"),
                                  classes=["sahel-drawer-btn"])
                with Help(UI_HELP["Info"]):
                    solara.Button("Close info" if view.value["info"] else "Info", outlined=True,
                                  on_click=lambda: toggle("info"))
                with Help(UI_HELP["Present"]):
                    solara.Button("Leave presentation" if view.value["present"] else "Present", outlined=True,
                                  on_click=lambda: toggle("present"))
                if view.value["present"]:
                    solara.ToggleButtonsSingle(value=view.value["chart"], classes=["sahel-chart-pick"],
                                               on_value=lambda c: view.set({**view.value, "chart": c}),
                                               children=[solara.Button(t, value=c) for c, t in CHARTS.items()])
                solara.HTML(tag="span", unsafe_innerHTML=PRINT_BUTTON, classes=["sahel-print"])
                CopyLink(query=to_query(session.settings, session.month))
        if changed:
            solara.Warning(CHANGED_NOTE, dense=True, classes=["sahel-changed"])


@solara.component
def InfoPanel(close: Callable[[], None]):
    """What the model is, how it works, things to notice and to try, and the lesson plans."""
    with solara.Card("About this model", classes=["sahel-info"]):
        solara.Markdown(INFO_MARKDOWN)
        solara.Text("Lesson plans for teachers (each opens in a new tab; this run stays here):",
                    classes=["sahel-info-lessons"])
        solara.HTML(tag="div", unsafe_innerHTML=lessons_html())
        solara.Button("Close info", outlined=True, on_click=close)


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
    speed = solara.use_reactive(NORMAL_SPEED)
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

    solara.Title("Sahel influence: classroom")
    solara.Style(CSS)
    names = dict(zip(session.world.powers, session.world.power_names, strict=True))
    modes = [c for c, on in (("sahel-drawer-open", view.value["drawer"]), ("sahel-present", view.value["present"]))
             if on]
    with solara.Div(classes=["sahel-app", *modes]):
        Header(session, tick, playing, step, lambda: start(draft.value), draft.value != applied.value, view, speed,
               run_to, goal.value)
        if error.value:
            solara.Error(error.value)
        if view.value["info"]:
            InfoPanel(lambda: view.set({**view.value, "info": False}))
        with solara.Div(classes=["sahel-layout"]):
            Controls(draft, applied, pick, names, lambda: view.set({**view.value, "drawer": False}),
                     lambda: JoinCard(member, session, tick))
            with solara.Column(gap="14px", classes=["sahel-live"]):
                if view.value["many"]:
                    EnsembleView(draft.value, selected)
                else:
                    LiveView(session, tick, selected, view.value["chart"])
                solara.HTML(tag="div", unsafe_innerHTML=settings_html(applied.value, command_line(applied.value)),
                            classes=["sahel-print-only"])


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
    solara.Route(path="lessons", component=guarded(LessonPage, "The lesson page"), label="Lesson plans",
                 layout=PlainLayout, children=lesson_routes()),
    *class_routes(PlainLayout),  # a class session: the teacher's view and the projector view (app/classpage.py)
]
