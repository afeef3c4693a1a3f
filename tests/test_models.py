"""The backbone trains from sparse input, deterministically, and snapshots epochs; a model
trained in a group (one pass, many models) is the model trained alone, bit for bit."""

import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from genrebench.heads import get_head
from genrebench.models import TrainBudget, train, train_group
from genrebench.models.batches import _bucket

pytestmark = pytest.mark.slow


def _data(seed=0, n=300, features=200, labels=4):
    rng = np.random.default_rng(seed)
    X = sp.random(n, features, density=0.05, format="csr", dtype=np.float32, random_state=seed)
    weights = rng.normal(size=(features, labels))
    Y = (X @ weights > 0.2).astype(np.uint8)
    return X, Y


BUDGET = TrainBudget(
    hidden_units=8,
    dropout=0.5,
    learning_rate=1e-2,
    batch_size=64,
    epochs=3,
    seed=5,
    optimiser="lazy_adam",
)

SCRIPT = """
import hashlib
from tests.test_models import _data, BUDGET, MEMBERS
from genrebench.heads import get_head
from genrebench.models import train, train_group
X, Y = _data()
for head in ("sigmoid_bce", "softmax_cce_norm"):
    result = train(get_head(head), X, Y, BUDGET, eval_sets={"val": (X[:50], Y[:50])})
    print(head, hashlib.sha256(result.logits[3]["val"].tobytes()).hexdigest())
for k, result in enumerate(train_group(MEMBERS, X, Y, eval_sets={"val": (X[:50], Y[:50])})):
    print(k, hashlib.sha256(result.logits[3]["val"].tobytes()).hexdigest())
"""

#: A group as the study trains one: every head, two learning rates, one seed.
MEMBERS = [
    (get_head(head), replace(BUDGET, learning_rate=rate))
    for head in ("sigmoid_bce", "softmax_cce", "softmax_cce_norm")
    for rate in (1e-2, 3e-2)
]


def test_same_budget_gives_bit_identical_logits_in_separate_processes(root):
    """Two processes, each training every head in turn and then a group of six models: the
    same logits, bit for bit (and a head trained after another in one process, reusing its
    compiled step, is not affected by it), the second started with TensorFlow asked for more
    threads per op, which genrebench overrides (genrebench.runtime)."""
    more_threads = {"TF_NUM_INTRAOP_THREADS": "2", "TF_NUM_INTEROP_THREADS": "2"}
    first, second = (
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            timeout=300,
            env={**os.environ, **extra},
        ).stdout.split()
        for extra in ({}, more_threads)
    )
    assert len(first) == 2 * (2 + len(MEMBERS)) and first == second, (first, second)


def test_a_model_trained_in_a_group_is_the_model_trained_alone():
    """Same logits at every snapshot, same loss curves, bit for bit: the grouping of runs
    can never change a number (and so cannot be part of a run's identity)."""
    X, Y = _data()
    eval_sets = {"val": (X[:80], Y[:80]), "test": (X[80:], Y[80:])}
    together = train_group(MEMBERS, X, Y, eval_sets, snapshot_epochs=(1, 3))
    for (head, budget), grouped in zip(MEMBERS, together, strict=True):
        alone = train(head, X, Y, budget, eval_sets, snapshot_epochs=(1, 3))
        for epoch in (1, 3):
            for name in eval_sets:
                np.testing.assert_array_equal(
                    alone.logits[epoch][name], grouped.logits[epoch][name]
                )
        assert alone.train_loss == grouped.train_loss
        assert alone.eval_loss == grouped.eval_loss
    # The group really trained different models (learning rates and heads differ).
    assert len({r.logits[3]["val"].tobytes() for r in together}) == len(MEMBERS)


def test_a_group_must_share_everything_but_head_and_learning_rate():
    X, Y = _data()
    head = get_head("sigmoid_bce")
    with pytest.raises(ValueError, match="share every budget field"):
        train_group([(head, BUDGET), (head, replace(BUDGET, seed=6))], X, Y)
    with pytest.raises(ValueError, match="at least one"):
        train_group([], X, Y)


def test_touched_rows_are_padded_to_few_shapes():
    """Row counts are rounded up to 2^k x {1, 1.25, 1.5, 1.75}: under 25% padding, and a
    whole epoch of batches compiles the row update only a handful of times."""
    for n in range(1, 100_000, 7):
        assert n <= _bucket(n) < max(64, 1.25 * n) + 1
    assert len({_bucket(n) for n in range(17_000, 19_000)}) <= 2


def test_snapshots_curves_and_learning():
    X, Y = _data()
    result = train(
        get_head("sigmoid_bce"),
        X,
        Y,
        replace(BUDGET, hidden_units=16, batch_size=32, epochs=8, seed=0),
        eval_sets={"val": (X[:100], Y[:100])},
        snapshot_epochs=(2, 8),
    )
    assert sorted(result.logits) == [2, 8]
    assert result.logits[8]["val"].shape == (100, 4)
    assert len(result.train_loss) == 8 and len(result.eval_loss["val"]) == 8
    assert result.train_loss[-1] < result.train_loss[0]


