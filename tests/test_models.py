"""The backbone trains from sparse input, deterministically, and snapshots epochs."""

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from genrebench.heads import get_head
from genrebench.models import TrainBudget, train

pytestmark = pytest.mark.slow


def _data(seed=0, n=300, features=200, labels=4):
    rng = np.random.default_rng(seed)
    X = sp.random(n, features, density=0.05, format="csr", dtype=np.float32, random_state=seed)
    weights = rng.normal(size=(features, labels))
    Y = (X @ weights > 0.2).astype(np.uint8)
    return X, Y


BUDGET = TrainBudget(
    hidden_units=8, dropout=0.5, learning_rate=1e-2, batch_size=64, epochs=3, seed=5
)

SCRIPT = """
import hashlib
from tests.test_models import _data, BUDGET
from genrebench.heads import get_head
from genrebench.models import train
X, Y = _data()
for head in ("sigmoid_bce", "softmax_cce_norm"):
    result = train(get_head(head), X, Y, BUDGET, eval_sets={"val": (X[:50], Y[:50])})
    print(head, hashlib.sha256(result.logits[3]["val"].tobytes()).hexdigest())
"""


def test_same_budget_gives_bit_identical_logits_in_separate_processes(root):
    """Two processes, each training every head in turn: the same logits, bit for bit (and a
    head trained after another in one process is not affected by it)."""
    first, second = (
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            timeout=300,
        ).stdout.split()
        for _ in range(2)
    )
    assert len(first) == 4 and first == second, (first, second)


def test_snapshots_curves_and_learning():
    X, Y = _data()
    result = train(
        get_head("sigmoid_bce"),
        X,
        Y,
        TrainBudget(
            hidden_units=16, dropout=0.5, learning_rate=1e-2, batch_size=32, epochs=8, seed=0
        ),
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

    from genrebench import models

    X, Y = _data()
    head = get_head("sigmoid_bce")
    quiet = train(head, X, Y, BUDGET, eval_sets={"val": (X, Y)})
    original = models.build_model

    def build_after_someone_else_drew(*args, **kwargs):
        for _ in range(5):
            random.random()
        return original(*args, **kwargs)

    monkeypatch.setattr(models, "build_model", build_after_someone_else_drew)
    busy = train(head, X, Y, BUDGET, eval_sets={"val": (X, Y)})
    epoch = BUDGET.epochs
    np.testing.assert_array_equal(quiet.logits[epoch]["val"], busy.logits[epoch]["val"])
