"""The run cache: checksummed entries, written atomically, keyed by :func:`run_key`.

Each entry is a folder holding the run's validation and test scores at every
snapshot epoch (``scores.npz``), its tidy metrics table (``metrics.csv``), its
loss curves and config (``run.json``), and a ``manifest.json`` with the SHA-256
of each file. Entries are written into a temporary folder and renamed into place
in one step, so a process killed mid-grid loses at most the run in flight; an
entry whose files do not match their checksums is discarded and recomputed,
never read as a result.
"""

import hashlib
import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.experiments.runs import RunResult, run_key
from genrebench.files import process_alive, project_root

__all__ = ["CacheCorruptError", "ResultCache", "default_cache_dir", "run_key"]


class CacheCorruptError(RuntimeError):
    """A cache entry whose files are missing or do not match their checksums."""


def default_cache_dir() -> Path:
    """``$GENREBENCH_CACHE``, else ``.genrebench_cache`` in the book's root (or current folder)."""
    override = os.environ.get("GENREBENCH_CACHE")
    if override:
        return Path(override)
    return (project_root() or Path.cwd()) / ".genrebench_cache"


#: A staging folder whose owner cannot be checked (another host, an old name) is only
#: removed once it is this old: no single run's save takes an hour.
STALE_PARTIAL_SECONDS = 3600
#: The files every entry holds besides its manifest.
ENTRY_FILES = ("metrics.csv", "run.json", "scores.npz")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _host() -> str:
    return "".join(char if char.isalnum() else "-" for char in socket.gethostname()) or "host"


def _abandoned(partial: Path, now: float) -> bool:
    """Whether a staging folder was left by a process that is gone (see ``save``'s naming)."""
    parts = partial.name.split(".")  # "", key, host, pid, uuid, "partial"
    if len(parts) == 6 and parts[2] == _host() and parts[3].isdigit():
        return not process_alive(int(parts[3]))
    try:
        age = now - partial.stat().st_mtime
    except OSError:
        return False  # already gone
    return age > STALE_PARTIAL_SECONDS


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


class ResultCache:
    """A folder of run entries; see the module docstring for the guarantees.

    Several processes (a Dask cluster's workers, two commands) may share one cache: a
    save that finds a valid entry already in place keeps it, a load that races a save
    or a discard is a miss, and :meth:`clean_partials` leaves live processes' staging
    folders alone.
    """

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_cache_dir()

    def path(self, key: str) -> Path:
        return self.root / key

    def has(self, key: str) -> bool:
        try:
            self._verify(key)
        except CacheCorruptError:
            return False
        return True

    def _verify(self, key: str) -> dict:
        entry = self.path(key)
        manifest_path = entry / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CacheCorruptError(f"{entry}: no readable manifest ({error})") from error
        files = manifest.get("files") if isinstance(manifest, dict) else None
        if not isinstance(files, dict) or set(files) != set(ENTRY_FILES):
            raise CacheCorruptError(f"{entry}: the manifest does not list the entry's files")
        if manifest.get("key", key) != key:  # entries saved before keys were stored have none
            raise CacheCorruptError(f"{entry}: the entry holds run {manifest.get('key')!r}")
        for name, checksum in files.items():
            path = entry / name
            try:
                matches = path.is_file() and _sha256(path) == checksum
            except OSError:
                matches = False
            if not matches:
                raise CacheCorruptError(
                    f"{entry}: {name} is missing or does not match its checksum"
                )
        return manifest

    def load(self, key: str) -> RunResult:
        """The stored run; :class:`CacheCorruptError` if it is missing, damaged or being
        replaced while read (a miss: compute it again)."""
        self._verify(key)
        entry = self.path(key)
        try:
            record = json.loads((entry / "run.json").read_text())
            with np.load(entry / "scores.npz") as arrays:
                scores = {name: arrays[name] for name in arrays.files}
            metrics = pd.read_csv(entry / "metrics.csv")
        except Exception as error:  # removed or replaced under us by another process
            raise CacheCorruptError(f"{entry}: unreadable ({error})") from error
        if "run" in metrics and not (metrics["run"].astype(str) == key).all():
            raise CacheCorruptError(f"{entry}: its metrics belong to another run")
        return RunResult(key=key, record=record, scores=scores, metrics=metrics, cached=True)

    def save(self, result: RunResult) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f".{result.key}.{_host()}.{os.getpid()}.{uuid.uuid4().hex}.partial"
        staging = self.root / name
        staging.mkdir()
        try:
            np.savez(staging / "scores.npz", **result.scores)
            result.metrics.to_csv(staging / "metrics.csv", index=False)
            (staging / "run.json").write_text(json.dumps(result.record, indent=1, sort_keys=True))
            files = {p.name: _sha256(p) for p in sorted(staging.iterdir())}
            manifest = {"key": result.key, "files": files}
            (staging / "manifest.json").write_text(json.dumps(manifest, indent=1))
            final = self.path(result.key)
            if self.has(result.key):  # another process stored the same run first
                shutil.rmtree(staging, ignore_errors=True)
                return
            if final.exists() or final.is_symlink():  # a corrupt entry being replaced
                _remove(final)
            try:
                staging.rename(final)
            except OSError:
                if not self.has(result.key):  # lost a race to a valid entry: fine
                    raise
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def discard(self, key: str) -> None:
        _remove(self.path(key))

    def clean_partials(self) -> int:
        """Remove staging folders left by processes that are gone; return how many.

        A staging folder is named after its host and process id: one of this host's is
        removed when its process has ended, any other once it is
        :data:`STALE_PARTIAL_SECONDS` old. Another live process's save is never touched.
        """
        partials = list(self.root.glob(".*.partial")) if self.root.exists() else []
        now = time.time()
        removed = [partial for partial in partials if _abandoned(partial, now)]
        for partial in removed:
            _remove(partial)
        return len(removed)