def test_dense_input_and_bad_budgets_are_refused():
    X, Y = _data()
    with pytest.raises(TypeError, match="sparse"):
        train(get_head("sigmoid_bce"), X.toarray(), Y, BUDGET)
    with pytest.raises(ValueError, match="epochs"):
        replace(BUDGET, epochs=0)
    with pytest.raises(ValueError, match="snapshot"):
        train(get_head("sigmoid_bce"), X, Y, BUDGET, snapshot_epochs=(4,))


def test_weights_do_not_depend_on_other_code_drawing_from_pythons_random(monkeypatch):
    """A Dask scheduler or worker thread draws from ``random`` while a run trains; the
    run's initial weights and dropout masks must not move with it."""
    import random

    from genrebench.models import group

    X, Y = _data()
    head = get_head("sigmoid_bce")
    quiet = train(head, X, Y, BUDGET, eval_sets={"val": (X, Y)})
    original = group.glorot_uniform

    def draw_after_someone_else_drew(*args, **kwargs):
        for _ in range(5):
            random.random()
            np.random.random()  # noqa: NPY002 - the legacy global state others may use
        return original(*args, **kwargs)

    monkeypatch.setattr(group, "glorot_uniform", draw_after_someone_else_drew)
    busy = train(head, X, Y, BUDGET, eval_sets={"val": (X, Y)})
    epoch = BUDGET.epochs
    np.testing.assert_array_equal(quiet.logits[epoch]["val"], busy.logits[epoch]["val"])


@pytest.mark.parametrize("optimiser", ["lazy_adam", "adam"])
def test_lazy_adam_moves_only_rows_of_features_in_the_batch_adam_moves_every_row(optimiser):
    """After a step on a batch with feature 0, a step on a batch without it: lazy Adam leaves
    row 0 of the input layer where it was; plain Adam moves it with its momentum. A feature
    never seen stays at its initial value under both."""
    import tensorflow as tf

    from genrebench.models.batches import _local_batch
    from genrebench.models.group import _Group

    head = get_head("sigmoid_bce")
    budget = replace(BUDGET, optimiser=optimiser, dropout=0.0)
    X = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0]], dtype=np.float32))
    Y = np.array([[1, 0], [0, 1]], dtype=np.uint8)
    group = _Group([head], 5, 2, budget.hidden_units, budget.dropout)  # 4 features, a spare row
    group.reset(budget, 4, [budget.learning_rate], [head.initial_bias(Y)])
    start = group.input_layer[0].numpy().copy()
    rows = []
    for i in (0, 1):
        batch = _local_batch(X[i : i + 1], 4, every_row=optimiser == "adam")
        group.step(*batch, tf.constant(head.transform_targets(Y[i : i + 1])[None]))
        rows.append(group.input_layer[0].numpy().copy())
    assert not np.array_equal(rows[0][0], start[0])  # feature 0 was in the first batch
    assert np.array_equal(rows[1][0], rows[0][0]) == (optimiser == "lazy_adam")
    np.testing.assert_array_equal(rows[1][3], start[3])  # feature 3: never seen


def test_a_reused_group_gives_what_a_fresh_one_gives():
    """Data of similar width share a compiled group (rows rounded up); what one dataset
    left in it never reaches the next: same logits as from a group built afresh."""
    from genrebench.models import training

    head = get_head("softmax_cce")
    X, Y = _data()
    narrower = X[:, :195]  # 200 + 1 and 195 + 1 input rows both round up to 224
    train(head, X, Y, BUDGET)  # leaves trained weights and moments in the group
    used = next(reversed(training._COMPILED.values()))
    reused = train(head, narrower, Y, BUDGET, eval_sets={"val": (narrower, Y)})
    assert next(reversed(training._COMPILED.values())) is used
    training._COMPILED.clear()
    fresh = train(head, narrower, Y, BUDGET, eval_sets={"val": (narrower, Y)})
    np.testing.assert_array_equal(reused.logits[3]["val"], fresh.logits[3]["val"])


def test_every_head_of_the_family_trains_in_one_group_as_it_does_alone():
    """All nine heads in one pass: each learns (training loss falls, scores finite), no two
    give the same model, and the heads with code paths of their own (drawn targets, a
    written-out loss and activation) equal the head trained alone, bit for bit."""
    from genrebench.heads import HEADS

    X, Y = _data(seed=1)
    Y[Y.sum(axis=1) == 0, 0] = 1
    budget = replace(BUDGET, epochs=4)
    members = [(head, budget) for head in HEADS.values()]
    eval_sets = {"val": (X[:80], Y[:80])}
    together = train_group(members, X, Y, eval_sets)
    for (head, _), grouped in zip(members, together, strict=True):
        assert np.isfinite(head.scores(grouped.logits[4]["val"])).all(), head.name
        assert grouped.train_loss[-1] < grouped.train_loss[0], (head.name, grouped.train_loss)
        if head.name in ("softmax_pick_one", "sparsemax", "asl"):  # their own code paths
            alone = train(head, X, Y, budget, eval_sets)
            np.testing.assert_array_equal(alone.logits[4]["val"], grouped.logits[4]["val"])
            assert alone.train_loss == grouped.train_loss, head.name
    assert len({r.logits[4]["val"].tobytes() for r in together}) == len(members)
