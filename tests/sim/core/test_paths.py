"""Where the configs and world files are: the repository's folders in a checkout, the packaged copy
(sim/_data/, importlib.resources) when installed, and a clear error when neither is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.core import paths

ROOT = Path(__file__).resolve().parents[3]


def test_a_checkout_uses_the_repository_folders():
    assert paths.in_checkout()
    assert paths.conf_dir() == ROOT / "conf" and (paths.conf_dir() / "config.yaml").is_file()
    assert paths.scenario_dir() == ROOT / "scenarios" and (paths.scenario_dir() / "sahel_2024.yaml").is_file()


def test_an_installed_package_uses_its_packaged_data(tmp_path, monkeypatch):
    """Installed: no conf/ beside the package, so the folders come from sim/_data/ of the package."""
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path / "site-packages")
    package = tmp_path / "site-packages" / "sim"
    for name in ("conf", "scenarios"):
        (package / "_data" / name).mkdir(parents=True)
    monkeypatch.setattr(paths.resources, "files", lambda name: package if name == "sim" else None)
    assert not paths.in_checkout()
    assert paths.conf_dir() == package / "_data" / "conf"
    assert paths.scenario_dir() == package / "_data" / "scenarios"


def test_missing_data_names_both_places_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(paths.resources, "files", lambda name: tmp_path / "sim")
    with pytest.raises(paths.DataNotFoundError) as err:
        paths.conf_dir()
    text = str(err.value)
    assert str(tmp_path / "sim" / "_data" / "conf") in text and str(tmp_path / "conf") in text
    assert "pip install --force-reinstall" in text
