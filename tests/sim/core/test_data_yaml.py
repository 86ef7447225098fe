"""sim.core.data_yaml: every way a data file can be more than data is refused cleanly, naming the
file, the line or field and the fix; plain data loads as PyYAML's safe loader reads it."""

from __future__ import annotations

import os
import re
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core.data_yaml import MAX_DEPTH, DataYamlError, check_numbers, load_file, load_text, read_text
from sim.core.world import WorldError, load_world

PLAIN = "meta: {name: x, as_of: '2024-05'}\nstates:\n  - code: NER\n    population_m: 27.2\n    resources: [uranium]\n"


def test_plain_data_loads_as_the_safe_loader_reads_it():
    assert load_text(PLAIN, "f.yaml") == yaml.safe_load(PLAIN)


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "the key 'a' is given twice in one mapping (first at line 1)", 3),
        ("x: &v [1, 2]\ny: *v\n", "an alias (*v)", 2),
        ("v: .nan\n", "is not finite", None),
        ("v: -.inf\n", "is not finite", None),
        (f"v: {'9' * 400}\n", "too large to be a quantity", None),
    ],
)
def test_data_that_is_more_than_data_is_refused(text, needle, line):
    with pytest.raises(DataYamlError) as err:
        load_text(text, "Move file m.yaml")
    msg = str(err.value)
    assert msg.startswith("Move file m.yaml") and needle in msg
    if line is not None:
        assert f"at line {line}" in msg


def test_a_billion_laughs_is_refused_at_once():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    started = time.perf_counter()
    with pytest.raises(DataYamlError, match="alias"):
        load_text("\n".join(lines) + "\n", "w.yaml")
    assert time.perf_counter() - started < 1.0  # a bound on a refusal, not a performance claim


def test_deep_nesting_is_refused():
    text = "v: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    with pytest.raises(DataYamlError, match="nested more than"):
        load_text(text, "w.yaml")
    assert load_text("v: " + "[" * 10 + "]" * 10 + "\n", "w.yaml")  # ten levels are fine


def test_python_tags_stay_refused():
    with pytest.raises(yaml.YAMLError):
        load_text("v: !!python/object/apply:os.system ['echo hi']\n", "w.yaml")


def test_files_that_are_not_small_utf8_text_are_refused(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: C\xf4te d'Ivoire\n".encode("latin-1"))
    with pytest.raises(DataYamlError, match=r"latin.yaml at line 1: not UTF-8 text \(byte 7\)\. Save the file"):
        read_text(latin, "World file latin.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("x: 1\n" * 300)
    with pytest.raises(DataYamlError, match="larger than"):
        read_text(big, "big.yaml", max_bytes=1024)
    with pytest.raises(DataYamlError, match="not a regular file"):
        read_text(tmp_path, "a folder")
    with pytest.raises(DataYamlError, match="no such file"):
        load_file(tmp_path / "missing.yaml")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_a_device_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(DataYamlError, match="not a regular file"):
        read_text(link)


def test_world_files_use_the_safe_reader(tmp_path, tiny_world_path):
    text = tiny_world_path.read_text(encoding="utf-8")
    dup = tmp_path / "dup.yaml"
    dup.write_text(text.replace("meta:\n", "meta:\n  name: first\n", 1), encoding="utf-8")
    with pytest.raises(WorldError, match=r"dup.yaml at line \d+.*given twice"):
        load_world(dup)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_yaml_is_loaded_or_refused_never_crashes(data):
    # a property test: byte-level mutations of a plain data file either load or are refused with
    # one of the documented errors; nothing else escapes
    text = PLAIN
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        insert = data.draw(
            st.sampled_from(
                ["&a ", "*a", "\t", ": ", "- ", "[", "{", "!!", ".nan", "\n  ", "9" * 40, "a: 1\n", "\x00", "'"]
            )
        )
        text = text[:pos] + insert + text[pos:]
    try:
        load_text(text, "m.yaml")
    except (DataYamlError, yaml.YAMLError, ValueError):
        pass


def _laughs() -> str:
    return "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )


@pytest.mark.parametrize(
    "case", ["not UTF-8", "400-digit integer", "deep nesting", "billion laughs", "too large", "symlink to /dev/zero"]
)
def test_the_issue_examples_are_refused_by_the_world_loader(case, tmp_path, tiny_world_path):
    # issue 14's world-file examples, end to end through load_world (not only the reader): each one a
    # WorldError naming the file, in well under a second, where each was a traceback, a hang or
    # memory exhaustion before
    text = tiny_world_path.read_text(encoding="utf-8")
    path = tmp_path / "w.yaml"
    if case == "not UTF-8":
        path.write_bytes(text.replace("meta:\n", "meta:\n  description: C\xf4te\n", 1).encode("latin-1"))
        needle = "not UTF-8"
    elif case == "400-digit integer":
        path.write_text(re.sub(r"troops_deployable: [0-9.]+", "troops_deployable: " + "9" * 400, text, count=1))
        needle = "too large to be a quantity"
    elif case == "deep nesting":
        path.write_text(text + "extra: " + "[" * 2000 + "]" * 2000 + "\n")
        needle = "nested more than"
    elif case == "billion laughs":
        path.write_text(_laughs() + text)
        needle = "alias"
    elif case == "too large":
        path.write_text(text + "#" + "x" * (6 * 1024 * 1024) + "\n")
        needle = "larger than"
    else:
        if not os.path.exists("/dev/zero"):
            pytest.skip("needs /dev/zero")
        path.symlink_to("/dev/zero")
        needle = "not a regular file"
    started = time.perf_counter()
    with pytest.raises(WorldError) as err:
        load_world(path)
    assert time.perf_counter() - started < 5.0  # a bound on a refusal, not a performance claim
    assert str(err.value).startswith(f"World file {path}") and needle in str(err.value), str(err.value)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"powers": [{"code": "USA", "troops": 10**400}]}, "powers[USA].troops"),
        ({"ties": [{"state": "NER", "power": "USA", "affinity": float("nan")}]}, "ties[NER-USA].affinity"),
        ({"facts": [{"id": "coup_rate", "value": float("inf")}]}, "facts[coup_rate].value"),
        ({"values": [1, 10**400]}, "values[1]"),
    ],
)
def test_a_bad_number_is_named_by_its_items_code_as_the_world_loader_names_it(data, field):
    # issue 14: the 400-digit refusal named powers[0] where the world loader's own messages say powers[USA]
    with pytest.raises(DataYamlError) as err:
        check_numbers(data, "w.yaml")
    assert f"field {field})" in str(err.value), str(err.value)
