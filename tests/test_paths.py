from __future__ import annotations

from pathlib import Path

import pytest

from app.backend.paths import AppPaths


def test_home_variable_moves_every_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LLAMADESK_HOME", str(tmp_path / "home"))
    paths = AppPaths.resolve()
    for folder in (paths.data, paths.config, paths.cache, paths.logs, paths.models):
        assert folder.is_relative_to(tmp_path / "home")
    assert paths.log_file.parent == paths.logs


def test_flag_wins_over_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LLAMADESK_HOME", str(tmp_path / "env"))
    paths = AppPaths.resolve(tmp_path / "flag")
    assert paths.data.is_relative_to(tmp_path / "flag")


def test_default_uses_platform_folders_named_for_the_app(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("LLAMADESK_HOME")
    paths = AppPaths.resolve()
    assert "LlamaDesk" in str(paths.data)
    assert "LlamaDesk" in str(paths.config)


def test_create_makes_the_folders(tmp_path: Path):
    paths = AppPaths.under(tmp_path / "x")
    paths.create()
    assert paths.models.is_dir() and paths.logs.is_dir() and paths.config.is_dir()
