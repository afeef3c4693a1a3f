"""One backbone for every head, trained with a fixed budget in one process.

Backbone: sparse TF-IDF input -> ``Dense(hidden_units, relu)`` -> ``Dropout`` ->
``Dense(n_labels)`` logits, the output biases starting at the head's best
constant prediction (:meth:`genrebench.heads.Head.initial_bias`). The input
stays sparse end to end (a dense films matrix would cost gigabytes). Keras'
``fit`` converts every SciPy batch through a general-purpose adapter; the small
loop below converts each batch once and runs one compiled ``tf.function``
step, which is what makes a run cheaper than a tuned scikit-learn baseline
(``benchmarks/``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from genrebench.heads import Head
from genrebench.seeding import seed_everything


@dataclass(frozen=True)
class TrainBudget:
    """Everything about training that must be the same for every head.

    No defaults: the protocol's values live in :mod:`genrebench.experiments.protocol`
    (:func:`~genrebench.experiments.protocol.budget`).
    """

    hidden_units: int
    dropout: float
    learning_rate: float
    batch_size: int
    epochs: int
    seed: int

    def __post_init__(self):
        for name in ("hidden_units", "batch_size", "epochs"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")


@dataclass
class TrainResult:
    """Logits of each evaluation set after each snapshot epoch, and the loss curves.

    ``eval_loss["val"]`` has one value per epoch; other evaluation sets only
    have values at the snapshot epochs.
    """

    logits: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    train_loss: list[float] = field(default_factory=list)
    eval_loss: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0


def _to_tf_sparse(X: sp.csr_matrix):
    import tensorflow as tf

    X = sp.csr_matrix(X)
    X.sort_indices()  # CSR rows in order with sorted columns: already canonical, no reorder op
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    indices = np.stack([rows, X.indices.astype(np.int64)], axis=1)
    return tf.SparseTensor(indices, X.data.astype(np.float32, copy=False), X.shape)


def build_model(
    n_features: int,
    n_labels: int,
    hidden_units: int,
    dropout: float = 0.0,
    output_bias: np.ndarray | None = None,
    seed: int = 0,
):
    """The shared backbone with a linear output layer of ``n_labels`` logits.

    Every random layer gets its own seed derived from ``seed``. Left unseeded,
    Keras would draw their seeds from Python's process-wide ``random`` module,
    which other threads of the process (a Dask scheduler or worker, for one)
    also draw from: the same run could then give different weights in
    different processes.
    """
    import keras

    inputs = keras.Input(shape=(n_features,), sparse=True, name="tfidf")
    hidden = keras.layers.Dense(
        hidden_units,
        activation="relu",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        name="hidden",
    )(inputs)
    if dropout:
        hidden = keras.layers.Dropout(dropout, seed=seed + 1, name="dropout")(hidden)
    bias = "zeros" if output_bias is None else keras.initializers.Constant(output_bias)
    logits = keras.layers.Dense(
        n_labels,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2),
        bias_initializer=bias,
        name="logits",
    )(hidden)
    return keras.Model(inputs, logits, name="backbone")


def predict_logits(model, X: sp.csr_matrix, batch_size: int = 4096) -> np.ndarray:
    """Logits for every row of ``X``, in batches, without densifying ``X``."""
    parts = [
        model(_to_tf_sparse(X[start : start + batch_size]), training=False).numpy()
        for start in range(0, X.shape[0], batch_size)
    ]
    return np.concatenate(parts, axis=0).astype(np.float32)


def train(
    head: Head,
    X_train: sp.csr_matrix,
    Y_train: np.ndarray,
    budget: TrainBudget,
    eval_sets: Mapping[str, tuple[sp.csr_matrix, np.ndarray]] = (),
    snapshot_epochs: tuple[int, ...] | None = None,
) -> TrainResult:
    """Train the backbone with ``head`` and return logits on ``eval_sets`` at ``snapshot_epochs``.

    Deterministic for a given budget (seeded initialisation and batch order,
    TensorFlow op determinism). ``snapshot_epochs`` defaults to the last epoch;
    snapshots let one run answer "how many epochs?" without retraining.
    """
    import time

    import keras
    import tensorflow as tf

    if not sp.issparse(X_train):
        raise TypeError("X_train must be a SciPy sparse matrix; densifying it costs gigabytes")
    X_train = sp.csr_matrix(X_train, dtype=np.float32)
    if X_train.shape[0] != len(Y_train):
        raise ValueError(f"X_train has {X_train.shape[0]} rows but Y_train {len(Y_train)}")
    eval_sets = dict(eval_sets)
    snapshots = tuple(sorted(set(snapshot_epochs or (budget.epochs,))))
    if snapshots[0] < 1 or snapshots[-1] > budget.epochs:
        raise ValueError(f"snapshot epochs {snapshots} must lie within 1..{budget.epochs}")

    started = time.perf_counter()
    rng = seed_everything(budget.seed)
    n_labels = Y_train.shape[1]
    model = build_model(
        X_train.shape[1],
        n_labels,
        budget.hidden_units,
        dropout=budget.dropout,
        output_bias=head.initial_bias(Y_train),
        seed=budget.seed,
    )
    optimizer = keras.optimizers.Adam(learning_rate=budget.learning_rate)
    loss_fn = head.keras_loss()
    targets = head.transform_targets(Y_train)

    signature = (
        tf.SparseTensorSpec([None, X_train.shape[1]], tf.float32),
        tf.TensorSpec([None, n_labels], tf.float32),
    )

    @tf.function(input_signature=signature)
    def step(features, batch_targets):
        with tf.GradientTape() as tape:
            loss = loss_fn(batch_targets, model(features, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    result = TrainResult(eval_loss={name: [] for name in eval_sets})
    n_docs = X_train.shape[0]
    for epoch in range(1, budget.epochs + 1):
        order = rng.permutation(n_docs)
        losses, sizes = [], []
        for start in range(0, n_docs, budget.batch_size):
            batch = order[start : start + budget.batch_size]
            loss = step(_to_tf_sparse(X_train[batch]), tf.constant(targets[batch]))
            losses.append(float(loss))
            sizes.append(len(batch))
        result.train_loss.append(float(np.average(losses, weights=sizes)))
        # Validation loss every epoch (for the curves); other sets only at snapshots.
        curve_sets = {name: pair for name, pair in eval_sets.items() if name == "val"}
        needed = eval_sets if epoch in snapshots else curve_sets
        logits = {name: predict_logits(model, X) for name, (X, _) in needed.items()}
        for name, (_, Y) in needed.items():
            result.eval_loss[name].append(head.loss(Y, logits[name]))
        if epoch in snapshots:
            result.logits[epoch] = logits
    result.seconds = time.perf_counter() - started
    return result
