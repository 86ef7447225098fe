"""Re-run every setting of the lesson plans in docs/lessons/ and print the numbers they quote.

    .venv/bin/python docs/lessons/check_lessons.py              # all lessons, seeds 0-9 (under half a minute)
    .venv/bin/python docs/lessons/check_lessons.py --lesson 3   # one lesson
    .venv/bin/python docs/lessons/check_lessons.py --seeds 50   # seeds 0-49, to see how typical 0-9 are
    .venv/bin/python docs/lessons/check_lessons.py --translations  # translations quote the same numbers

A translation of a lesson (docs/lessons/LANG/NN-name.md, the English file's name: lesson 1 is in
French) must quote exactly the numbers of the English plan: `--translations` compares them (no run
of the model), so re-checking the English plan's numbers checks the translation's too.

Each setting runs 36 months (May 2024 to May 2027) with the batched driver (sim.ensemble), which
gives the same history as `python -m sim` and as the classroom app for the same settings and seed.
"Month N" is the app's month counter: month 0 is May 2024, month 36 is May 2027.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.metrics import influence_share
from sim.config import compose_config
from sim.core.vocabulary import PARTNER_AFFINITY
from sim.core.world import load_world, scenario_path
from sim.ensemble import run_batch

MONTHS = 36
LESSONS = Path(__file__).resolve().parent
#: code (fenced blocks, `spans`) reads the same in every language; link targets are left out
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
#: a sign, unless it joins a range ('1-3') or a word ('A06-A22')
_SIGN = r"(?:(?<![\w.])[+\-\u2212])?"
#: a number as English prose writes it: -1,000.5
_EN_NUMBER = re.compile(_SIGN + r"\d+(?:,\d{3})*(?:\.\d+)?")
#: a number as French prose writes it: -1 000,5 (a no-break space between thousands); the model's
#: English texts that it quotes ('success chance 6.9%') keep their decimal point
_FR_NUMBER = re.compile(_SIGN + r"\d+(?:[\u00a0\u202f]\d{3})*(?:[,.]\d+)?")
POWERS = ("USA", "FRA", "RUS", "CHN", "TUR")
FRENCH_HOSTS = ("TCD", "CIV", "SEN", "GAB")
AES = ("NER", "MLI", "BFA")
NIGER_BASES = ("Air Base 101 Niamey", "Air Base 201 Agadez")
#: the states whose elections the world file schedules (docs/model.md 7.16), per lesson
ELECTIONS = {1: ("NER",), 2: ("GAB", "TCD"), 3: ("NER",)}
SUCCESS_CHANCE = re.compile(r"success chance ([0-9.]+)%")
#: a power's own decision on its forces (the quarterly review, sim.core.rules.posture) ends its cause so
DECISION = "a decision of"
POSTURE_EVENTS = ("deploy", "drawdown", "pull_out", "reengage")

#: lesson -> [(short name, overrides)], in the order the lesson uses them.
SETTINGS: dict[int, list[tuple[str, list[str]]]] = {
    1: [
        ("baseline", []),
        ("juntas: sovereignty cost 0", ["incentives.junta.sovereignty=0"]),
        ("juntas: regime protection 0.3", ["incentives.junta.regime_protection=0.3"]),
        ("juntas: conditionality cost 0.3", ["incentives.junta.conditionality=0.3"]),
        ("juntas: security value 3", ["incentives.junta.security=3"]),
        ("juntas: economic value 3", ["incentives.junta.economic=3"]),
        ("RUS overstretch 0.9", ["++scenario.powers.RUS.overstretch=0.9"]),
        (
            "juntas: protection 0.3 + conditionality 0.3",
            ["incentives.junta.regime_protection=0.3", "incentives.junta.conditionality=0.3"],
        ),
        (
            "juntas: protection 0 + conditionality 0",
            ["incentives.junta.regime_protection=0", "incentives.junta.conditionality=0"],
        ),
    ],
    2: [
        ("baseline", []),
        ("FRA colonial baggage 0.35", ["++scenario.powers.FRA.colonial_baggage=0.35"]),
        ("FRA budget factor 1.5", ["++scenario.powers.FRA.budget_factor=1.5"]),
        ("experiment france_resets", ["experiment=france_resets"]),
        ("FRA colonial baggage 0", ["++scenario.powers.FRA.colonial_baggage=0"]),
        ("RUS colonial baggage 0.8", ["++scenario.powers.RUS.colonial_baggage=0.8"]),
        ("sovereignty cost 0 (both regimes)", ["incentives.civilian.sovereignty=0", "incentives.junta.sovereignty=0"]),
        (
            "sovereigntist weights",
            [
                "incentives.civilian.sovereignty=1.2",
                "incentives.civilian.opinion=0.8",
                "incentives.junta.sovereignty=1.8",
            ],
        ),
        (
            "France's announced drawdowns cancelled",
            ["scenario.cancel_commitments=[fra_drawdown_west_africa,fra_drawdown_chad]"],
        ),
        ("experiment france_draws_down", ["experiment=france_draws_down"]),
    ],
    3: [
        ("baseline", []),
        ("experiment us_stays", ["experiment=us_stays"]),
        ("us_stays + USA budget factor 3", ["experiment=us_stays", "++scenario.powers.USA.budget_factor=3"]),
        ("us_stays + juntas: regime protection 0.3", ["experiment=us_stays", "incentives.junta.regime_protection=0.3"]),
        ("us_stays + RUS overstretch 0.9", ["experiment=us_stays", "++scenario.powers.RUS.overstretch=0.9"]),
        ("experiment us_reengages", ["experiment=us_reengages"]),
    ],
}


def run(overrides: list[str], seeds: list[int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rec = run_batch(compose_config(overrides + [f"run.steps={MONTHS}"]), seeds)
    return rec.states_table(), rec.ties_table(), rec.events_table(), rec.bases_table()


def spare_troops(overrides: list[str], power: str = "RUS") -> str:
    """A power's troops free to deploy at month 0 (troops_deployable minus the forces present) and
    the size of one deployment (docs/model.md 7.6)."""
    cfg = compose_config(overrides + [f"run.steps={MONTHS}"])
    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
    p = world.powers.index(power)
    spare = world.troops_deployable[p] - world.troops[:, p].sum()
    return f"{power} troops free to deploy at month 0: {spare:.0f} (one deployment: {cfg.hazards.deploy_size:.0f})"


def coup_attempts(events: pd.DataFrame, code: str, n: int) -> str:
    """Coup attempts against the government of `code`: how many succeeded (`coup`) and failed
    (`coup_attempt`), in how many seeds, and the median chance of success the causes give."""
    tried = events[(events["state"] == code) & events["type"].isin(["coup", "coup_attempt"])]
    won, failed = tried[tried["type"] == "coup"], tried[tried["type"] == "coup_attempt"]
    chance = tried["cause"].str.extract(SUCCESS_CHANCE, expand=False).astype(float)
    quoted = (
        f"; success chance in the causes {chance.median():.1f}% median ({chance.min():.1f}-{chance.max():.1f})"
        if chance.notna().any()
        else ""
    )
    return (
        f"  {code}: coup attempts {len(tried)} in {tried['run'].nunique()}/{n} seeds; "
        f"coups {len(won)} in {seeds_with(won, n)}; failed attempts {len(failed)} in {seeds_with(failed, n)}" + quoted
    )


def commitments(events: pd.DataFrame, lesson: int, n: int) -> list[str]:
    """What became of the world file's dated commitments that the lesson uses (docs/model.md 7.16)."""
    lines = []
    left = events[(events["type"] == "bloc_leave") & (events["bloc"] == "ECOWAS") & events["state"].isin(AES)]
    aes_slip = events[(events["type"] == "commitment_slipped") & events["state"].isin(AES)]
    lines.append(
        f"  AES states leave ECOWAS (due month 8, January 2025): {seeds_with(left, n)}; "
        f"exit slipped in {seeds_with(aes_slip, n)}"
    )
    for code in ELECTIONS[lesson]:
        held = events[(events["type"] == "election") & (events["state"] == code)]
        extended = events[(events["type"] == "transition_extended") & (events["state"] == code)]
        back = events[(events["type"] == "transition") & (events["state"] == code)]
        lines.append(
            f"  {code}: election held {seeds_with(held, n)}; election postponed or dropped "
            f"{seeds_with(extended, n)}; transition by the monthly chance {seeds_with(back, n)}"
        )
    if lesson == 2:
        for code in FRENCH_HOSTS:
            cut = events[(events["type"] == "drawdown") & (events["power"] == "FRA") & (events["state"] == code)]
            slipped = events[
                (events["type"] == "commitment_slipped") & (events["power"] == "FRA") & (events["state"] == code)
            ]
            lines.append(
                f"  {code}: France's drawdown done {seeds_with(cut, n)}; slipped at least once {seeds_with(slipped, n)}"
            )
    return lines


