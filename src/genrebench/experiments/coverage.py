"""Do the intervals cover what they claim? A simulation on the synthetic generator.

Each *replication* draws a fresh data set of n documents from
:func:`genrebench.data.synthetic.make_synthetic` (generator seed = the replication's
number), splits it at random R times (iterative stratification,
:func:`genrebench.data.split`, split seeds 0 to R - 1) and, on each split, trains a cheap
learner with S training seeds: one-vs-rest logistic regression fitted by stochastic
gradient descent on TF-IDF features (sublinear term frequencies, inverse document
frequencies from the training documents). The training seed sets the order in which
gradient descent visits the training documents, and nothing else; the split sets which
documents train, tune and test. On each split and seed the validation scores tune the
decoders (:mod:`genrebench.decode`) and the test documents give two numbers, both from
:mod:`genrebench.metrics`: the micro-F1 of one decoder (quantity ``"f1"``) and that minus
the micro-F1 of another decoder on the same scores (``"difference"``).

The *truth* that an interval over a replication's splits should cover is the expected test
score of the same procedure (train on n_train documents, tune on n_val, any training seed)
over fresh data sets from the same generator, on the whole population of documents. It is
estimated once per setting: fresh data sets of n documents (generator seeds from
``truth_seed``), each split and trained once, all scored on one large independent test set
(generator seed ``truth_test_seed``). Its standard error combines the spread over the fresh
training sets and the spread over blocks of the large test set.

Nothing here computes an interval or a coverage (that is
:mod:`genrebench.results.coverage`); the result is plain data, the same for the same
settings.
"""

import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.cache import CacheCorruptError, ResultCache, read_entry, write_entry

#: What every replication records per split and seed, in table order.
QUANTITIES = ("f1", "difference")
#: The columns of a simulation's table.
TABLE_COLUMNS = (
    "replication",
    "split_seed",
    "train_seed",
    "quantity",
    "value",
    "n_train",
    "n_val",
    "n_test",
)
#: The folder of coverage entries inside the result cache (beside the runs).
COVERAGE_FOLDER = "coverage"
_ENTRY_FILES = ("table.npz", "truth.json")


class CoverageSettingsError(ValueError):
    """Settings a coverage simulation cannot run with."""


@dataclass(frozen=True)
class CoverageSettings:
    """Everything that defines a coverage simulation; the defaults are the book's."""

    replications: int = protocol.COVERAGE_REPLICATIONS
    splits: int = protocol.COVERAGE_SPLITS
    seeds: int = protocol.COVERAGE_SEEDS
    generator: dict = field(default_factory=lambda: dict(protocol.COVERAGE_GENERATOR))
    test: float = protocol.COVERAGE_TEST
    val: float = protocol.COVERAGE_VAL
    alpha: float = protocol.COVERAGE_ALPHA
    epochs: int = protocol.COVERAGE_EPOCHS
    decoder: str = protocol.COVERAGE_DECODER
    other_decoder: str = protocol.COVERAGE_OTHER_DECODER
    truth_trainings: int = protocol.COVERAGE_TRUTH_TRAININGS
    truth_documents: int = protocol.COVERAGE_TRUTH_DOCUMENTS
    truth_seed: int = protocol.COVERAGE_TRUTH_SEED
    truth_test_seed: int = protocol.COVERAGE_TRUTH_TEST_SEED
    truth_blocks: int = protocol.COVERAGE_TRUTH_BLOCKS

    def __post_init__(self):
        from genrebench.decode import get_decoder

        if self.replications < 1 or self.splits < 2 or self.seeds < 1:
            raise CoverageSettingsError(
                "a coverage simulation needs at least one replication, two splits (an interval "
                f"over splits) and one seed; got {self.replications}, {self.splits}, {self.seeds}"
            )
        if self.truth_trainings < 2 or self.truth_blocks < 2:
            raise CoverageSettingsError(
                "the truth needs at least two fresh training sets and two test blocks"
            )
        if self.truth_seed < self.replications:
            raise CoverageSettingsError(
                f"truth_seed={self.truth_seed} would reuse a replication's data: raise it above "
                f"{self.replications}"
            )
        for name in (self.decoder, self.other_decoder):
            if get_decoder(name).needs_truth:
                raise CoverageSettingsError(f"{name} reads the test targets: pick a real decoder")


