"""The Hugging Face token: in the OS keyring only, never in a file or a log.

Where the OS has no keyring, the token is kept for this session only, and the
caller is told so.
"""

from __future__ import annotations

import contextlib
import logging

log = logging.getLogger(__name__)
SERVICE = "LlamaDesk"
ACCOUNT = "huggingface-token"
_session_token: str | None = None


def keyring_problem() -> str | None:
    """None when a real keyring is there; else what to tell the user."""
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return ("This system has no keyring, so the Hub token is kept for this session only "
                "and must be entered again after a restart.")
    return None


def get_token() -> str | None:
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
        return f"The keyring refused the token ({type(error).__name__}); it is kept for this " \
               "session only."
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