def counts(series: pd.Series) -> str:
    vc = series.replace("", "none").value_counts()
    return " ".join(f"{k} {v}" for k, v in vc.items())


def spread(x: pd.Series, fmt: str = "+.2f") -> str:
    return f"{x.median():{fmt}} [{x.min():{fmt}} to {x.max():{fmt}}]"


def seeds_with(events: pd.DataFrame, n: int) -> str:
    if events.empty:
        return f"0/{n} seeds"
    first = events.groupby("run")["step"].min()
    return (
        f"{events['run'].nunique()}/{n} seeds (first: month {int(first.median())} median, "
        f"{int(first.min())}-{int(first.max())}; seeds {sorted(first.index.tolist())})"
    )


def russian_deployments(events: pd.DataFrame, ties: pd.DataFrame, n: int) -> str:
    """Russia's deployments, split into those to states with no Russian forces yet and those that
    reinforce forces already there, and how many are Russia's own decisions (its quarterly review
    reinforcing a friendly government under pressure) rather than answers to an invitation."""
    deploy = events[(events["type"] == "deploy") & (events["power"] == "RUS")]
    before = ties[ties["power"] == "RUS"].assign(step=lambda t: t["step"] + 1)[["run", "step", "state", "troops"]]
    deploy = deploy.merge(before, on=["run", "step", "state"], how="left")
    more = deploy[deploy["troops"] > 0]
    where = " ".join(f"{k} {v}" for k, v in more["state"].value_counts().items())
    own = int(deploy["cause"].str.contains(DECISION, regex=False).sum())
    return (
        f"to new states {seeds_with(deploy[~(deploy['troops'] > 0)], n)}; "
        f"reinforcements {seeds_with(more, n)}"
        + (f", to {where}" if where else "")
        + f"; {own} of the {len(deploy)} deployments are Russia's own decisions (100 troops each)"
    )


