from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from app.backend.engine import GenerationParams, LoadOptions
from app.backend.schema import (
    BY_NAME,
    CHAT_KEYS,
    README_END,
    README_START,
    SCHEMA,
    Kind,
    Scope,
    Setting,
    readme_block,
    validate,
)
from app.backend.settings import Settings, load_settings, save_settings
from tests.conftest import ROOT


def test_missing_file_gives_defaults(tmp_path: Path):
    assert load_settings(tmp_path / "none.json") == Settings()


def test_round_trip(tmp_path: Path):
    path = tmp_path / "s.json"
    chosen = Settings.of(threads=3, context_size=8192, temperature=0.2, seed=9,
                         model="/m.gguf", gpu_layers_per_model={"/m.gguf": 4})
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert not list(tmp_path.glob(".settings-*"))  # no temporary file left


def test_each_bad_value_falls_back_alone_with_a_message(tmp_path: Path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"threads": -4, "temperature": 0.3, "seed": True,
                                "colour": "red", "context_size": "big"}))
    loaded = load_settings(path)
    assert loaded.generation.temperature == 0.3  # the good value is kept
    assert loaded.load.threads == 0 and loaded.generation.seed is None
    assert loaded.load.context_size == 4096
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
    settings = Settings.of(threads=2, context_size=1024, gpu_layers=0, max_tokens=5, seed=4)
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


def test_each_setting_is_declared_once_with_its_default_from_the_schema():
    """Settings, LoadOptions and GenerationParams hold every schema setting exactly
    once, and take their defaults from it."""
    holders = {"Settings": {f.name for f in fields(Settings)} - {"load", "generation",
                                                                   "problems"},
               "LoadOptions": {f.name for f in fields(LoadOptions)},
               "GenerationParams": {f.name for f in fields(GenerationParams)}
               # asked of one answer (the local server's requests), not settings
               - {"grammar", "stop", "presence_penalty", "frequency_penalty", "ignore_eos"}}
    declared = [name for names in holders.values() for name in names]
    assert sorted(declared) == sorted(s.name for s in SCHEMA)
    assert Settings().values() == {s.name: s.default for s in SCHEMA}
    assert GenerationParams().temperature == BY_NAME["temperature"].default
    assert LoadOptions().context_size == BY_NAME["context_size"].default


def test_every_value_the_schema_allows_is_kept_and_the_ends_are_allowed():
    for setting in SCHEMA:
        if setting.kind in (Kind.INT, Kind.FLOAT):
            assert setting.minimum is not None and setting.maximum is not None
            for value in (setting.minimum, setting.maximum):
                typed = int(value) if setting.kind is Kind.INT else float(value)
                assert validate({setting.name: typed}) == ({setting.name: typed}, [])
            below = setting.minimum - (1 if setting.kind is Kind.INT else setting.step)
            typed = int(below) if setting.kind is Kind.INT else below
            values, problems = validate({setting.name: typed})
            assert values == {} and setting.allowed() in problems[0]


def test_validation_messages_come_from_the_schema():
    _values, problems = validate({"threads": -1, "seed": "x", "gpu_layers": -5,
                                  "hub_endpoint": "ftp://x"})
    assert problems == [
        "Setting 'threads' is -1 but must be 0 (automatic) or a whole number from 1 to 512; "
        "using 0.",
        "Setting 'seed' is 'x' but must be null (random) or a whole number from 0 to "
        "2147483647; using null.",
        "Setting 'gpu_layers' is -5 but must be -1 (automatic), 0 (CPU only), 999 (all "
        "layers) or a whole number from 1 to 998; using -1.",
        "Setting 'hub_endpoint' is 'ftp://x' but must be null (HF_ENDPOINT, else the Hugging "
        "Face Hub) or an http:// or https:// address; using null."]


def test_a_float_keeps_the_decimals_the_panel_shows_and_says_so():
    values, problems = validate({"temperature": 0.123, "top_p": 0.5})
    assert values == {"temperature": 0.12, "top_p": 0.5}
    assert problems == ["Setting 'temperature' is 0.123 but keeps 2 decimals; using 0.12."]


def test_choices_are_the_only_values_allowed():
    theme = Setting("theme", Kind.TEXT, "system", "Theme", "Colours.", Scope.APP,
                    choices=(("system", "as the system"), ("dark", "dark")))
    assert theme.check("dark") == "dark"
    with pytest.raises(ValueError, match='one of "system", "dark"'):
        theme.check("pink")


def test_a_chat_keeps_its_own_values_and_its_context_length():
    settings = Settings.of(context_size=4096, temperature=0.7)
    chat = {"context_size": 1024, "temperature": 0.2, "top_k": "lots"}
    assert settings.load_options("/m.gguf", chat).context_size == 1024
    assert settings.generation_params(chat).temperature == 0.2
    assert settings.generation_params(chat).top_k == 40  # a bad value: the default
    assert set(settings.conversation_defaults()) == set(CHAT_KEYS)


def test_settings_of_refuses_what_the_schema_refuses():
    with pytest.raises(ValueError, match="'top_k' is -3"):
        Settings.of(top_k=-3)
    with pytest.raises(KeyError, match="'problems' is not a setting"):
        Settings().value("problems")  # code reads only what the schema defines


def test_the_readme_settings_block_is_the_schemas():
    """Regenerate with: .venv/bin/python -m app.backend.schema"""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_START), readme.index(README_END) + len(README_END)
    assert readme[start:end] == readme_block()
    # Read back as a settings file, the block's JSON is the defaults.
    assert validate(json_block_defaults(readme[start:end])) == (Settings().values(), [])


def json_block_defaults(block: str) -> dict[str, object]:
    text = block.split("```json\n", 1)[1].split("```", 1)[0]
    return dict(json.loads(text))


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
