"""The facilitator page (route /workshop): run a policy workshop (docs/workshop.md) without the
command line. Open or create a game, see where it stands, submit each team's move file (pasted or
dropped), schedule injects, adjudicate or undo a turn, build the briefs and the debrief and show them.

Every action calls the workshop's service, as the command of the same name does (app/games.py); it
runs in a background thread while the page says what it is doing, and its report, or its mistake in
one paragraph (with one line per problem of a refused move file), is shown at the top of the page.
The game lives in its folder (GAME_DIR/game.json), exactly as with `python -m workshop`, so the page
and the command line can be used on the same game, one after the other.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from html import escape
from pathlib import Path

import solara
import solara.lab

from analysis.colors import power_color
from app import games
from app.catalog import NO_EXPERIMENT, experiments, worlds
from app.games import GameView, Outcome, PageFile
from app.gate import REFUSED, facilitator_access
from app.session import EventLine, month_label
from sim.core.vocabulary import EVENTS, SCRIPTABLE, event_label
from workshop.debrief import DEFAULT_RUNS
from workshop.errors import WorkshopError
from workshop.outlook import DEFAULT_RUNS as OUTLOOK_RUNS
from workshop.service import MAX_MOVE_BYTES

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
TITLE = "Sahel influence: workshop facilitator"
DEFAULT_TEAMS = "USA, RUS, AES=MLI,BFA,NER, ECOWAS"
NARROW = {"max-width": "12em"}
NO_CHOICE = "—"  # the empty entry of the inject form's power and bloc pickers
MOVES_HELP = (
    "Paste a team's move file (YAML: it starts with 'team:' and 'turn:'), or drop the file below. "
    "It is checked at once; a refused file is not stored. Move files: docs/workshop.md, section "
    "'Move files'; examples in examples/workshop/."
)


# ---------------------------------------------------------------- HTML of the text panels (escaped)


def outcome_html(outcome: Outcome) -> str:
    """An action's report (its head line as a paragraph, its details as a list) or its mistake (one
    paragraph, then one line per problem, then anything it reported before the mistake)."""
    items = "".join(f"<li>{escape(line)}</li>" for line in [*outcome.problems, *outcome.details])
    return f'<p class="sahel-report-head">{escape(outcome.head)}</p>' + (f"<ul>{items}</ul>" if items else "")


def turn_events_html(lines: list[EventLine]) -> str:
    """The events of a turn, in order, each with its month, headline and cause."""
    if not lines:
        return '<span class="sahel-note">No events this turn (besides any incidents counted above).</span>'
    rows = []
    for line in lines:
        parts = [
            f'<span class="sahel-event-date">{escape(month_label(line.date))}</span>',
            f'<span class="sahel-event-headline">{escape(line.headline)}</span>',
        ]
        if line.cause:
            parts.append(f'<span class="sahel-event-cause">{escape(line.cause)}</span>')
        rows.append(f'<div class="sahel-event">{"".join(parts)}</div>')
    return "".join(rows)


def teams_html(view: GameView) -> str:
    """The status table: each team, what it plays, and whether its moves for this turn are in."""
    rows = []
    powers = dict(view.powers)
    for t in view.teams:
        code = t.name if t.name in powers else ""
        chip = f'<span class="sahel-chip" style="background:{escape(power_color(code))}"></span>' if code else ""
        if view.over:
            state = ""
        elif t.submitted:
            state = (
                f'<span class="sahel-in">✔ moves submitted</span> <span class="sahel-dim">from {escape(t.source)}'
                "</span>"
            )
        else:
            state = (
                '<span class="sahel-out">nothing yet</span> <span class="sahel-dim">(the scenario\'s policy '
                "plays for it)</span>"
            )
        rows.append(f"<tr><td>{chip}<b>{escape(t.name)}</b></td><td>{escape(t.description)}</td><td>{state}</td></tr>")
    return f'<table class="sahel-table">{"".join(rows)}</table>'


def links_html(links: list[games.JoinLink]) -> str:
    """Each team's join link with its QR code, then the facilitator's link (all escaped)."""
    rows = []
    for link in links:
        label = {
            "facilitator": "Facilitator (this page, this game only)",
            "projector": "Projector (the public page, for the screen the room sees)",
        }.get(link.who, f"Team {link.who}")
        rows.append(
            f'<div class="sahel-link-row" data-who="{escape(link.who)}"><b>{escape(label)}</b><br>'
            f'<a href="{escape(link.url)}" target="_blank" rel="noreferrer" class="sahel-join">'
            f"{escape(link.url)}</a>{link.qr_svg}</div>"
        )
    return "".join(rows)


#: How often the page looks whether the game changed (a team submitted), in seconds.
WATCH_SECONDS = 2.0


# ---------------------------------------------------------------- components


@solara.component
def Watch(game_dir: Path, changed: Callable[[], None]):
    """Look at the game's record every WATCH_SECONDS and call `changed` when it has changed (a team
    submitted from its page, or a command ran): the page shows who has submitted without a reload."""

    def start():
        from solara.server.kernel_context import get_current_context

        stop = threading.Event()
        seen = games.record_stamp(game_dir)
        try:
            context = get_current_context()  # the page's: its state changes from the thread
        except Exception:  # rendered outside a server (tests): nothing to refresh
            return None
        context.on_close(stop.set)

        def loop() -> None:
            nonlocal seen
            while not stop.wait(WATCH_SECONDS):
                now = games.record_stamp(game_dir)
                if now != seen:
                    seen = now
                    with context:
                        changed()

        threading.Thread(target=loop, name=f"watch-{game_dir.name}", daemon=True).start()
        return stop.set

    solara.use_effect(start, [str(game_dir)])


@solara.component
def LinksCard(view: GameView):
    """Each team's join link and QR code, and the facilitator's link to this game."""

    def read() -> tuple[list[games.JoinLink], str]:
        try:
            return games.join_links(view.dir), ""
        except WorkshopError as exc:
            return [], str(exc)
        except Exception as exc:
            return [], games.unexpected("Making the join links", exc)

    links, problem = solara.use_memo(read, [str(view.dir)])
    with solara.Card("Join links"):
        solara.Text(
            "Send each team its own link (or let it scan the code): it opens that team's page, which shows "
            "only its brief and moves and lets it submit. Whoever holds a link plays that team: keep them "
            "private. The teams' computers must reach this one: start the app with --host 0.0.0.0.",
            classes=["sahel-note"],
        )
        if problem:
            solara.Text(problem, classes=["sahel-note", "sahel-problem"])
        elif not any(link.qr_svg for link in links):
            solara.Text("(No QR codes: the segno package is not installed.)", classes=["sahel-note"])
        solara.HTML(tag="div", unsafe_innerHTML=links_html(links), classes=["sahel-links"])


@solara.component
def Report(outcome: Outcome | None, working: str):
    """What the page is doing, or the last action's report or mistake."""
    if working:
        with solara.Div(classes=["sahel-busy"]):
            solara.ProgressLinear(True)
            solara.Text(f"{working}…", classes=["sahel-report-head"])
    elif outcome is not None:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=outcome_html(outcome),
            classes=["sahel-report", "sahel-report-ok" if outcome.ok else "sahel-report-error"],
        )