def decisions(events: pd.DataFrame, n: int) -> list[str]:
    """The powers' own decisions on their forces (reinforce, draw down, pull out, re-engage: the
    quarterly review of sim.core.rules.posture), by type, power and state, with the seeds they happen in."""
    own = events[events["type"].isin(POSTURE_EVENTS) & events["cause"].str.contains(DECISION, regex=False)]
    if own.empty:
        return ["  powers' own decisions on their forces: none"]
    lines = []
    for (kind, power, code), g in own.groupby(["type", "power", "state"]):
        lines.append(f"  decision: {kind} {power} in {code}: {len(g)} in {seeds_with(g, n)}")
    return lines


def hedging(states: pd.DataFrame, ties: pd.DataFrame, codes: tuple[str, ...], n: int) -> list[str]:
    """Hedging at month 36: the states with two or more partners (affinity above
    sim.core.vocabulary.PARTNER_AFFINITY, the states table's `partners` column), and for each state
    of the lesson its number of partners and which powers it counts as partners in how many seeds."""
    end = states[states["step"] == MONTHS]
    two = end[end["partners"] >= 2].groupby("run").size().reindex(range(n), fill_value=0)
    lines = [
        f"  hedging, month 36: states with 2+ partners {spread(two.astype(float), '.0f')} of {end['state'].nunique()}"
    ]
    ties_end = ties[ties["step"] == MONTHS]
    for code in codes:
        k = end.loc[end["state"] == code, "partners"].astype(float)
        mine = ties_end[(ties_end["state"] == code) & (ties_end["affinity"] > PARTNER_AFFINITY)]
        who = " ".join(f"{p} {v}" for p, v in mine["power"].value_counts().items()) or "none"
        lines.append(f"    {code}: partners {spread(k, '.0f')}; partner in x/{n} seeds: {who}")
    return lines


def leaves_russia(states: pd.DataFrame, code: str) -> str:
    """The month from which `code`'s leading partner is never Russia again, per seed."""
    months = {}
    for run_id, g in states[states["state"] == code].sort_values("step").groupby("run"):
        lead = g["leading_partner"].tolist()
        months[run_id] = next((i for i in range(len(lead)) if "RUS" not in lead[i:]), None)
    lost = pd.Series({k: v for k, v in months.items() if v is not None}, dtype=float)
    if lost.empty:
        return f"never, in all {len(months)} seeds"
    return (
        f"in {len(lost)}/{len(months)} seeds, from month {int(lost.median())} median "
        f"({int(lost.min())}-{int(lost.max())})"
    )


