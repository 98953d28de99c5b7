"""The user's cache folder: files derived from the installed code alone (a parsed dbt manifest, the ONNX
export of the sentence encoder, cut-down fonts), the same for every FINTRA_HOME on the machine, so that a
new home (a test's, a second bank's) does not derive them again."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from fintra.settings import get_settings


def cache_folder(name: str) -> Path:
    """$XDG_CACHE_HOME/fintra/<name> (default ~/.cache), created; FINTRA_HOME/cache/<name> when that cannot
    be written (no home directory, or a read-only one)."""
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fintra" / name
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except (OSError, RuntimeError):  # RuntimeError: no home directory to expand
        pass
    fallback = get_settings().home_dir / "cache" / name
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a file beside it, renamed), even with two processes writing it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        written = Path(part.name)
        try:
            part.write(data)
            part.flush()
            os.fsync(part.fileno())  # renamed only once on disk: a crash leaves no truncated file behind
        except BaseException:
            part.close()
            written.unlink(missing_ok=True)
            raise
    written.chmod(0o644)
    written.replace(path)


def used(stamp: Path) -> None:
    """Mark a cached version used now (`forget_old` removes the least recently used), where it can be."""
    with contextlib.suppress(OSError):
        os.utime(stamp)


def forget_old(folder: Path, keep: int, stamp: str) -> None:
    """Keep the `keep` (at least one) most recently used versions under `folder` (subfolders holding a file
    `stamp`, touched on use): each change of the code they derive from adds one."""
    versions = []
    for version in folder.iterdir():
        try:
            versions.append(((version / stamp).stat().st_mtime, version))
        except OSError:  # not a version, or one another process is removing
            continue
    for _, old in sorted(versions)[: len(versions) - max(keep, 1)]:
        shutil.rmtree(old, ignore_errors=True)