@solara.component
def GameCard(
    folder: solara.Reactive[str],
    names: list[str],
    chosen: str,
    problem: str,
    open_game: Callable[[str], None],
    refresh: Callable[[], None],
    busy: bool,
):
    """The folder of the games and the game to open."""
    root = games.games_root()
    with solara.Card("Open a game"):
        solara.InputText("Folder of the games", value=folder.value, on_value=folder.set, continuous_update=False)
        solara.Text(
            f"Inside the games root {root}"
            + ("" if not folder.value.strip() else f": that is {root / folder.value.strip()}"),
            classes=["sahel-note"],
        )
        if problem:
            solara.Text(problem, classes=["sahel-note", "sahel-problem"])
        elif names:
            solara.Select(
                "Game", values=names, value=chosen if chosen in names else None, on_value=open_game, disabled=busy
            )
        else:
            solara.Text("No game in this folder yet: create one below.", classes=["sahel-note"])
        solara.Button("Look again", outlined=True, on_click=refresh, disabled=busy)


@solara.component
def NewGameCard(create: Callable[[str, str, str, str, int, int, int, bool], None], busy: bool):
    """The new-game form: `python -m workshop new` in fields."""
    world_choices, experiment_choices = solara.use_memo(lambda: (worlds(), experiments()), [])
    name = solara.use_reactive(f"workshop-{dt.date.today():%Y-%m-%d}")
    scenario = solara.use_reactive(
        "sahel_2024" if any(c.name == "sahel_2024" for c in world_choices) else world_choices[0].name
    )
    experiment = solara.use_reactive(NO_EXPERIMENT)
    teams = solara.use_reactive(DEFAULT_TEAMS)
    turns = solara.use_reactive(4)
    months = solara.use_reactive(3)
    seed = solara.use_reactive(0)
    decide = solara.use_reactive(False)
    specs = games.split_teams(teams.value)
    with solara.Card("New game"):
        solara.InputText(
            "Name (its folder, inside the folder of the games)",
            value=name.value,
            on_value=name.set,
            continuous_update=True,
        )
        solara.Select("Scenario", values=[c.name for c in world_choices], value=scenario.value, on_value=scenario.set)
        solara.Select(
            "Experiment (optional)",
            values=[c.name for c in experiment_choices],
            value=experiment.value,
            on_value=experiment.set,
        )
        solara.InputText("Teams", value=teams.value, on_value=teams.set, continuous_update=True)
        solara.Text(
            "Separate teams with a comma and a space; a government team lists its states with commas "
            "and no spaces (AES=MLI,BFA,NER).",
            classes=["sahel-note"],
        )
        solara.Text("Read as " + (" | ".join(specs) if specs else "no team"), classes=["sahel-note", "sahel-specs"])
        with solara.Row():
            solara.InputInt("Turns", value=turns.value, on_value=turns.set, continuous_update=True)
            solara.InputInt("Months per turn", value=months.value, on_value=months.set, continuous_update=True)
            solara.InputInt("Seed", value=seed.value, on_value=seed.set, continuous_update=True)
        solara.Checkbox(
            label="Only the teams decide for their actors (no expulsion, sanction, aid suspension... "
            "by the model's rules for them)",
            value=decide.value,
            on_value=decide.set,
        )
        solara.Button(
            "Create the game",
            color="primary",
            disabled=busy,
            on_click=lambda: create(
                name.value,
                scenario.value,
                experiment.value,
                teams.value,
                turns.value or 0,
                months.value or 0,
                seed.value or 0,
                decide.value,
            ),
        )