def report(lesson: int, name: str, overrides: list[str], seeds: list[int]) -> None:
    states, ties, events, bases = run(overrides, seeds)
    n = len(seeds)
    end = states[states["step"] == MONTHS]
    ties_end = ties[ties["step"] == MONTHS]
    share = influence_share(ties, states)
    share = share[share["step"] == MONTHS].pivot(index="run", columns="power", values="share")
    print(f"\n[lesson {lesson}] {name}: {' '.join(overrides) or '(no overrides)'}")
    print("  influence share, month 36: " + ", ".join(f"{p} {spread(share[p], '.2f')}" for p in POWERS))
    for code in AES + (FRENCH_HOSTS if lesson == 2 else ("TCD",)):
        aff = ties_end[ties_end["state"] == code].pivot(index="run", columns="power", values="affinity")
        print(
            f"  {code}: leading partner month 36: {counts(end.loc[end['state'] == code, 'leading_partner'])}; "
            f"affinity RUS {spread(aff['RUS'])}, USA {spread(aff['USA'])}, FRA {spread(aff['FRA'])}, "
            f"CHN {spread(aff['CHN'])}"
        )
    for line in hedging(states, ties, AES + (FRENCH_HOSTS if lesson == 2 else ("TCD",)), n):
        print(line)
    ner12 = states[(states["step"] == 12) & (states["state"] == "NER")]
    print(
        f"  NER leading partner month 12: {counts(ner12['leading_partner'])}; "
        f"Russia loses the lead for good: {leaves_russia(states, 'NER')}"
    )
    expel = events[events["type"] == "expel"]
    print(f"  Russian deployments: {russian_deployments(events, ties, n)}")
    invites = events[(events["type"] == "invite") & (events["power"] == "RUS")]
    print(f"  invitations to Russia: {len(invites)} in {seeds_with(invites, n)}; {spare_troops(overrides)}")
    for code in AES + (FRENCH_HOSTS if lesson == 2 else ()):
        print(coup_attempts(events, code, n))
    for line in commitments(events, lesson, n):
        print(line)
    for line in decisions(events, n):
        print(line)
    if lesson == 2:
        french = ties_end[(ties_end["power"] == "FRA") & ties_end["state"].isin(FRENCH_HOSTS)]
        french = french.pivot(index="run", columns="state", values="troops")
        print(
            "  French troops at month 36: "
            + ", ".join(
                f"{c} {spread(french[c], '.0f')} (none in {int((french[c] == 0).sum())}/{n})" for c in FRENCH_HOSTS
            )
        )
        for power, hosts in (("FRA", FRENCH_HOSTS), ("RUS", AES)):
            for code in hosts:
                ordered_out = expel[(expel["power"] == power) & (expel["state"] == code)]
                print(f"  {code} orders {power} out: {seeds_with(ordered_out, n)}")
                if power == "FRA":
                    slipped = set(
                        events.loc[
                            (events["type"] == "commitment_slipped")
                            & (events["power"] == "FRA")
                            & (events["state"] == code),
                            "run",
                        ]
                    )
                    out = set(ordered_out["run"])
                    print(
                        f"    of which in the {len(slipped)} seeds where France's drawdown there slipped: "
                        f"{len(out & slipped)}; in the other {n - len(slipped)}: {len(out - slipped)}"
                    )
    if lesson == 3:
        ner_ties = ties_end[ties_end["state"] == "NER"].pivot(index="run", columns="power", values="troops")
        ins = {m: states.loc[(states["step"] == m) & (states["state"] == "NER"), "insurgency"] for m in (0, 12, 36)}
        incidents = events[(events["type"] == "incident") & (events["state"] == "NER")]
        print(
            f"  NER: US troops at month 36 in {int((ner_ties['USA'] > 0).sum())}/{n} seeds; "
            "insurgency " + ", ".join(f"month {m} {spread(x, '.2f')}" for m, x in ins.items())
        )
        ner = ties_end[ties_end["state"] == "NER"]
        for power in ("USA", "RUS"):
            terms = ner[ner["power"] == power]
            print(
                f"  NER's score of {power}, month 36 (median): security {terms['term_security'].median():+.2f}, "
                f"regime protection {terms['term_regime_protection'].median():+.2f}, "
                f"total {terms['utility'].median():+.2f}"
            )
        print(f"  NER orders the US out: {seeds_with(expel[(expel['power'] == 'USA') & (expel['state'] == 'NER')], n)}")
        for base in NIGER_BASES:
            at = incidents[incidents["base"] == base]
            print(f"  incidents at {base}: {len(at)} in {seeds_with(at, n)}")
        shared = bases[
            (bases["step"] == MONTHS)
            & bases["base"].isin(NIGER_BASES)
            & (bases["owner"] == "USA")
            & (bases["co_tenant"] == "RUS")
        ]
        print(
            "  Russian forces share the US base at month 36: "
            + ", ".join(f"{b} {int((shared['base'] == b).sum())}/{n} seeds" for b in NIGER_BASES)
        )
        coups = events[(events["type"] == "coup") & (events["state"] == "NER")]
        print(f"  coups in Niger (against the junta, or the government elected in August 2026): {seeds_with(coups, n)}")
        suspended = events[(events["type"] == "aid_suspend") & (events["state"] == "NER") & (events["power"] == "USA")]
        print(
            f"  the US suspends aid to Niger after a coup: {len(suspended)} times after {len(coups)} coups, "
            f"in {seeds_with(suspended, n)}"
        )


