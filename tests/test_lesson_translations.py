"""Translated lesson plans (docs/lessons/LANG/) quote exactly the numbers of the English plans
(docs/lessons/check_lessons.py --translations), so the English plan's checked numbers hold for
them; French prose writes numbers its own way ('+0,73', '1 000') and is read that way."""

from __future__ import annotations

import importlib.util
import shutil
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "docs" / "lessons"


def _checker():
    spec = importlib.util.spec_from_file_location("check_lessons", LESSONS / "check_lessons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lesson_1_has_a_french_translation_with_the_same_numbers():
    check = _checker()
    pairs = check.translations()
    assert (
        LESSONS / "01-why-juntas-turned-to-russia.md",
        LESSONS / "fr" / "01-why-juntas-turned-to-russia.md",
    ) in pairs
    for english, translated in pairs:
        missing, extra = check.compare_translation(english, translated)
        assert not missing and not extra, (translated, missing, extra)
    assert sum(check.quoted_numbers((LESSONS / "01-why-juntas-turned-to-russia.md").read_text()).values()) > 300


def test_numbers_are_read_in_each_language_s_way():
    check = _checker()
    english = "Russia +0.73 (+0.49 to +0.81), 1,000 troops, months 1-3, `x=0.3`, [a](../model.md#74-x)."
    french = "Russie +0,73 (+0,49 à +0,81), 1\u202f000 soldats, mois 1 à 3, `x=0.3`, [a](../../model.md#74-x)."
    assert (
        check.quoted_numbers(english)
        == check.quoted_numbers(french, "fr")
        == Counter({"+0.73": 1, "+0.49": 1, "+0.81": 1, "1000": 1, "1": 1, "3": 1, "0.3": 1})
    )
    assert check.quoted_numbers("success chance 6.9%, graines 0, 1", "fr") == Counter({"6.9": 1, "0": 1, "1": 1})


def test_a_changed_number_in_a_translation_is_caught(tmp_path):
    check = _checker()
    english = LESSONS / "01-why-juntas-turned-to-russia.md"
    (tmp_path / "fr").mkdir()
    translated = tmp_path / "fr" / english.name
    shutil.copy(LESSONS / "fr" / english.name, translated)
    text = translated.read_text(encoding="utf-8")
    assert "+0,78 (+0,55 à +0,88)" in text
    translated.write_text(text.replace("+0,78 (+0,55 à +0,88)", "+0,79 (+0,55 à +0,88)"), encoding="utf-8")
    missing, extra = check.compare_translation(english, translated)
    assert missing == Counter({"+0.78": 1}) and extra == Counter({"+0.79": 1})
