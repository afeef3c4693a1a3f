"""Training a group of models in one pass, or one model alone (a group of one)."""

import gc
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from genrebench.heads import Head
from genrebench.models.batches import _bucket, _coo, _local_batch
from genrebench.models.budget import TrainBudget, TrainResult
from genrebench.models.group import _Group
from genrebench.seeding import seed_everything

#: Compiled groups kept for reuse (one per heads, input rows and width seen recently), up
#: to this many bytes of input layers and moments; the least recently used go first. A
#: group larger than this is still built, alone. (512 MB kept a chapter that trains three
#: datasets above 2 GB; a replay of two datasets x two splits peaked at 2.01 GB with 512 MB
#: and 1.86 GB with 128 MB.)
_COMPILED_BYTES = 128 * 2**20

_COMPILED: "OrderedDict[tuple, _Group]" = OrderedDict()


def _group_for(heads, n_features, n_labels, budget: TrainBudget) -> _Group:
    """The compiled group for these heads and shapes: reused if seen, else built (compiled
    on first use). Input rows are rounded up, so splits of one dataset share a group."""
    capacity = _bucket(n_features + 1)
    key = (tuple(h.name for h in heads), capacity, n_labels, budget.hidden_units, budget.dropout)
    if key in _COMPILED:
        _COMPILED.move_to_end(key)
        return _COMPILED[key]
    needed = _Group.bytes_for(len(heads), capacity, budget.hidden_units)
    evicted = False
    while _COMPILED and sum(g.nbytes for g in _COMPILED.values()) + needed > _COMPILED_BYTES:
        _COMPILED.popitem(last=False)
        evicted = True
    if evicted:
        gc.collect()  # an evicted group's compiled functions refer back to it: free it now
    group = _Group(heads, capacity, n_labels, budget.hidden_units, budget.dropout)
    _COMPILED[key] = group
    return group


def pass_bytes(n_models: int, n_features: int, hidden_units: int) -> int:
    """Bytes a pass of ``n_models`` holds in input layers and their moments (the bulk of its
    memory), with the input rows rounded up as a group rounds them."""
    return _Group.bytes_for(n_models, _bucket(n_features + 1), hidden_units)


def _predict(group: _Group, X: sp.csr_matrix, batch_size: int = 4096) -> np.ndarray:
    """Logits ``[K, n, labels]`` for every row of ``X``, in batches, never densifying ``X``."""
    parts = []
    for start in range(0, X.shape[0], batch_size):
        part = X[start : start + batch_size]
        parts.append(group.predict(_coo(part), part.data, np.int64(part.shape[0])).numpy())
    return np.concatenate(parts, axis=1).astype(np.float32)


def _checked(X_train, Y_train, budgets, snapshot_epochs):
    if not sp.issparse(X_train):
        raise TypeError("X_train must be a SciPy sparse matrix; densifying it costs gigabytes")
    if X_train.shape[0] != len(Y_train):
        raise ValueError(f"X_train has {X_train.shape[0]} rows but Y_train {len(Y_train)}")
    if not budgets:
        raise ValueError("a group needs at least one model")
    shared = {budget.shared for budget in budgets}
    if len(shared) > 1:
        raise ValueError(
            "models trained together must share every budget field but the learning rate; "
            f"got {sorted(map(str, shared))}"
        )
    epochs = budgets[0].epochs
    snapshots = tuple(sorted(set(snapshot_epochs or (epochs,))))
    if snapshots[0] < 1 or snapshots[-1] > epochs:
        raise ValueError(f"snapshot epochs {snapshots} must lie within 1..{epochs}")
    X = sp.csr_matrix(X_train, dtype=np.float32)
    X.sort_indices()
    return X, snapshots


def train_group(
    members: Sequence[tuple[Head, TrainBudget]],
    X_train: sp.csr_matrix,
    Y_train: np.ndarray,
    eval_sets: Mapping[str, tuple[sp.csr_matrix, np.ndarray]] = (),
    snapshot_epochs: tuple[int, ...] | None = None,
) -> list[TrainResult]:
    """Train several models in one pass over the data; one result per member, in order.

    Members are (head, budget) pairs whose budgets differ at most in the learning
    rate. Each member's result is what :func:`train` gives it alone, bit for bit.
    Deterministic (seeded initialisation, batch order and dropout; TensorFlow op
    determinism). ``snapshot_epochs`` defaults to the last epoch.
    """
    import tensorflow as tf

    heads = [head for head, _ in members]
    budgets = [budget for _, budget in members]
    X_train, snapshots = _checked(X_train, Y_train, budgets, snapshot_epochs)
    budget = budgets[0]
    eval_sets = {
        name: (sp.csr_matrix(X, dtype=np.float32), Y) for name, (X, Y) in dict(eval_sets).items()
    }
    for X, _ in eval_sets.values():
        X.sort_indices()

    started = time.perf_counter()
    rng = seed_everything(budget.seed)
    group = _group_for(heads, X_train.shape[1], Y_train.shape[1], budget)
    group.reset(
        budget,
        X_train.shape[1],
        [b.learning_rate for b in budgets],
        [h.initial_bias(Y_train) for h in heads],
    )
    targets = np.stack([head.transform_targets(Y_train) for head in heads])
    drawn = [k for k, head in enumerate(heads) if head.targets == "pick_one"]
    every_row = budget.optimiser == "adam"

    results = [TrainResult(eval_loss={name: [] for name in eval_sets}) for _ in members]
    n_docs = X_train.shape[0]
    for epoch in range(1, budget.epochs + 1):
        for k in drawn:  # one label per document, drawn afresh each epoch
            targets[k] = heads[k].epoch_targets(Y_train, budget.seed, epoch)
        order = rng.permutation(n_docs)
        losses, sizes = [], []
        for start in range(0, n_docs, budget.batch_size):
            batch = order[start : start + budget.batch_size]
            step_losses = group.step(
                *_local_batch(X_train[batch], X_train.shape[1], every_row),
                tf.constant(targets[:, batch]),
            )
            losses.append(step_losses.numpy())
            sizes.append(len(batch))
        epoch_loss = np.average(np.stack(losses), axis=0, weights=sizes)
        # Validation loss every epoch (for the curves); other sets only at snapshots.
        needed = (
            eval_sets if epoch in snapshots else {k: v for k, v in eval_sets.items() if k == "val"}
        )
        logits = {name: _predict(group, X) for name, (X, _) in needed.items()}
        for k, (head, result) in enumerate(zip(heads, results, strict=True)):
            result.train_loss.append(float(epoch_loss[k]))
            for name, (_, Y) in needed.items():
                result.eval_loss[name].append(head.loss(Y, logits[name][k]))
            if epoch in snapshots:
                result.logits[epoch] = {name: logits[name][k] for name in needed}
    seconds = (time.perf_counter() - started) / len(members)
    for result in results:
        result.seconds = seconds
    return results


def train(
    head: Head,
    X_train: sp.csr_matrix,
    Y_train: np.ndarray,
    budget: TrainBudget,
    eval_sets: Mapping[str, tuple[sp.csr_matrix, np.ndarray]] = (),
    snapshot_epochs: tuple[int, ...] | None = None,
) -> TrainResult:
    """Train the backbone with ``head`` alone (a group of one, :func:`train_group`)."""
    return train_group([(head, budget)], X_train, Y_train, eval_sets, snapshot_epochs)[0]