@dataclass(frozen=True)
class CoverageSimulation:
    """The simulation's per-replication table and the truth it is checked against.

    ``table``: one row per replication x split x training seed x quantity (columns
    ``replication``, ``split_seed``, ``train_seed``, ``quantity``, ``value`` and the split's
    ``n_train``, ``n_val`` and ``n_test``: iterative stratification keeps every label's share,
    so a split's sizes vary by a few documents). ``truth``: one row per quantity (``truth``,
    its standard ``error`` and the two parts of it, ``error_trainings`` and
    ``error_documents``).
    """

    settings: CoverageSettings
    table: pd.DataFrame
    truth: pd.DataFrame

    @property
    def test_to_train(self) -> float:
        """n_test / n_train averaged over the splits: the correction's ratio
        (:func:`genrebench.results.statistics.split_interval`)."""
        splits = self.table.drop_duplicates(["replication", "split_seed"])
        return float((splits["n_test"] / splits["n_train"]).mean())


def _split_rows(dataset, split_seed: int, settings: CoverageSettings) -> tuple[np.ndarray, ...]:
    """Row numbers of the train, validation and test documents of one stratified split."""
    from genrebench.data import split

    parts = split(dataset, test=settings.test, val=settings.val, seed=split_seed)
    row_of = {doc_id: row for row, doc_id in enumerate(dataset.ids)}
    return tuple(
        np.array([row_of[doc_id] for doc_id in part.ids])
        for part in (parts.train, parts.val, parts.test)
    )


def _features(counts_train, counts_eval) -> tuple:
    """TF-IDF (sublinear term frequencies) with inverse document frequencies from the
    training counts: the training matrix and one matrix per element of ``counts_eval``."""
    from sklearn.feature_extraction.text import TfidfTransformer

    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts_train)
    return tfidf.transform(counts_train), [tfidf.transform(counts) for counts in counts_eval]


def _scores(X_train, Y_train, X_eval, seed: int, settings: CoverageSettings) -> list:
    """Scores of the documents of each of ``X_eval``: one logistic regression per label,
    fitted by SGD that visits the training documents in ``seed``'s order."""
    import sklearn
    from scipy.special import expit
    from sklearn.linear_model import SGDClassifier

    outputs = [np.empty((X.shape[0], Y_train.shape[1])) for X in X_eval]
    # The inputs are built here, finite and valid: skip scikit-learn's parameter checks.
    with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
        for label in range(Y_train.shape[1]):
            target = Y_train[:, label]
            if target.min() == target.max():  # one class in training: its constant score
                for out in outputs:
                    out[:, label] = float(target[0])
                continue
            model = SGDClassifier(
                loss="log_loss",
                alpha=settings.alpha,
                max_iter=settings.epochs,
                tol=None,
                random_state=seed,
            ).fit(X_train, target)
            for out, X in zip(outputs, X_eval, strict=True):
                # predict_proba's own formula, without its per-call checks
                out[:, label] = expit(X @ model.coef_[0] + model.intercept_[0])
    return outputs


def _values(Y_val, S_val, Y_eval, S_eval, row_sets, settings: CoverageSettings) -> np.ndarray:
    """(row sets x quantities): micro-F1 of the decoder and its difference from the other
    decoder, both fitted on validation, on each set of evaluation rows."""
    from genrebench.decode import get_decoder
    from genrebench.metrics import micro_f1

    predictions = [
        get_decoder(name).fit(Y_val, S_val).apply(S_eval, Y_eval)
        for name in (settings.decoder, settings.other_decoder)
    ]
    values = []
    for rows in row_sets:
        first, second = (micro_f1(Y_eval[rows], p[rows]) for p in predictions)
        values.append((first, first - second))
    return np.array(values)


def _replication(replication: int, settings: CoverageSettings, vocabulary) -> list[tuple]:
    """The rows of one replication."""
    from genrebench.data.synthetic import make_synthetic

    dataset = make_synthetic(**settings.generator, seed=replication).dataset
    counts = vocabulary.transform(dataset.texts)
    rows = []
    for split_seed in range(settings.splits):
        train, val, test = _split_rows(dataset, split_seed, settings)
        sizes = (len(train), len(val), len(test))
        X_train, X_eval = _features(counts[train], (counts[val], counts[test]))
        for seed in range(settings.seeds):
            S_val, S_test = _scores(X_train, dataset.Y[train], X_eval, seed, settings)
            every = np.arange(len(test))
            values = _values(dataset.Y[val], S_val, dataset.Y[test], S_test, [every], settings)
            rows += [
                (replication, split_seed, seed, quantity, float(value), *sizes)
                for quantity, value in zip(QUANTITIES, values[0], strict=True)
            ]
    return rows


