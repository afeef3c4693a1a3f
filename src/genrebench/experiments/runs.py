"""Runs: a config and a prepared dataset in, scores and a tidy metrics table out.

A :class:`RunConfig` names everything that defines a run except the data, which
comes in a :class:`Prepared` bundle (one split of a dataset and its features,
with a fingerprint). :func:`execute` trains and evaluates one run; caching and
grids of runs live in :mod:`genrebench.experiments.cache` and
:mod:`genrebench.experiments.grid`.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from genrebench.decode import make_decoders
from genrebench.heads import get_head
from genrebench.models import TrainBudget, train_group


@dataclass(frozen=True)
class RunConfig:
    """One training run: the head, the budget and the seeds. Hashable and JSON-able."""

    head: str
    budget: TrainBudget
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
    split_seed: int = 0  # the seed of the data split these matrices come from
    info: dict = field(default_factory=dict)


def prepare(
    dataset, split_seed: int = 0, test: float = 0.2, val: float = 0.1, **feature_options
) -> Prepared:
    """Split ``dataset`` (iterative stratification); fit TF-IDF features on its training split."""
    from genrebench.data import split

    splits = split(dataset, test=test, val=val, seed=split_seed)
    recipe = {"data": dataset.fingerprint, "split_seed": split_seed, "test": test, "val": val}
    prepared = prepare_splits(
        splits,
        str(dataset.meta.get("source", "dataset")),
        recipe,
        split_seed=split_seed,
        **feature_options,
    )
    prepared.info["dataset_fingerprint"] = dataset.fingerprint
    return prepared


def prepare_splits(
    splits, name: str, recipe: dict, split_seed: int = 0, **feature_options
) -> Prepared:
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
        split_seed=split_seed,
        info={
            "documents": {
                "train": len(splits.train),
                "val": len(splits.val),
                "test": len(splits.test),
            },
            "features": X_train.shape[1],
        },
    )


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
    Y_val: np.ndarray,
    S_val: np.ndarray,
    Y_test: np.ndarray,
    S_test: np.ndarray,
    extra_decoders: tuple = (),
) -> pd.DataFrame:
    """Tidy metrics for every standard decoder on validation and test: split x decoder x metric.

    ``extra_decoders`` join the standard ones (a run adds its head's ``natural`` decoder).
    Decoders are fitted on validation only. The validation rows are therefore
    optimistic for tuned decoders; they choose settings, are never reported as results,
    and carry the F1 averages only. Ranking metrics (test only: precision and recall at
    k, label-ranking average precision; no AUCs, which nothing reports and which cost
    more than the rest together) do not depend on a decoder and carry the decoder name
    ``"scores"``.
    """
    from genrebench.metrics import f1_averages, multilabel_summary, ranking_metrics

    rows = []
    for decoder in (*make_decoders(), *extra_decoders):
        fitted = decoder.fit(Y_val, S_val)
        validation = f1_averages(Y_val, fitted.apply(S_val, Y_true=Y_val))
        rows += [("val", fitted.name, f"f1_{mode}", value) for mode, value in validation.items()]
        summary = multilabel_summary(Y_test, fitted.apply(S_test, Y_true=Y_test))
        rows += [("test", fitted.name, metric, value) for metric, value in summary.items()]
    rows += [
        ("test", "scores", metric, value)
        for metric, value in ranking_metrics(Y_test, S_test, aucs=False).items()
    ]
    return pd.DataFrame(rows, columns=["split", "decoder", "metric", "value"])


def group_key(config: RunConfig, prepared: Prepared) -> tuple:
    """What runs must share to train in one pass (:func:`genrebench.models.train_group`): the
    data, the batch order (seed, batch size, epochs), the width, dropout and snapshots. Heads
    and learning rates may differ."""
    return (
        prepared.fingerprint,
        config.dataset,
        config.split_seed,
        config.budget.shared,
        config.epochs_recorded,
    )


def execute(config: RunConfig, prepared: Prepared) -> RunResult:
    """Train and evaluate one run (no cache): a group of one."""
    return execute_group([config], prepared)[0]


def execute_group(configs: Sequence[RunConfig], prepared: Prepared) -> list[RunResult]:
    """Train runs that share a :func:`group_key` in one pass; evaluate each (no cache).

    Each run's result is the one :func:`execute` gives it alone, bit for bit
    (:mod:`genrebench.models`), so the cache key does not depend on the grouping.
    """
    configs = list(configs)
    for config in configs:
        if config.split_seed != prepared.split_seed:
            raise ValueError(
                f"the config names split {config.split_seed} but the data come from split "
                f"{prepared.split_seed}"
            )
    if len({group_key(config, prepared) for config in configs}) != 1:
        raise ValueError("runs trained in one pass must share data, seed, budget and snapshots")
    trained = train_group(
        [(get_head(config.head), config.budget) for config in configs],
        prepared.X_train,
        prepared.Y_train,
        eval_sets={
            "val": (prepared.X_val, prepared.Y_val),
            "test": (prepared.X_test, prepared.Y_test),
        },
        snapshot_epochs=configs[0].epochs_recorded,
    )
    return [_result(config, prepared, run) for config, run in zip(configs, trained, strict=True)]


def _result(config: RunConfig, prepared: Prepared, trained) -> RunResult:
    """Scores and the metrics table of one trained model."""
    head = get_head(config.head)
    scores, tables, diverged = {}, [], None
    bad_losses = [e for e, loss in enumerate(trained.train_loss, 1) if not np.isfinite(loss)]
    for epoch in config.epochs_recorded:
        S_val = head.scores(trained.logits[epoch]["val"]).astype(np.float32)
        S_test = head.scores(trained.logits[epoch]["test"]).astype(np.float32)
        scores[f"val_{epoch}"], scores[f"test_{epoch}"] = S_val, S_test
        finite = np.isfinite(S_val).all() and np.isfinite(S_test).all()
        if bad_losses and epoch >= bad_losses[0]:
            finite = False
            diverged = diverged or (
                f"training loss NaN or infinite from epoch {bad_losses[0]} (training diverged)"
            )
        if not finite and diverged is None:
            diverged = f"scores NaN or infinite from epoch {epoch} (training diverged)"
        if finite:
            table = evaluate(prepared.Y_val, S_val, prepared.Y_test, S_test, (head.natural,))
        else:  # the same rows, every value NaN: a diverged run scores nothing
            table = evaluate(
                prepared.Y_val,
                np.zeros_like(S_val),
                prepared.Y_test,
                np.zeros_like(S_test),
                (head.natural,),
            ).assign(value=np.nan)
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
        "diverged": diverged,
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
                    "optimiser": config.budget.optimiser,
                    "train_seed": config.budget.seed,
                    "split_seed": config.split_seed,
                }.items()
            )
        )
    )


def grid(heads: Sequence[str], budgets: Sequence[TrainBudget], **common) -> list[RunConfig]:
    """Every head x budget combination, sharing the other config fields."""
    return [RunConfig(head=head, budget=budget, **common) for budget in budgets for head in heads]


# --- Identity: what a run's key is made of ---------------------------------------------------

#: Bumped when what a run stores changes shape, so old cache entries are never read.
RESULT_FORMAT = 1

#: Where :func:`run_modules` starts: the module whose :func:`execute` computes a run.
_ENTRY_MODULE = __name__


def _imported_modules(path: Path, package_dir: Path) -> set[str]:
    """``genrebench`` modules that the file at ``path`` imports, anywhere in it (static)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from genrebench.x import y``: y may itself be a module.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == "genrebench")
    return {name for name in found if _module_path(name, package_dir) is not None}


