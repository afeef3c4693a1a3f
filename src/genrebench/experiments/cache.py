"""The run cache: checksummed entries, written atomically, keyed by :func:`run_key`.

Each entry is a folder holding the run's validation and test scores at every
snapshot epoch (``scores.npz``), its tidy metrics table (``metrics.csv``), its
loss curves and config (``run.json``), and a ``manifest.json`` with the SHA-256
of each file. Entries are written into a temporary folder and renamed into place
in one step, so a process killed mid-grid loses at most the run in flight; an
entry whose files do not match their checksums is discarded and recomputed,
never read as a result.

The same folder holds, under ``prepared/``, the split and fitted features of each
dataset (:func:`prepare_cached`), with the same conventions: files written aside and
renamed into place, a manifest of checksums, a damaged entry computed again.
"""

import hashlib
import io
import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from genrebench.experiments.runs import Prepared, RunResult, prepare, run_key
from genrebench.files import atomic_write, process_alive, project_root

__all__ = ["CacheCorruptError", "ResultCache", "default_cache_dir", "prepare_cached", "run_key"]


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


# --- Prepared features: one split of a dataset and its fitted features, on disk ---------------

#: The folder of prepared-feature entries inside the cache (beside the run entries).
PREPARED_FOLDER = "prepared"
#: The files of a prepared entry besides its manifest.
PREPARED_FILES = ("X_train.npz", "X_val.npz", "X_test.npz", "targets.npz", "prepared.json")
#: Bumped when what a prepared entry stores changes shape.
PREPARED_FORMAT = 1


def prepared_key(
    dataset_fingerprint: str, split_seed: int, test: float, val: float, feature_options: dict
) -> str:
    """What a prepared entry is made of: the data, the split, the feature options and the code
    that splits and featurises (the run code's fingerprint covers both)."""
    from genrebench.experiments.runs import code_fingerprint

    payload = {
        "data": dataset_fingerprint,
        "split_seed": split_seed,
        "test": test,
        "val": val,
        "features": {key: repr(value) for key, value in sorted(feature_options.items())},
        "code": code_fingerprint(),
        "format": PREPARED_FORMAT,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def _npz_bytes(save, *args, **kwargs) -> bytes:
    buffer = io.BytesIO()
    save(buffer, *args, **kwargs)
    return buffer.getvalue()


def write_entry(root: Path, key: str, files: dict[str, bytes]) -> None:
    """Store ``files`` (name -> content) as entry ``key`` under ``root``, with a manifest of
    their checksums: written into a staging folder, renamed into place in one step."""
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for partial in root.glob(".*.partial"):  # left by processes that are gone
        if _abandoned(partial, now):
            _remove(partial)
    staging = root / f".{key}.{_host()}.{os.getpid()}.{uuid.uuid4().hex}.partial"
    staging.mkdir()
    try:
        for name, content in files.items():
            atomic_write(staging / name, content)
        checksums = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
        manifest = {"key": key, "files": checksums}
        atomic_write(staging / "manifest.json", json.dumps(manifest, indent=1))
        final = root / key
        try:
            read_entry(root, key, tuple(files))
        except CacheCorruptError:  # missing or damaged: ours replaces it
            if final.exists() or final.is_symlink():
                _remove(final)
            try:
                staging.rename(final)
            except OSError:  # another process put its (equal) entry in place first
                pass
        shutil.rmtree(staging, ignore_errors=True)  # gone if renamed; else unused
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_entry(root: Path, key: str, names: tuple[str, ...]) -> dict[str, bytes]:
    """The files of entry ``key``, each checked against the manifest; :class:`CacheCorruptError`
    if the entry is missing, partial or damaged (the bytes returned are the bytes checked)."""
    entry = root / key
    try:
        manifest = json.loads((entry / "manifest.json").read_text())
        checksums = manifest["files"]
        if manifest["key"] != key or set(checksums) != set(names):
            raise ValueError("the manifest does not describe this entry")
        files = {name: (entry / name).read_bytes() for name in names}
    except Exception as error:
        raise CacheCorruptError(f"{entry}: not a usable entry ({error})") from error
    for name, content in files.items():
        if hashlib.sha256(content).hexdigest() != checksums[name]:
            raise CacheCorruptError(f"{entry}: {name} does not match its checksum")
    return files


def prepared_files(prepared: Prepared) -> dict[str, bytes]:
    """The files of a prepared entry (:data:`PREPARED_FILES`)."""
    files = {
        f"X_{split}.npz": _npz_bytes(sp.save_npz, getattr(prepared, f"X_{split}"))
        for split in ("train", "val", "test")
    }
    targets = {f"Y_{split}": getattr(prepared, f"Y_{split}") for split in ("train", "val", "test")}
    files["targets.npz"] = _npz_bytes(np.savez, **targets)
    record = {
        "name": prepared.name,
        "label_names": list(prepared.label_names),
        "fingerprint": prepared.fingerprint,
        "split_seed": prepared.split_seed,
        "info": prepared.info,
    }
    # Not sorted: the order of `info` is the order a table of it shows.
    files["prepared.json"] = json.dumps(record, indent=1).encode()
    return files


def prepared_from_files(files: dict[str, bytes]) -> Prepared:
    """The :class:`Prepared` that :func:`prepared_files` wrote (checked bytes in)."""
    record = json.loads(files["prepared.json"])
    X = {
        split: sp.load_npz(io.BytesIO(files[f"X_{split}.npz"]))
        for split in ("train", "val", "test")
    }
    with np.load(io.BytesIO(files["targets.npz"])) as targets:
        Y = {name: targets[name] for name in targets.files}
    return Prepared(
        name=record["name"],
        X_train=X["train"],
        X_val=X["val"],
        X_test=X["test"],
        Y_train=Y["Y_train"],
        Y_val=Y["Y_val"],
        Y_test=Y["Y_test"],
        label_names=tuple(record["label_names"]),
        fingerprint=record["fingerprint"],
        split_seed=record["split_seed"],
        info=record["info"],
    )


def save_prepared(root: Path, key: str, prepared: Prepared) -> None:
    """Store ``prepared`` as entry ``key`` under ``root``."""
    write_entry(root, key, prepared_files(prepared))


def load_prepared(root: Path, key: str) -> Prepared:
    """Entry ``key``; :class:`CacheCorruptError` if it is missing, partial or damaged."""
    files = read_entry(root, key, PREPARED_FILES)
    try:
        return prepared_from_files(files)
    except Exception as error:  # checksums match but the content does not parse
        raise CacheCorruptError(f"{root / key}: not a usable prepared entry ({error})") from error


def prepare_cached(
    dataset,
    split_seed: int = 0,
    test: float = 0.2,
    val: float = 0.1,
    cache: ResultCache | None = None,
    **feature_options,
) -> Prepared:
    """:func:`~genrebench.experiments.runs.prepare`, stored in the result cache's folder.

    The TF-IDF fit costs seconds on the films and every chapter needs the same split: the
    first call stores it, later calls with the same data, split and options read it back.
    An entry that is missing, partial or fails its checksums is computed again.
    """
    root = (cache or ResultCache()).root / PREPARED_FOLDER
    key = prepared_key(dataset.fingerprint, split_seed, test, val, feature_options)
    try:
        return load_prepared(root, key)
    except CacheCorruptError:
        pass
    prepared = prepare(dataset, split_seed=split_seed, test=test, val=val, **feature_options)
    try:
        save_prepared(root, key, prepared)
    except OSError:  # a read-only cache still gives the features, computed
        pass
    return prepared
