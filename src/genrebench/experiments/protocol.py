"""The published experimental protocol: every constant the book and the command share.

Changing a value here changes the book's results (and, through the run keys,
recomputes them); the benchmark reads the same values, so the timings it reports
are those of the runs the book shows. Nothing else in the package holds a
default of the protocol.

Two profiles, chosen by the environment variable ``GENREBENCH_PROFILE`` and read here
only: ``publication`` (the default: what ``make book`` and the command run) and ``smoke``
(what the test suite runs: a stratified subsample of each built-in dataset, 2 splits x 2
seeds, a grid of two learning rates and two epochs, two sweep cells per axis, a handful of
coverage replications). Every constant below shows both values; nothing else in the package
asks which profile is active. The profile's name enters every cache key (:data:`PROFILE`),
and a book built under ``smoke`` carries a banner on every page (:data:`PROFILE_BANNER`).
"""

import os

from genrebench.heads import HEADS as REGISTRY
from genrebench.models import TrainBudget

#: The profiles, and the one this process runs (``$GENREBENCH_PROFILE``, default publication).
PROFILES = ("publication", "smoke")
PROFILE = os.environ.get("GENREBENCH_PROFILE", "").strip() or "publication"
if PROFILE not in PROFILES:
    raise ValueError(
        f"GENREBENCH_PROFILE={PROFILE[:40]!r} is not a protocol profile: use one of "
        + ", ".join(PROFILES)
    )
_SMOKE = PROFILE == "smoke"

#: The banner every page of a book built under a profile other than publication carries.
PROFILE_BANNER = (
    "Smoke build (GENREBENCH_PROFILE=smoke): small data and a reduced protocol for the test "
    "suite. These numbers are not the published results; run make book for them."
    if _SMOKE
    else ""
)

#: How many documents of each built-in dataset the protocol studies (a stratified subsample
#: of about that many; a dataset not named here is studied whole).
MAX_DOCUMENTS = {"films": 1000, "movielens": 800, "yeast": 400} if _SMOKE else {}
#: The seed of that subsample.
SUBSAMPLE_SEED = 0

# --- The heads study (chapters "Sigmoid or softmax?" onwards, and `genrebench run`) -------

#: Heads compared, reference first (names from :data:`genrebench.heads.HEADS`).
HEADS = ("sigmoid_bce", "softmax_cce", "softmax_cce_norm")
#: The whole loss family (secondary comparisons, Holm-corrected): every registered head.
FAMILY = tuple(REGISTRY)
#: The head every other one is compared with.
REFERENCE_HEAD = HEADS[0]

#: The hyperparameter search every head gets: learning rates x epochs read out, on validation.
SEARCH_LEARNING_RATES = (1e-2, 3e-2) if _SMOKE else (3e-3, 1e-2, 3e-2)
SNAPSHOT_EPOCHS = (2, 4) if _SMOKE else (1, 2, 3, 4, 6, 8, 10)
MAX_EPOCHS = max(SNAPSHOT_EPOCHS)

#: When a head's chosen setting lies on an edge of the grid (its lowest or highest learning
#: rate, its last epoch read out), the grid grows for every head by the next rung of these
#: ladders, and the search runs again, at most :data:`MAX_GRID_EXTENSIONS` times.
LEARNING_RATE_LADDER = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1)
EPOCH_LADDER = (*SNAPSHOT_EPOCHS, 14, 20, 28, 40)
MAX_GRID_EXTENSIONS = 0 if _SMOKE else 4

#: The optimiser every head and run trains with (:data:`genrebench.models.OPTIMISERS`): Adam
#: moving only the input-layer rows of the features present in a batch.
OPTIMISER = "lazy_adam"

#: The random train/validation/test splits every dataset is studied on (chapter "Does the
#: answer travel?" and `genrebench run`), and the training seeds run on each of them.
SPLITS = (0, 1) if _SMOKE else (0, 1, 2, 3, 4)
SPLIT_SEEDS = (0, 1) if _SMOKE else (0, 1, 2)
#: The built-in datasets the protocol runs on (smallest first: the films come last, when the
#: heads chapter has trained their searches).
TRAVEL_DATASETS = ("yeast", "movielens", "films")
#: The built-in datasets the whole loss family also runs on, every split and seed (on the
#: primary heads' grid of each split). The others are left out for the book's time budget:
#: alone on two cores, the family's extra runs cost about 60 s on the five splits of yeast, 130 s on
#: those of MovieLens and 65 s per split of the films (its first split is the heads chapter's).
TRAVEL_FAMILY_DATASETS = ("yeast",)

#: The optimiser it is compared with, and the data splits of that comparison (films).
BASELINE_OPTIMISER = "adam"
OPTIMISER_SPLITS = SPLITS

#: Fixed for every head and run.
HIDDEN_UNITS = 64
DROPOUT = 0.5
BATCH_SIZE = 1024
SPLIT_SEED = 0

#: The seed the search runs with, and the training seeds of the reported runs.
SEARCH_SEED = 0
SEEDS = (0, 1) if _SMOKE else (0, 1, 2, 3, 4)

#: The equivalence margin δ, fixed before any result: two heads whose difference in F1 (any
#: average) lies within ±δ are equivalent for a practitioner, since one point of F1 is less
#: than the split-to-split spread of one model and not a difference anyone would act on. A
#: comparison is "equivalent" when its 90% split-aware interval lies inside ±δ (two
#: one-sided tests at 5%, Lakens 2017). The verdicts are also shown at these other margins.
EQUIVALENCE_MARGIN = 0.01
MARGIN_SENSITIVITY = (EQUIVALENCE_MARGIN / 2, EQUIVALENCE_MARGIN * 2)
#: The power at which each dataset's minimum detectable difference is reported.
MDE_POWER = 0.8

