"""Files only the bot's user may read: DATA_DIR 0700, every file in it 0600, whatever the umask.

The data directory holds sellers' photos, the database (with their sealed sessions) and
screenshots of their Vinted pages; on a shared machine none of it is anyone else's business.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create the directory (and its parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a file atomically with mode 0600, so a crash never leaves half of it."""
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # O_CREAT's mode is masked by the umask; fchmod is not
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    finally:
        if fd != -1:
            os.close(fd)
    os.replace(tmp, path)


def make_private(path: Path) -> None:
    """Make an existing file 0600 (a database created by an earlier version, say)."""
    if path.exists():
        os.chmod(path, FILE_MODE)


def lock_down(data_dir: Path) -> None:
    """Make DATA_DIR 0700 and everything already in it private (dirs 0700, files 0600)."""
    private_dir(data_dir)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            os.chmod(os.path.join(root, name), DIR_MODE)
        for name in files:
            full = os.path.join(root, name)
            if not os.path.islink(full):
                os.chmod(full, FILE_MODE)


def is_disk_full(exc: BaseException) -> bool:
    """Tell whether an error means the disk (or the user's quota) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()