@solara.component
def Header(view: GameView | None):
    with solara.Div(classes=["sahel-header"]):
        solara.Text("Workshop facilitator", classes=["sahel-title"])
        if view is None:
            solara.Text("no game open", classes=["sahel-month"])
        else:
            solara.Text(view.dir.name, classes=["sahel-month"])
            if view.over:
                solara.Text("Game over", classes=["sahel-date", "sahel-turn"])
                solara.Text(f"{view.turns} turns played, to {month_label(view.world_month)}", classes=["sahel-month"])
            else:
                solara.Text(f"Turn {view.turn} of {view.turns}", classes=["sahel-date", "sahel-turn"])
                first, last = view.months.split(" to ")
                solara.Text(f"{month_label(first)} to {month_label(last)}", classes=["sahel-month", "sahel-months"])
        solara.HTML(tag="a", unsafe_innerHTML="Classroom page", attributes={"href": "/"}, classes=["sahel-link"])


@solara.component
def StatusCard(view: GameView):
    s = f"Scenario {view.scenario}" + (f" with experiment {view.experiment}" if view.experiment else "")
    with solara.Card("Where the game stands"):
        solara.Text(
            f"{s}; seed {view.seed}; {view.turns} turns of {view.turn_months} months"
            + ("; only the teams decide for their actors. " if view.teams_decide else ". ")
            + f"{view.adjudicated} adjudicated; the world stands at {month_label(view.world_month)}.",
            classes=["sahel-note"],
        )
        if view.over:
            solara.Text("The game is over: build the debrief below.", classes=["sahel-status-line"])
        else:
            solara.Text(
                f"Moves for turn {view.turn} ({view.months}): {len(view.submitted)} of {len(view.teams)} "
                f"teams have submitted.",
                classes=["sahel-status-line"],
            )
        solara.HTML(tag="div", unsafe_innerHTML=teams_html(view), classes=["sahel-teams"])
        states = dict(view.states)
        injects = [games.describe_inject(i, states) for i in view.injects]
        solara.Text("Scheduled injects: " + ("; ".join(injects) if injects else "none"), classes=["sahel-note"])
        solara.Text(f"Fingerprint of the state: {view.fingerprint[:16]}", classes=["sahel-note", "sahel-fingerprint"])


