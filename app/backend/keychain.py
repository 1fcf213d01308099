"""Secrets in the OS keyring only, never in a file or a log: the Hugging Face
token, the local server's API key, and the API keys of remote engines.

Where the OS has no keyring, they are kept for this session only, and the
caller is told so.
"""

from __future__ import annotations

import contextlib
import logging
import os

from app.backend.words import said

log = logging.getLogger(__name__)
SERVICE = "LlamaDesk"
ACCOUNT = "huggingface-token"
SERVER_KEY_ACCOUNT = "server-api-key"
SERVER_KEY_PREFIX = "ld-"
_session_token: str | None = None
_session_server_key: str | None = None


def keyring_problem() -> str | None:
    """None when a real keyring is there; else what to tell the user."""
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return said("This system has no keyring, so the Hub token is kept for this session "
                    "only and must be entered again after a restart (or set HF_TOKEN in the "
                    "environment).")
    return None


def env_token() -> str | None:
    """HF_TOKEN (or the older HUGGING_FACE_HUB_TOKEN), as huggingface_hub honours it."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def get_token() -> str | None:
    """HF_TOKEN first (as huggingface_hub does), then the keyring, then this session's."""
    from_env = env_token()
    if from_env:
        return from_env
    if keyring_problem():
        return _session_token
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, ACCOUNT) or _session_token
    except KeyringError as error:
        log.warning("keyring unavailable: %s", type(error).__name__)
        return _session_token


def set_token(token: str) -> str | None:
    """Store the token; returns a message when it could only be kept for the session."""
    global _session_token
    token = token.strip()
    problem = keyring_problem()
    if problem:
        _session_token = token
        return problem
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, ACCOUNT, token)
    except KeyringError as error:
        _session_token = token
        return said("The keyring refused the token ({error}); it is kept for this session "
                    "only.", error=type(error).__name__)
    return None


def clear_token() -> None:
    global _session_token
    _session_token = None
    if keyring_problem():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, ACCOUNT)


def server_key() -> tuple[str, str | None]:
    """The local server's API key, made on first use and kept in the keyring;
    and a message when it could only be kept for this session."""
    global _session_server_key
    problem = said("This system has no keyring.") if keyring_problem() else None
    if problem is None:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(SERVICE, SERVER_KEY_ACCOUNT)
            if stored:
                return stored, None
            key = _session_server_key or new_key()
            keyring.set_password(SERVICE, SERVER_KEY_ACCOUNT, key)
            return key, None
        except KeyringError as error:
            problem = said("The keyring refused the server's API key ({error}).",
                           error=type(error).__name__)
    _session_server_key = _session_server_key or new_key()
    return _session_server_key, said(
        "{problem} The server's API key is kept for this session only: a new one is made "
        "after a restart.", problem=problem)


def renew_server_key() -> tuple[str, str | None]:
    """Replace the API key (clients must then use the new one)."""
    global _session_server_key
    _session_server_key = None
    if keyring_problem() is None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError, KeyringError):
            keyring.delete_password(SERVICE, SERVER_KEY_ACCOUNT)
    return server_key()


def new_key() -> str:
    """A fresh API key: 256 random bits, URL-safe."""
    import secrets  # hmac and OpenSSL's hashes with it: not at start-up

    return SERVER_KEY_PREFIX + secrets.token_urlsafe(32)


ENGINE_KEY_PREFIX = "remote-engine:"
_session_engine_keys: dict[str, str] = {}


def engine_key(name: str) -> str | None:
    """The API key of the remote engine ``name``, if it has one."""
    if keyring_problem() is None:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(SERVICE, ENGINE_KEY_PREFIX + name)
            if stored:
                return stored
        except KeyringError as error:
            log.warning("keyring unavailable: %s", type(error).__name__)
    return _session_engine_keys.get(name)


def set_engine_key(name: str, key: str | None) -> str | None:
    """Keep (or, with None or "", forget) a remote engine's API key; returns a message
    when it could only be kept for this session."""
    _session_engine_keys.pop(name, None)
    problem = said("This system has no keyring.") if keyring_problem() else None
    if problem is None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            if key:
                keyring.set_password(SERVICE, ENGINE_KEY_PREFIX + name, key)
                return None
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, ENGINE_KEY_PREFIX + name)
            return None
        except KeyringError as error:
            problem = said("The keyring refused the key ({error}).", error=type(error).__name__)
    if key:
        _session_engine_keys[name] = key
        return said("{problem} The API key of {name} is kept for this session only.",
                    problem=problem, name=name)
    return None
