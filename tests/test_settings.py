from __future__ import annotations

import json
from pathlib import Path

from app.backend.settings import Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path):
    assert load_settings(tmp_path / "none.json") == Settings()


def test_round_trip(tmp_path: Path):
    path = tmp_path / "s.json"
    chosen = Settings(threads=3, context_size=8192, temperature=0.2, seed=9, model="/m.gguf")
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert not list(tmp_path.glob(".settings-*"))  # no temporary file left


def test_each_bad_value_falls_back_alone_with_a_message(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"threads": -4, "temperature": 0.3, "seed": True,
                                "colour": "red", "context_size": "big"}))
    loaded = load_settings(path)
    assert loaded.temperature == 0.3  # the good value is kept
    assert loaded.threads == 0 and loaded.seed is None and loaded.context_size == 4096
    text = " ".join(loaded.problems)
    assert "'threads' is -4" in text and "'colour'" in text and "'context_size'" in text
    assert "'seed' is True" in text


def test_unreadable_file_is_left_untouched(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text("[1, 2")
    loaded = load_settings(path)
    assert loaded == Settings() and "could not be read" in loaded.problems[0]
    assert path.read_text() == "[1, 2"
    path.write_text("[1, 2]")
    assert "does not hold settings" in load_settings(path).problems[0]


def test_settings_feed_the_engine():
    settings = Settings(threads=2, context_size=1024, gpu_layers=0, max_tokens=5, seed=4)
    assert settings.load_options().threads == 2
    assert settings.load_options().gpu_layers == 0
    assert settings.generation_params().seed == 4
    assert settings.generation_params().max_tokens == 5


def test_gpu_layers_per_model_are_validated(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"gpu_layers_per_model": {"/m/a.gguf": 0, "/m/b.gguf": 20}}))
    loaded = load_settings(path)
    assert loaded.load_options("/m/b.gguf").gpu_layers == 20
    assert loaded.load_options("/m/other.gguf").gpu_layers == -1
    path.write_text(json.dumps({"gpu_layers_per_model": {"/m/a.gguf": "lots"}}))
    assert "gpu_layers_per_model" in load_settings(path).problems[0]


def test_the_servers_settings_are_validated_and_round_trip(tmp_path: Path):
    path = tmp_path / "s.json"
    good = {"server_enabled": True, "server_host": "0.0.0.0", "server_port": 9000,
            "server_allowed_origins": ["http://localhost:3000"], "server_save_history": True}
    path.write_text(json.dumps(good))
    loaded = load_settings(path)
    assert loaded.problems == ()
    assert loaded.server_allowed_origins == ("http://localhost:3000",)
    save_settings(loaded, path)
    assert load_settings(path) == loaded
    path.write_text(json.dumps({"server_enabled": 1, "server_host": "my.host",
                                "server_port": 70000, "server_allowed_origins": ["*"],
                                "server_save_history": "yes"}))
    loaded = load_settings(path)
    assert loaded == Settings() and len(loaded.problems) == 5
    assert "wildcards" not in " ".join(loaded.problems)  # says what is allowed instead
    assert "'server_allowed_origins' is ['*']" in " ".join(loaded.problems)


def test_updating_one_setting_keeps_the_others_in_the_file(tmp_path: Path):
    from app.backend.settings import update_settings_file

    path = tmp_path / "s.json"
    save_settings(Settings(temperature=0.2, server_enabled=True), path)
    update_settings_file(path, gpu_layers_per_model={"/m.gguf": 0})
    loaded = load_settings(path)
    assert loaded.server_enabled and loaded.temperature == 0.2
    assert loaded.gpu_layers_per_model == {"/m.gguf": 0}