@solara.component
def MovesCard(view: GameView, act: Callable[..., None], busy: bool):
    """Submit a team's move file: pasted into the text area, or dropped as a file."""
    names = [t.name for t in view.teams]
    team = solara.use_reactive(view.missing[0] if view.missing else names[0])
    text = solara.use_reactive("")
    uploaded = solara.use_reactive(("", ""))  # (file name, its text) of the last dropped file
    said = solara.use_reactive(("", None))  # (team, outcome) of the last submission, shown under the box
    chosen = team.value if team.value in names else names[0]
    submitted = {t.name for t in view.teams if t.submitted}

    def on_file(info) -> None:
        # lazy: nothing is read before the size is known, and never more than a move file may hold
        size = int(info.get("size") or 0)
        data = b"" if size > MAX_MOVE_BYTES else info["file_obj"].read(MAX_MOVE_BYTES + 1)
        content, problem = games.read_upload(info["name"], data, size)
        if problem:
            act("Reading the dropped file", lambda: Outcome(False, problem))
            return
        text.set(content)
        uploaded.set((info["name"], content))

    def submit() -> None:
        source = uploaded.value[0] if uploaded.value[0] and uploaded.value[1] == text.value else games.PASTED
        pasted, who = text.value, chosen

        def accepted(out: Outcome) -> None:
            said.set((who, out))
            if out.ok:
                text.set("")
                uploaded.set(("", ""))
                left = [n for n in names if n not in submitted and n != who]
                if left:
                    team.set(left[0])

        act(f"Checking the moves of team {who}", lambda: games.submit(view.dir, who, pasted, source), accepted)

    def show_stored() -> None:
        stored = games.pending_text(view.dir, chosen)
        text.set(stored)
        uploaded.set((next(t.source for t in view.teams if t.name == chosen), stored))  # resubmitted as it came

    with solara.Card("Moves" if view.over else f"Moves for turn {view.turn}"):
        if view.over:
            solara.Text("The game is over: no more moves.", classes=["sahel-note"])
            return
        solara.Select("Team", values=names, value=chosen, on_value=team.set)
        solara.Text(f"Moves of team {chosen} for turn {view.turn}", classes=["sahel-field-label"])
        solara.InputTextArea(
            f"Moves of team {chosen}",
            value=text.value,
            on_value=text.set,
            continuous_update=True,
            rows=10,
            placeholder=games.template(chosen, view.turn) + "allocate:\n  TCD: {security: 8, "
            "economic: 25, information: 1}",
        )
        solara.Text(MOVES_HELP, classes=["sahel-note"])
        solara.FileDrop(label="…or drop a move file (.yaml) here", on_file=on_file, lazy=True)
        with solara.Row(classes=["sahel-buttons"]):
            solara.Button(f"Submit the moves of {chosen}", color="primary", disabled=busy, on_click=submit)
            solara.Button(
                "Start a file",
                outlined=True,
                disabled=busy,
                on_click=lambda: text.set(games.template(chosen, view.turn)),
            )
            if chosen in submitted:
                solara.Button(f"Show {chosen}'s stored moves", outlined=True, disabled=busy, on_click=show_stored)
        who, out = said.value
        if out is not None and who == chosen:  # next to the box too: the user is scrolled here
            solara.HTML(
                tag="div",
                unsafe_innerHTML=outcome_html(out),
                classes=["sahel-moves-said", "sahel-said-ok" if out.ok else "sahel-said-error"],
            )


