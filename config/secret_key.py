"""The embedded default's signing key: random, made once per install, kept in ``var/``.

A fixed key in the source would let anyone who reads it forge what Django signs (email
verification links, password-reset tokens, session data), so each install draws its own the
first time Hearth starts and reuses it afterwards, so sessions survive a restart of `make run`.
Production never comes here: it must be given ``SECRET_KEY``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

KEY_FILE_NAME = "secret_key"


def embedded_secret_key(var_dir: Path) -> str:
    """Return the key stored in ``var_dir``, creating it (mode 0600) on first use.

    The web server and the worker start at the same moment under `make run`, so the file is
    written under a temporary name and linked into place: whoever links first wins, and the
    other reads the winner's key instead of writing its own.
    """
    path = var_dir / KEY_FILE_NAME
    key = _read(path)
    if key:
        return key
    var_dir.mkdir(parents=True, exist_ok=True)
    candidate = secrets.token_urlsafe(50)
    temporary = var_dir / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(candidate + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    for _ in range(50):  # the other process's link is complete once the name exists
        key = _read(path)
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{path} exists but is empty; delete it and start Hearth again.")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
