"""Conventions of the rule modules: every rule with more than one parameter takes them by keyword
only (a call names what it passes), and no rule draws random numbers or imports a framework."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

RULES = ("alignment", "hazards", "incentives", "insurgency", "policy")
RULES_DIR = Path(importlib.import_module("sim.core.rules").__file__).parent


@pytest.mark.parametrize("name", RULES)
def test_rules_take_their_parameters_by_keyword(name):
    module = importlib.import_module(f"sim.core.rules.{name}")
    for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ != module.__name__ or fn_name.startswith("_"):
            continue
        params = list(inspect.signature(fn).parameters.values())
        positional = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
        assert len(params) <= 1 or not positional, f"sim.core.rules.{name}.{fn_name} takes {positional} by position"


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_rules_draw_nothing_and_import_no_framework(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert imported <= {"__future__", "numpy", "sim.core.rules.common", "sim.core.vocabulary"}, imported
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not {c for c in calls if "random" in c}, f"{path.name} draws random numbers: {calls}"