@solara.component
def TurnCard(view: GameView, act: Callable[..., None], busy: bool):
    """Adjudicate the turn, check the stored moves, show the range of outcomes of the turn (or where the
    last turn's draw fell), undo the last turn (each confirmed when it matters)."""
    confirm_empty = solara.use_reactive(False)
    confirm_undo = solara.use_reactive(False)
    turn, last = view.turn, view.adjudicated

    def adjudicate() -> None:
        act(f"Adjudicating turn {turn} and writing its briefs", lambda: games.adjudicate(view.dir, turn))

    def undo() -> None:
        act(f"Undoing turn {last}", lambda: games.undo(view.dir, last))

    with solara.Card("The turn"):
        if view.over:
            solara.Text(f"All {view.turns} turns are adjudicated.", classes=["sahel-note"])
        else:
            if view.missing:
                solara.Text(
                    f"Nothing yet from {', '.join(view.missing)}: the scenario's policy plays for "
                    f"{'it' if len(view.missing) == 1 else 'them'} if you adjudicate now.",
                    classes=["sahel-note"],
                )
            with solara.Row(classes=["sahel-buttons"]):
                solara.Button(
                    f"Adjudicate turn {turn}",
                    color="primary",
                    disabled=busy,
                    on_click=lambda: confirm_empty.set(True) if not view.submitted else adjudicate(),
                )
                solara.Button(
                    "Check the stored moves",
                    outlined=True,
                    disabled=busy,
                    on_click=lambda: act("Checking the stored moves", lambda: games.check(view.dir)),
                )
                solara.Button(
                    f"Range of outcomes of turn {turn}",
                    outlined=True,
                    disabled=busy,
                    on_click=lambda: act(
                        f"Playing turn {turn} {OUTLOOK_RUNS} times with the moves submitted so far",
                        lambda: games.outlook(view.dir, turn, OUTLOOK_RUNS),
                    ),
                )
        if last:
            solara.Button(
                f"Where turn {last}'s draw fell",
                outlined=True,
                disabled=busy,
                on_click=lambda: act(
                    f"Playing turn {last} {OUTLOOK_RUNS} times from its start",
                    lambda: games.outlook(view.dir, last, OUTLOOK_RUNS),
                ),
            )
            solara.Button(
                f"Undo turn {last}",
                color="error",
                outlined=True,
                disabled=busy,
                on_click=lambda: confirm_undo.set(True),
            )
        if not view.over and not view.submitted:
            solara.lab.ConfirmationDialog(
                confirm_empty,
                title=f"Adjudicate turn {turn} without moves?",
                ok="Yes, adjudicate",
                on_ok=adjudicate,
                content=f"No team has submitted moves for turn {turn}: every actor will follow the scenario's policy "
                f"for its {view.turn_months} months.",
            ).key("confirm-adjudicate")
        if last:
            solara.lab.ConfirmationDialog(
                confirm_undo,
                title=f"Undo turn {last}?",
                ok=f"Yes, undo turn {last}",
                on_ok=undo,
                content=f"Turn {last} is dropped: the game goes back to the start of turn {last}, its moves and "
                f"injects become pending again (adjudicate to play it again: exactly the same unless moves change) "
                f"and its briefs are removed."
                + (
                    f" The moves submitted for turn {turn} ({', '.join(view.submitted)}) are dropped."
                    if view.submitted and not view.over
                    else ""
                ),
            ).key("confirm-undo")


@solara.component
def InjectList(view: GameView, act: Callable[..., None], busy: bool):
    """The scheduled injects, each with a button that cancels it."""
    names = dict(view.states)

    def cancel(inj) -> None:
        act("Cancelling an inject", lambda: games.cancel_inject(view.dir, inj))

    with solara.Column(gap="0px"):
        for inj in view.injects:
            with solara.Row(classes=["sahel-inject"]):
                solara.Text(games.describe_inject(inj, names))
                solara.Button(
                    "Cancel inject", outlined=True, small=True, disabled=busy, on_click=lambda i=inj: cancel(i)
                )


