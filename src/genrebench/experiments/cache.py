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
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.experiments.runs import RunResult, run_key
from genrebench.files import project_root

__all__ = ["CacheCorruptError", "ResultCache", "default_cache_dir", "run_key"]


class CacheCorruptError(RuntimeError):
    """A cache entry whose files are missing or do not match their checksums."""


def default_cache_dir() -> Path:
    """``$GENREBENCH_CACHE``, else ``.genrebench_cache`` in the book's root (or current folder)."""
    override = os.environ.get("GENREBENCH_CACHE")
    if override:
        return Path(override)
    return (project_root() or Path.cwd()) / ".genrebench_cache"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ResultCache:
    """A folder of run entries; see the module docstring for the guarantees."""

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
        if not manifest_path.is_file():
            raise CacheCorruptError(f"{entry}: no manifest")
        try:
            manifest = json.loads(manifest_path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CacheCorruptError(f"{entry}: unreadable manifest ({error})") from error
        for name, checksum in manifest.get("files", {}).items():
            path = entry / name
            if not path.is_file() or _sha256(path) != checksum:
                raise CacheCorruptError(
                    f"{entry}: {name} is missing or does not match its checksum"
                )
        return manifest

    def load(self, key: str) -> RunResult:
        self._verify(key)
        entry = self.path(key)
        record = json.loads((entry / "run.json").read_text())
        with np.load(entry / "scores.npz") as arrays:
            scores = {name: arrays[name] for name in arrays.files}
        metrics = pd.read_csv(entry / "metrics.csv")
        return RunResult(key=key, record=record, scores=scores, metrics=metrics, cached=True)

    def save(self, result: RunResult) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".{result.key}.{uuid.uuid4().hex}.partial"
        staging.mkdir()
        try:
            np.savez(staging / "scores.npz", **result.scores)
            result.metrics.to_csv(staging / "metrics.csv", index=False)
            (staging / "run.json").write_text(json.dumps(result.record, indent=1, sort_keys=True))
            files = {p.name: _sha256(p) for p in sorted(staging.iterdir())}
            (staging / "manifest.json").write_text(json.dumps({"files": files}, indent=1))
            final = self.path(result.key)
            if final.exists():  # a corrupt entry being replaced
                shutil.rmtree(final)
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def discard(self, key: str) -> None:
        shutil.rmtree(self.path(key), ignore_errors=True)

    def clean_partials(self) -> int:
        """Remove staging folders left by killed processes; return how many."""
        partials = list(self.root.glob(".*.partial")) if self.root.exists() else []
        for partial in partials:
            shutil.rmtree(partial, ignore_errors=True)
        return len(partials)
