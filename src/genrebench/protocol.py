"""The published experimental protocol: one place for the settings every chapter shares.

Changing a value here changes the book's headline results (and, through the
code fingerprint, invalidates their cache); the benchmark reads the same values,
so the timings it reports are those of the runs the book shows.
"""

from genrebench.models import TrainBudget

#: Heads compared, reference first.
HEADS = ("sigmoid_bce", "softmax_cce", "softmax_cce_norm")

#: The hyperparameter search every head gets: learning rates x epoch snapshots, on validation.
SEARCH_LEARNING_RATES = (3e-3, 1e-2, 3e-2)
SNAPSHOT_EPOCHS = (3, 6, 10)
MAX_EPOCHS = max(SNAPSHOT_EPOCHS)

#: Fixed for every head and run.
HIDDEN_UNITS = 64
BATCH_SIZE = 1024
SPLIT_SEED = 0

#: The seed the search runs with, and the training seeds of the reported runs.
SEARCH_SEED = 0
SEEDS = (0, 1, 2, 3, 4)

#: Bootstrap resamples for intervals over documents.
N_BOOTSTRAP = 1000

#: The regularisation grid of the scikit-learn baseline (inverse strength C), chosen on validation.
BASELINE_CS = (1.0, 4.0, 16.0)


#: The fewest optimiser steps per epoch the command line allows on a small dataset.
MIN_STEPS_PER_EPOCH = 10


def budget(
    learning_rate: float, seed: int, epochs: int = MAX_EPOCHS, batch_size: int = BATCH_SIZE
) -> TrainBudget:
    """The training budget of one protocol run (the book's runs use the defaults)."""
    return TrainBudget(
        hidden_units=HIDDEN_UNITS,
        learning_rate=learning_rate,
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
    )


def batch_size_for(n_train: int) -> int:
    """:data:`BATCH_SIZE`, halved until an epoch of ``n_train`` documents has at least
    :data:`MIN_STEPS_PER_EPOCH` steps (never below 32): a few hundred documents in
    batches of a thousand would give the heads one update per epoch."""
    size = BATCH_SIZE
    while size > 32 and n_train / size < MIN_STEPS_PER_EPOCH:
        size //= 2
    return size