@solara.component
def InjectsCard(view: GameView, act: Callable[..., None], busy: bool):
    """Schedule a facilitator's event at the first month of a coming turn, or cancel one."""
    kind = solara.use_reactive("coup")
    state = solara.use_reactive("")
    power = solara.use_reactive(NO_CHOICE)
    bloc = solara.use_reactive(NO_CHOICE)
    turn = solara.use_reactive(0)
    troops = solara.use_reactive(0)
    note = solara.use_reactive("")
    states = {f"{n} ({c})": c for c, n in view.states}
    labels = list(states)
    chosen_state = state.value if state.value in states else labels[0]
    when = turn.value if view.turn <= turn.value <= view.turns else view.turn
    needs = EVENTS[kind.value].partner if kind.value in EVENTS else ""

    def schedule() -> None:
        t, k, s, n = when, kind.value, states[chosen_state], note.value
        p = power.value if power.value != NO_CHOICE else ""
        b = bloc.value if bloc.value != NO_CHOICE else ""
        x = float(troops.value or 0) if k == "deploy" else 0.0
        act(f"Scheduling a {event_label(k)} inject", lambda: games.schedule_inject(view.dir, t, k, s, p, b, x, n))

    with solara.Card("Injects"):
        InjectList(view, act, busy)
        if view.over:
            return
        solara.Text(
            "A scripted event at the first month of a turn, before the teams' moves of that month.",
            classes=["sahel-note"],
        )
        with solara.Row():
            solara.Select(
                "Turn",
                values=[str(t) for t in range(view.turn, view.turns + 1)],
                value=str(when),
                on_value=lambda v: turn.set(int(v)),
            )
            solara.Select("Type", values=list(SCRIPTABLE), value=kind.value, on_value=kind.set)
            solara.Select("State", values=labels, value=chosen_state, on_value=state.set)
        with solara.Row():
            solara.Select(
                "Power" + (" (needed)" if needs == "power" else ""),
                values=[NO_CHOICE, *[c for c, _ in view.powers]],
                value=power.value,
                on_value=power.set,
            )
            solara.Select(
                "Bloc" + (" (needed)" if needs == "bloc" else ""),
                values=[NO_CHOICE, *[c for c, _ in view.blocs]],
                value=bloc.value,
                on_value=bloc.set,
            )
            if kind.value == "deploy":
                solara.InputInt(
                    "Troops (0: the model's size)", value=troops.value, on_value=troops.set, continuous_update=True
                )
        solara.InputText(
            "Note (the cause recorded with the event; optional)",
            value=note.value,
            on_value=note.set,
            continuous_update=True,
        )
        solara.Button("Schedule the inject", color="primary", disabled=busy, on_click=schedule)


@solara.component
def PageList(view: GameView, shown: solara.Reactive[str]):
    """A button for every page the game has produced; the chosen one is shown below."""

    def page_button(f: PageFile) -> None:
        solara.Button(
            f.label,
            outlined=shown.value != str(f.path),
            color="primary",
            small=True,
            on_click=lambda: shown.set(str(f.path)),
        )

    with solara.Column(gap="0px"):
        if not view.briefs and view.debrief is None:
            solara.Text(
                "No page yet: write the opening briefs, or adjudicate a turn (it writes that turn's briefs).",
                classes=["sahel-note"],
            )
        for t, files in sorted(view.briefs.items()):
            with solara.Row(classes=["sahel-pages"]):
                solara.Text("Opening briefs" if t == 0 else f"Turn {t} briefs", classes=["sahel-pages-label"])
                for f in files:
                    page_button(f)
        if view.debrief is not None:
            with solara.Row(classes=["sahel-pages"]):
                solara.Text(f"Debrief (written {view.debrief.written})", classes=["sahel-pages-label"])
                page_button(view.debrief)


