"""Where LlamaDesk keeps its files.

By default the places the OS expects (platformdirs, app name "LlamaDesk").
``LLAMADESK_HOME`` or ``--data-dir`` puts every one of them under one folder:
portable installs, tests, and people who want their chats on another disk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

HOME_ENV = "LLAMADESK_HOME"


@dataclass(frozen=True)
class AppPaths:
    """The app's folders; nothing is written outside them."""

    data: Path
    config: Path
    cache: Path
    logs: Path

    @property
    def models(self) -> Path:
        return self.data / "models"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "llamadesk.log"

    @classmethod
    def under(cls, home: Path) -> AppPaths:
        home = home.expanduser().resolve()
        return cls(data=home / "data", config=home / "config", cache=home / "cache",
                   logs=home / "logs")

    @classmethod
    def platform_default(cls) -> AppPaths:
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            data=Path(dirs.user_data_dir),
            config=Path(dirs.user_config_dir),
            cache=Path(dirs.user_cache_dir),
            logs=Path(dirs.user_log_dir),
        )

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        """The flag wins over the environment variable, which wins over the OS default."""
        chosen = data_dir if data_dir is not None else os.environ.get(HOME_ENV)
        if chosen:
            return cls.under(Path(chosen))
        return cls.platform_default()

    def create(self) -> None:
        for folder in (self.data, self.config, self.cache, self.logs, self.models):
            folder.mkdir(parents=True, exist_ok=True)