def quoted_numbers(text: str, lang: str = "en") -> Counter:
    """Every number a lesson's text quotes, as English writes it ('-0.95', '1000'), with how often:
    prose read in its language's way, code and link targets in English."""
    found: Counter = Counter()
    text = _LINK_TARGET.sub("]", text)
    prose = _CODE.sub(lambda m: found.update(_normal(_EN_NUMBER.findall(m.group()), "en")) or " ", text)
    found.update(_normal((_FR_NUMBER if lang == "fr" else _EN_NUMBER).findall(prose), lang))
    return found


def _normal(numbers: list[str], lang: str) -> list[str]:
    out = []
    for n in numbers:
        n = n.replace("\u2212", "-")
        n = n.replace("\u00a0", "").replace("\u202f", "").replace(",", ".") if lang == "fr" else n.replace(",", "")
        out.append(n)
    return out


def translations() -> list[tuple[Path, Path]]:
    """(English plan, its translation) for every docs/lessons/LANG/NN-name.md."""
    return [
        (LESSONS / path.name, path)
        for path in sorted(LESSONS.glob("*/[0-9][0-9]-*.md"))
        if (LESSONS / path.name).is_file()
    ]


def compare_translation(english: Path, translated: Path) -> tuple[Counter, Counter]:
    """The numbers the English plan quotes that the translation lacks, and those it adds."""
    lang = translated.parent.name
    ours = quoted_numbers(english.read_text(encoding="utf-8"))
    theirs = quoted_numbers(translated.read_text(encoding="utf-8"), lang)
    return ours - theirs, theirs - ours


def check_translations() -> bool:
    """Print, for each translation, whether it quotes the English plan's numbers; True if all do."""
    ok = True
    for english, translated in translations():
        missing, extra = compare_translation(english, translated)
        name = translated.relative_to(LESSONS)
        if missing or extra:
            ok = False
            print(
                f"{name}: differs from {english.name}: missing {dict(missing)}; not in the English plan {dict(extra)}"
            )
        else:
            print(
                f"{name}: the same {sum(quoted_numbers(english.read_text(encoding='utf-8')).values())} numbers "
                f"as {english.name}"
            )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", type=int, choices=sorted(SETTINGS), help="one lesson only")
    parser.add_argument("--seeds", type=int, default=10, help="run seeds 0..N-1 (default 10)")
    parser.add_argument(
        "--translations",
        action="store_true",
        help="only check that each translated plan quotes the English plan's numbers",
    )
    args = parser.parse_args()
    ok = check_translations()
    if args.translations:
        sys.exit(0 if ok else 1)
    seeds = list(range(args.seeds))
    for lesson in [args.lesson] if args.lesson else sorted(SETTINGS):
        for name, overrides in SETTINGS[lesson]:
            report(lesson, name, overrides, seeds)


if __name__ == "__main__":
    main()