@solara.component
def PagesCard(view: GameView, act: Callable[..., None], busy: bool, shown: solara.Reactive[str]):
    """Build the briefs and the debrief, and pick the page to show."""
    brief_turn = solara.use_reactive(-1)
    runs = solara.use_reactive(DEFAULT_RUNS)
    what_if = solara.use_reactive([])
    turn_choice = brief_turn.value if 0 <= brief_turn.value <= view.adjudicated else view.adjudicated
    names = [t.name for t in view.teams]

    with solara.Card("Briefs and debrief"):
        PageList(view, shown)
        with solara.Row(classes=["sahel-buttons"]):
            solara.Select(
                "Briefs of turn",
                values=[str(t) for t in range(view.adjudicated + 1)],
                value=str(turn_choice),
                on_value=lambda v: brief_turn.set(int(v)),
                style=NARROW,
            )
            solara.Button(
                "Write the briefs",
                outlined=True,
                disabled=busy,
                on_click=lambda: act(
                    f"Writing the briefs of {'the opening' if turn_choice == 0 else f'turn {turn_choice}'}",
                    lambda: games.build_briefs(view.dir, turn_choice),
                ),
            )
        if view.adjudicated:
            with solara.Row(classes=["sahel-buttons"]):
                solara.InputInt(
                    "Simulated histories", value=runs.value, on_value=runs.set, continuous_update=True, style=NARROW
                )
                solara.SelectMultiple(
                    "What if (default: every team)",
                    values=what_if.value,
                    on_value=what_if.set,
                    all_values=names,
                    style={"max-width": "24em"},
                )
                solara.Button(
                    "Build the debrief",
                    outlined=True,
                    disabled=busy,
                    on_click=lambda: act(
                        f"Building the debrief ({runs.value} simulated histories)",
                        lambda: games.build_debrief(view.dir, runs.value or 0, what_if.value),
                    ),
                )


@solara.component
def Viewer(game_dir: Path, path: str, version: int, close: Callable[[], None]):
    """One produced page inside the app (the app serves no files), with a download button; only a
    regular file inside the game's folder is read (games.read_page)."""

    def read() -> tuple[str, str]:
        try:
            return games.read_page(game_dir, path), ""
        except WorkshopError as exc:
            return "", str(exc)
        except OSError as exc:
            return "", games.unexpected(f"Reading {Path(path).name}", exc)

    text, problem = solara.use_memo(read, [path, version])
    p = Path(path)
    turn = p.parent.name + "-" if p.parent.name.startswith("turn-") else ""
    with solara.Card(classes=["sahel-viewer-card"]):
        with solara.Row(classes=["sahel-buttons"]):
            solara.Text(str(p), classes=["sahel-viewer-path"])
            if text:
                solara.FileDownload(
                    text.encode("utf-8"), filename=f"{turn}{p.name}", label=f"Download {p.name}", mime_type="text/html"
                )
            solara.Button("Close", outlined=True, on_click=close)
        if text:
            solara.HTML(
                tag="iframe", attributes={"srcdoc": text, "sandbox": "", "title": p.name}, classes=["sahel-viewer"]
            )
        elif problem:
            solara.Text(problem, classes=["sahel-note", "sahel-problem"])
        else:
            solara.Text(f"{p} is no longer there (an undo removes its turn's briefs).", classes=["sahel-note"])


@solara.component
def EventsCard(view: GameView):
    with solara.Card(f"Events of turn {view.last_turn} ({view.last_months})" if view.last_turn else "Events"):
        if not view.last_turn:
            solara.Text("No turn adjudicated yet.", classes=["sahel-note"])
            return
        if view.incidents:
            solara.Text(
                f"Also {view.incidents} incident(s) between foreign forces (in the facilitator's brief).",
                classes=["sahel-note"],
            )
        solara.HTML(tag="div", unsafe_innerHTML=turn_events_html(view.last_events), classes=["sahel-events"])


@solara.component
def FacilitatorPage():
    """The facilitator page, if its link allows (app/gate.py): on the network it needs the desk token
    (the whole page) or a game's facilitator token (that game only)."""
    router = solara.use_router()
    desk = facilitator_access(router.search or "")
    if desk is None:
        solara.Title(TITLE)
        solara.Style(CSS)
        with solara.Div(classes=["sahel-app", "sahel-desk"]):
            solara.Text(REFUSED, classes=["sahel-report", "sahel-report-error", "sahel-refused"])
        return
    FacilitatorDesk(desk.game_id)