def _module_path(name: str, package_dir: Path) -> Path | None:
    parts = name.split(".")[1:]
    base = package_dir.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def run_modules() -> tuple[str, ...]:
    """Every ``genrebench`` module whose code decides what a run computes.

    Derived from the code, not listed: the modules :func:`execute`'s module
    imports, directly or through others (also inside functions), and the
    packages that contain them (importing a module runs its package's
    ``__init__``). Editing any of them changes :func:`code_fingerprint`; modules
    that only summarise, plot or orchestrate cached results stay outside.
    """
    package_dir = Path(__file__).resolve().parents[1]
    seen: set[str] = set()
    todo = [_ENTRY_MODULE]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # the module and its parent packages
            prefix = ".".join(parts[:depth])
            if prefix not in seen and _module_path(prefix, package_dir) is not None:
                seen.add(prefix)
                todo.extend(_imported_modules(_module_path(prefix, package_dir), package_dir))
    return tuple(sorted(seen))


@cache
def code_fingerprint() -> str:
    """SHA-256 of the source of :func:`run_modules` and of the protocol profile's name, so
    results follow the code that made them and runs of one profile never serve another (every
    cache key, runs, prepared data, sweep cells and the coverage check, includes it)."""
    from genrebench.experiments import protocol

    package_dir = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"profile={protocol.PROFILE}\0".encode())
    for name in run_modules():
        digest.update(name.encode() + b"\0" + _module_path(name, package_dir).read_bytes())
    return digest.hexdigest()


def run_key(config: RunConfig, prepared: Prepared) -> str:
    """The run's identity: its config, its data's fingerprint and the code's fingerprint."""
    payload = json.dumps(
        {
            "config": config.as_dict(),
            "data": prepared.fingerprint,
            "code": code_fingerprint(),
            "format": RESULT_FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]