def estimate_truth(settings: CoverageSettings, large=None, vocabulary=None) -> pd.DataFrame:
    """The expected test score of the procedure over fresh data sets (see the module
    docstring), per quantity, with its standard error and the two parts of it.

    Fresh data set k has generator seed ``truth_seed + k`` and is split and trained with
    seed k; every model is scored on the same large test set, whose blocks give the test
    documents' part of the error (the spread of the block scores, each averaged over the
    fresh training sets).
    """
    if large is None or vocabulary is None:
        large, vocabulary = _large_test_set(settings)
    from genrebench.data.synthetic import make_synthetic

    large_counts = vocabulary.transform(large.texts)
    blocks = np.array_split(np.arange(len(large)), settings.truth_blocks)
    every = np.arange(len(large))
    full, by_block = [], []
    for fresh in range(settings.truth_trainings):
        dataset = make_synthetic(**settings.generator, seed=settings.truth_seed + fresh).dataset
        counts = vocabulary.transform(dataset.texts)
        train, val, _ = _split_rows(dataset, fresh, settings)
        X_train, X_eval = _features(counts[train], (counts[val], large_counts))
        S_val, S_large = _scores(X_train, dataset.Y[train], X_eval, fresh, settings)
        values = _values(dataset.Y[val], S_val, large.Y, S_large, [every, *blocks], settings)
        full.append(values[0])
        by_block.append(values[1:])
    full, by_block = np.array(full), np.array(by_block)  # (trainings, q), (trainings, blocks, q)
    error_trainings = full.std(axis=0, ddof=1) / np.sqrt(len(full))
    block_means = by_block.mean(axis=0)  # (blocks, quantities): every training on one block
    error_documents = block_means.std(axis=0, ddof=1) / np.sqrt(len(blocks))
    return pd.DataFrame(
        {
            "quantity": QUANTITIES,
            "truth": full.mean(axis=0),
            "error": np.hypot(error_trainings, error_documents),
            "error_trainings": error_trainings,
            "error_documents": error_documents,
            "trainings": len(full),
            "documents": len(large),
        }
    )


def _large_test_set(settings: CoverageSettings):
    """The large independent test set and the word columns of every count matrix (its words:
    with this many documents, the generator's whole vocabulary)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from genrebench.data.synthetic import make_synthetic

    generator = {**settings.generator, "n_docs": settings.truth_documents}
    large = make_synthetic(**generator, seed=settings.truth_test_seed).dataset
    vocabulary = CountVectorizer(token_pattern=r"\S+", lowercase=False).fit(large.texts)
    return large, vocabulary


def simulate(settings: CoverageSettings | None = None) -> CoverageSimulation:
    """Run every replication and estimate the truth (see the module docstring)."""
    from threadpoolctl import threadpool_limits

    settings = settings or CoverageSettings()
    # Every matrix here is small: BLAS threads would only spin (a third more CPU time on two
    # cores), and one thread computes the same bits on any machine.
    with threadpool_limits(limits=1):
        large, vocabulary = _large_test_set(settings)
        truth = estimate_truth(settings, large, vocabulary)
        rows = []
        for replication in range(settings.replications):
            rows += _replication(replication, settings, vocabulary)
    return CoverageSimulation(settings, pd.DataFrame(rows, columns=TABLE_COLUMNS), truth)


def _key(settings: CoverageSettings) -> str:
    """The settings and the code: this module's, the generator's and the run code (split,
    decoders, metrics)."""
    from genrebench.data import synthetic
    from genrebench.experiments.runs import code_fingerprint

    sources = [Path(module).read_bytes() for module in (synthetic.__file__, __file__)]
    payload = {
        "settings": {key: repr(value) for key, value in sorted(asdict(settings).items())},
        "code": code_fingerprint(),
        "sources": [hashlib.sha256(source).hexdigest() for source in sources],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def cached_simulation(
    settings: CoverageSettings | None = None, cache: ResultCache | None = None
) -> CoverageSimulation:
    """:func:`simulate`, stored in the result cache (a damaged entry is computed again)."""
    settings = settings or CoverageSettings()
    root = (cache or ResultCache()).root / COVERAGE_FOLDER
    key = _key(settings)
    try:
        files = read_entry(root, key, _ENTRY_FILES)
        with np.load(io.BytesIO(files["table.npz"])) as arrays:
            table = pd.DataFrame({name: arrays[name] for name in arrays.files})
        table["quantity"] = np.asarray(QUANTITIES)[table["quantity"].to_numpy()]
        stored = json.loads(files["truth.json"])
        return CoverageSimulation(settings, table[list(TABLE_COLUMNS)], pd.DataFrame(stored))
    except (CacheCorruptError, KeyError, ValueError, IndexError, OSError):
        pass
    simulation = simulate(settings)
    table = simulation.table
    buffer = io.BytesIO()
    arrays = {name: table[name].to_numpy() for name in TABLE_COLUMNS if name != "quantity"}
    np.savez(buffer, **arrays, quantity=table["quantity"].map(QUANTITIES.index).to_numpy())
    truth = json.dumps(simulation.truth.to_dict("records")).encode()
    files = {"table.npz": buffer.getvalue(), "truth.json": truth}
    try:
        write_entry(root, key, files)
    except OSError:  # a read-only cache still gives the simulation
        pass
    return simulation