@solara.component
def FacilitatorDesk(only: str = ""):
    """The whole facilitator page; its state is this browser tab's own (the games are on disk).
    only: the game (relative to the games root) a game's facilitator link opens; the page then shows
    that game alone, without the list of games or the new-game form."""
    folder = solara.use_reactive(games.DEFAULT_FOLDER)
    game_dir = solara.use_reactive(str(games.resolve(only)) if only else "")
    version = solara.use_reactive(0)
    outcome = solara.use_reactive(None)
    working = solara.use_reactive("")
    shown = solara.use_reactive("")

    def job(label: str, fn: Callable[[], Outcome], after: Callable[[Outcome], None] | None) -> None:
        try:
            out = fn()
            if after is not None:
                after(out)
        except Exception as exc:  # a bug, not a mistake of the facilitator: one sentence here, details in the log
            out = Outcome(False, games.unexpected(label, exc))
        outcome.set(out)
        version.set(version.value + 1)
        working.set("")

    task = solara.lab.use_task(job, dependencies=None, raise_error=False)

    def act(label: str, fn: Callable[[], Outcome], after: Callable[[Outcome], None] | None = None) -> None:
        if working.value:
            return
        working.set(label)
        task(label, fn, after)

    def listing() -> tuple[list[str], str]:
        try:
            return games.list_games(folder.value), ""
        except WorkshopError as exc:
            return [], str(exc)
        except OSError as exc:  # e.g. a folder that cannot be read: one sentence, the details in the log
            return [], games.unexpected("Listing the games", exc)

    names, folder_problem = solara.use_memo(listing, [folder.value, version.value])
    view, game_problem = solara.use_memo(
        lambda: games.try_read_game(game_dir.value) if game_dir.value else (None, ""), [game_dir.value, version.value]
    )

    def open_game(name: str | None) -> None:
        if not name:
            return
        try:
            path = games.game_path(folder.value, name)
        except WorkshopError as exc:
            outcome.set(Outcome(False, str(exc)))
            return
        _, problem = games.try_read_game(path)
        shown.set("")
        outcome.set(Outcome(False, problem) if problem else None)
        game_dir.set("" if problem else str(path))

    def create(
        name: str,
        scenario: str,
        experiment: str,
        teams: str,
        turns: int,
        months: int,
        seed: int,
        teams_decide: bool = False,
    ) -> None:
        made: list[Path] = []

        def run() -> Outcome:
            out, path = games.new_game(
                folder.value, name, scenario, experiment, teams, turns, months, seed, teams_decide
            )
            if path is not None:
                made.append(path)
            return out

        def opened(out: Outcome) -> None:
            if made:
                game_dir.set(str(made[0]))
                shown.set("")

        act(f"Creating the game {name}", run, opened)

    busy = bool(working.value)
    chosen = Path(game_dir.value).name if game_dir.value else ""
    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Div(classes=["sahel-app", "sahel-desk"]):
        Header(view)
        Report(outcome.value, working.value)
        if game_problem:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=outcome_html(Outcome(False, game_problem)),
                classes=["sahel-report", "sahel-report-error"],
            )
        with solara.Div(classes=["sahel-desk-layout", *(["sahel-desk-one"] if only else [])]):
            if not only:
                with solara.Column(classes=["sahel-controls"], gap="10px"):
                    GameCard(
                        folder, names, chosen, folder_problem, open_game, lambda: version.set(version.value + 1), busy
                    )
                    NewGameCard(create, busy)
            with solara.Column(gap="14px"):
                if view is None:
                    with solara.Card("No game open"):
                        solara.Text(
                            "Pick a game in the folder on the left, or create a new one. Every action on "
                            "this page is a `python -m workshop` command on the game's folder.",
                            classes=["sahel-note"],
                        )
                else:
                    with solara.Div(classes=["sahel-desk-main"]).key(f"game-{view.dir}"):  # a form per game
                        with solara.Column(gap="14px"):
                            StatusCard(view)
                            MovesCard(view, act, busy)
                        with solara.Column(gap="14px"):
                            TurnCard(view, act, busy)
                            EventsCard(view)
                            InjectsCard(view, act, busy)
                    Watch(view.dir, lambda: version.set(version.value + 1)).key(f"watch-{view.dir}")
                    PagesCard(view, act, busy, shown).key(f"pages-{view.dir}")
                    LinksCard(view).key(f"links-{view.dir}")
                    if shown.value:
                        Viewer(view.dir, shown.value, version.value, lambda: shown.set(""))
