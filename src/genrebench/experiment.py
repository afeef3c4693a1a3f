"""Config -> cached, resumable, seeded runs.

A :class:`RunConfig` names everything that defines a run except the data, which
comes in a :class:`Prepared` bundle (splits + features, with a fingerprint).
The cache key is a hash of the config, the prepared data's fingerprint and a
fingerprint of the package's own code, so changing any of them recomputes and
nothing stale is ever served.

Each cache entry is a folder holding the run's validation and test scores at
every snapshot epoch (``scores.npz``), its tidy metrics table
(``metrics.csv``), its loss curves and config (``run.json``), and a
``manifest.json`` with the SHA-256 of each file. Entries are written into a
temporary folder and renamed into place in one step, so a process killed
mid-grid loses at most the run in flight; an entry whose files do not match
their checksums is discarded and recomputed, never read as a result.
"""

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from genrebench.decode import OracleTopK, make_decoders
from genrebench.heads import get_head
from genrebench.models import TrainBudget, train

#: Bumped when the layout of a cache entry changes.
CACHE_FORMAT = 1


class CacheCorruptError(RuntimeError):
    """A cache entry whose files are missing or do not match their checksums."""


@dataclass(frozen=True)
class RunConfig:
    """One training run: the head, the budget and the seeds. Hashable and JSON-able."""

    head: str
    budget: TrainBudget = field(default_factory=TrainBudget)
    snapshot_epochs: tuple[int, ...] = ()
    dataset: str = "films"
    split_seed: int = 0

    def __post_init__(self):
        get_head(self.head)  # fail early on a typo
        object.__setattr__(self, "snapshot_epochs", tuple(sorted(set(self.snapshot_epochs))))

    @property
    def epochs_recorded(self) -> tuple[int, ...]:
        return self.snapshot_epochs or (self.budget.epochs,)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Prepared:
    """Split targets and sparse features of one dataset, fitted on its training split."""

    name: str
    X_train: sp.csr_matrix
    X_val: sp.csr_matrix
    X_test: sp.csr_matrix
    Y_train: np.ndarray
    Y_val: np.ndarray
    Y_test: np.ndarray
    label_names: tuple[str, ...]
    fingerprint: str
    info: dict = field(default_factory=dict)


def prepare(
    dataset, split_seed: int = 0, test: float = 0.2, val: float = 0.1, **feature_options
) -> Prepared:
    """Split ``dataset`` (iterative stratification); fit TF-IDF features on its training split."""
    from genrebench.data import split

    splits = split(dataset, test=test, val=val, seed=split_seed)
    recipe = {"data": dataset.fingerprint, "split_seed": split_seed, "test": test, "val": val}
    prepared = prepare_splits(
        splits, str(dataset.meta.get("source", "dataset")), recipe, **feature_options
    )
    prepared.info["dataset_fingerprint"] = dataset.fingerprint
    return prepared


def prepare_splits(splits, name: str, recipe: dict, **feature_options) -> Prepared:
    """Fit features on ``splits.train``; fingerprint ``recipe`` plus the feature options."""
    from genrebench.features import featurize

    X_train, X_val, X_test, _ = featurize(splits, **feature_options)
    recipe = {
        **recipe,
        "features": {key: repr(value) for key, value in sorted(feature_options.items())},
    }
    return Prepared(
        name=name,
        X_train=X_train,
        X_val=X_val,
        X_test=X_test,
        Y_train=np.asarray(splits.train.Y),
        Y_val=np.asarray(splits.val.Y),
        Y_test=np.asarray(splits.test.Y),
        label_names=tuple(splits.train.label_names),
        fingerprint=hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest(),
        info={
            "documents": {
                "train": len(splits.train),
                "val": len(splits.val),
                "test": len(splits.test),
            },
            "features": X_train.shape[1],
        },
    )


#: The modules whose code decides what a run computes (data in, scores and metrics out).
RUN_MODULES = (
    "activations",
    "data",
    "decode",
    "experiment",
    "features",
    "heads",
    "metrics",
    "models",
    "quiet",
    "seeding",
    "synthetic",
)


@cache
def code_fingerprint() -> str:
    """SHA-256 of the modules a run depends on, so results follow the code that made them.

    Modules that only summarise, plot or orchestrate cached results (analysis,
    plots, study, sweeps, ...) are left out: editing them must not retrain.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for name in RUN_MODULES:
        path = package / f"{name}.py"
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_key(config: RunConfig, prepared: Prepared) -> str:
    payload = json.dumps(
        {
            "config": config.as_dict(),
            "data": prepared.fingerprint,
            "code": code_fingerprint(),
            "format": CACHE_FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def default_cache_dir() -> Path:
    """``$GENREBENCH_CACHE``, else ``.genrebench_cache`` in the book's root (or current folder)."""
    override = os.environ.get("GENREBENCH_CACHE")
    if override:
        return Path(override)
    start = Path.cwd()
    for folder in (start, *start.resolve().parents):
        if (folder / "_toc.yml").is_file():
            return folder / ".genrebench_cache"
    return start / ".genrebench_cache"


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

    def load(self, key: str) -> "RunResult":
        self._verify(key)
        entry = self.path(key)
        record = json.loads((entry / "run.json").read_text())
        with np.load(entry / "scores.npz") as arrays:
            scores = {name: arrays[name] for name in arrays.files}
        metrics = pd.read_csv(entry / "metrics.csv")
        return RunResult(key=key, record=record, scores=scores, metrics=metrics, cached=True)

    def save(self, result: "RunResult") -> None:
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