#: Bootstrap resamples for intervals over documents.
N_BOOTSTRAP = 100 if _SMOKE else 1000

#: The regularisation grid of the scikit-learn baseline (inverse strength C), chosen on validation.
BASELINE_CS = (1.0, 4.0, 16.0)

#: The fewest optimiser steps per epoch allowed on a small dataset (see :func:`batch_size_for`).
MIN_STEPS_PER_EPOCH = 10

# --- Controlled sweeps on synthetic data (chapter "Controlled sweeps") --------------------

#: Heads compared in every sweep cell.
SWEEP_HEADS = HEADS
#: Heads also trained on the cardinality axis of the sweeps: the whole loss family.
SWEEP_FAMILY_HEADS = tuple(name for name in FAMILY if name not in SWEEP_HEADS)
#: The generator's settings shared by every cell: sized so the sweep fits the book's budget.
SWEEP_GENERATOR = {
    "n_docs": 800 if _SMOKE else 3000,
    "n_labels": 8,
    "doc_length": 15,
    "vocab_overlap": 0.5,
    "background": 0.5,
}
#: One fixed budget for every head and cell (no search: the cells are easy and alike).
SWEEP_BUDGET = {
    "hidden_units": HIDDEN_UNITS,
    "learning_rate": 1e-2,
    "batch_size": 256,
    "epochs": 4 if _SMOKE else 12,
}
SWEEP_SEEDS = (0, 1) if _SMOKE else (0, 1, 2)
SWEEP_DATA_SEED = 0
SWEEP_CARDINALITIES = (1.0, 3.0) if _SMOKE else (1.0, 1.5, 2.0, 3.0, 4.0)
SWEEP_IMBALANCES = (0.0, 2.0) if _SMOKE else (0.0, 1.0, 2.0)
SWEEP_CORRELATIONS = (0.0, 0.9) if _SMOKE else (0.0, 0.5, 0.9)
SWEEP_FIXED_CARDINALITY = 2.0

# --- Coverage check (chapter "Controlled sweeps": do the intervals cover the truth?) ---------

#: The generator of every replication: the sweeps' settings at their fixed cardinality, with
#: fewer documents (a replication draws a fresh data set with generator seed = its number).
COVERAGE_GENERATOR = {
    **SWEEP_GENERATOR,
    "n_docs": 300 if _SMOKE else 600,
    "mean_cardinality": SWEEP_FIXED_CARDINALITY,
}
#: Replications, random data splits per replication and training seeds per split.
COVERAGE_REPLICATIONS = 8 if _SMOKE else 200
COVERAGE_SPLITS = 3 if _SMOKE else 5
COVERAGE_SEEDS = 2 if _SMOKE else 3
#: Shares of each data set held out for test and for validation (as in every study here).
COVERAGE_TEST = 0.2
COVERAGE_VAL = 0.1
#: The cheap learner: one-vs-rest logistic regression trained by stochastic gradient descent
#: (L2 strength, passes over the training documents).
COVERAGE_ALPHA = 1e-3
COVERAGE_EPOCHS = 5
#: The quantities checked: micro-F1 of one decoder, and its difference from another on the
#: same scores (names from :data:`genrebench.decode.DECODERS`).
COVERAGE_DECODER = "global_tuned"
COVERAGE_OTHER_DECODER = "threshold_0.5"
#: The truth: fresh data sets it averages over, the size of the large independent test set,
#: and their generator seeds (far from the replications' 0, 1, ...).
COVERAGE_TRUTH_TRAININGS = 5 if _SMOKE else 100
COVERAGE_TRUTH_DOCUMENTS = 3_000 if _SMOKE else 30_000
COVERAGE_TRUTH_SEED = 1_000_000
COVERAGE_TRUTH_TEST_SEED = 2_000_000
#: Blocks of the large test set whose spread gives the test documents' share of the truth's error.
COVERAGE_TRUTH_BLOCKS = 5 if _SMOKE else 10


def budget(
    learning_rate: float,
    seed: int,
    epochs: int = MAX_EPOCHS,
    batch_size: int = BATCH_SIZE,
    hidden_units: int = HIDDEN_UNITS,
    optimiser: str = OPTIMISER,
) -> TrainBudget:
    """The training budget of one protocol run (the book's heads study uses the defaults)."""
    return TrainBudget(
        hidden_units=hidden_units,
        dropout=DROPOUT,
        learning_rate=learning_rate,
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        optimiser=optimiser,
    )


def batch_size_for(n_train: int) -> int:
    """:data:`BATCH_SIZE`, halved until an epoch of ``n_train`` documents has at least
    :data:`MIN_STEPS_PER_EPOCH` steps (never below 32): a few hundred documents in
    batches of a thousand would give the heads one update per epoch."""
    size = BATCH_SIZE
    while size > 32 and n_train / size < MIN_STEPS_PER_EPOCH:
        size //= 2
    return size


def load_built_in(name: str):
    """The built-in dataset ``name`` (:data:`genrebench.data.sources.BUILT_IN`) as the protocol
    studies it: whole, or a stratified subsample of :data:`MAX_DOCUMENTS` documents."""
    from genrebench.data.sources import BUILT_IN, MIN_LABEL_COUNT

    dataset = BUILT_IN[name]()
    if name in MAX_DOCUMENTS:
        dataset = dataset.sample(MAX_DOCUMENTS[name], SUBSAMPLE_SEED, MIN_LABEL_COUNT)
    return dataset