@dataclass
class RunResult:
    """One run: its record (config, curves, timing), scores by split and epoch, metrics table."""

    key: str
    record: dict
    scores: dict[str, np.ndarray]
    metrics: pd.DataFrame
    cached: bool = False

    def score(self, split: str, epoch: int | None = None) -> np.ndarray:
        """Scores of ``split`` ("val" or "test") at ``epoch`` (default: the last one recorded)."""
        epoch = epoch or max(self.record["epochs_recorded"])
        return self.scores[f"{split}_{epoch}"]


def evaluate(
    Y_val: np.ndarray, S_val: np.ndarray, Y_test: np.ndarray, S_test: np.ndarray
) -> pd.DataFrame:
    """Tidy metrics for every standard decoder on validation and test: split x decoder x metric.

    Decoders are fitted on validation only. The validation rows are therefore
    optimistic for tuned decoders; they are used for model selection, never
    reported as results. Ranking metrics do not depend on a decoder and carry
    the decoder name ``"scores"``.
    """
    from genrebench.metrics import multilabel_summary

    rows = []
    for decoder in make_decoders():
        fitted = decoder.fit(Y_val, S_val)
        for split, Y, S in (("val", Y_val, S_val), ("test", Y_test, S_test)):
            if isinstance(fitted, OracleTopK):
                predicted = fitted.apply(S, Y_true=Y)
            else:
                predicted = fitted.apply(S)
            summary = multilabel_summary(Y, predicted)
            rows += [(split, fitted.name, metric, value) for metric, value in summary.items()]
    for split, Y, S in (("val", Y_val, S_val), ("test", Y_test, S_test)):
        any_prediction = (S > 0.5).astype(np.uint8)
        with_scores = multilabel_summary(Y, any_prediction, scores=S)
        decision_based = multilabel_summary(Y, any_prediction)
        rows += [
            (split, "scores", metric, value)
            for metric, value in with_scores.items()
            if metric not in decision_based
        ]
    return pd.DataFrame(rows, columns=["split", "decoder", "metric", "value"])


def execute(config: RunConfig, prepared: Prepared) -> RunResult:
    """Train and evaluate one run (no cache)."""
    head = get_head(config.head)
    trained = train(
        head,
        prepared.X_train,
        prepared.Y_train,
        config.budget,
        eval_sets={
            "val": (prepared.X_val, prepared.Y_val),
            "test": (prepared.X_test, prepared.Y_test),
        },
        snapshot_epochs=config.epochs_recorded,
    )
    scores, tables = {}, []
    for epoch in config.epochs_recorded:
        S_val = head.scores(trained.logits[epoch]["val"]).astype(np.float32)
        S_test = head.scores(trained.logits[epoch]["test"]).astype(np.float32)
        scores[f"val_{epoch}"], scores[f"test_{epoch}"] = S_val, S_test
        table = evaluate(prepared.Y_val, S_val, prepared.Y_test, S_test)
        table.insert(0, "epoch", epoch)
        tables.append(table)
    metrics = pd.concat(tables, ignore_index=True)
    key = run_key(config, prepared)
    for column, value in _identity(config, key).items():
        metrics.insert(0, column, value)
    record = {
        "config": config.as_dict(),
        "data": {"name": prepared.name, "fingerprint": prepared.fingerprint},
        "epochs_recorded": list(config.epochs_recorded),
        "train_loss": trained.train_loss,
        "eval_loss": trained.eval_loss,
        "seconds": trained.seconds,
    }
    return RunResult(key=key, record=record, scores=scores, metrics=metrics)


def _identity(config: RunConfig, key: str) -> dict:
    # Reversed because each is inserted at column 0.
    return dict(
        reversed(
            list(
                {
                    "run": key,
                    "dataset": config.dataset,
                    "head": config.head,
                    "learning_rate": config.budget.learning_rate,
                    "hidden_units": config.budget.hidden_units,
                    "batch_size": config.budget.batch_size,
                    "train_seed": config.budget.seed,
                    "split_seed": config.split_seed,
                }.items()
            )
        )
    )


def run(config: RunConfig, prepared: Prepared, cache: ResultCache | None = None) -> RunResult:
    """The run's result from the cache if a valid entry exists, else computed and stored."""
    cache = cache or ResultCache()
    key = run_key(config, prepared)
    try:
        return cache.load(key)
    except CacheCorruptError:
        cache.discard(key)
    result = execute(config, prepared)
    cache.save(result)
    return result


def grid(heads: Sequence[str], budgets: Sequence[TrainBudget], **common) -> list[RunConfig]:
    """Every head x budget combination, sharing the other config fields."""
    return [RunConfig(head=head, budget=budget, **common) for budget in budgets for head in heads]
