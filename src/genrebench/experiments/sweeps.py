"""Controlled sweeps on synthetic genres, against the Bayes-optimal ceiling.

Each sweep cell is a synthetic data set (:func:`genrebench.data.synthetic.make_synthetic`)
whose exact posterior marginals P(y_j = 1 | document) are known. Every head is
trained on it with one fixed budget and several seeds; the posterior marginals,
decoded by the same decoders, are the ceiling ("bayes"): the best any scorer can
do with that decoder. One axis changes at a time: label cardinality with the
labels balanced and independent, then imbalance x correlation at a fixed
cardinality.
"""

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import run_grid
from genrebench.experiments.runs import Prepared, RunConfig, evaluate, prepare_splits

#: Shorthands for the protocol's sweep settings (:mod:`genrebench.experiments.protocol`).
HEADS = protocol.SWEEP_HEADS
GENERATOR = protocol.SWEEP_GENERATOR
SEEDS = protocol.SWEEP_SEEDS
FAMILY_HEADS = protocol.SWEEP_FAMILY_HEADS
DATA_SEED = protocol.SWEEP_DATA_SEED


@dataclass(frozen=True)
class SweepCell:
    """One synthetic setting; ``axis`` says which sweep it belongs to."""

    axis: str
    mean_cardinality: float
    imbalance: float = 0.0
    correlation: float = 0.0

    @property
    def name(self) -> str:
        return (
            f"synthetic(card={self.mean_cardinality:g},imb={self.imbalance:g},"
            f"corr={self.correlation:g})"
        )


def sweep_cells() -> list[SweepCell]:
    """The published cells: the cardinality axis, then the imbalance x correlation grid."""
    cells = [SweepCell("cardinality", card) for card in protocol.SWEEP_CARDINALITIES]
    cells += [
        SweepCell("imbalance_correlation", protocol.SWEEP_FIXED_CARDINALITY, imbalance, correlation)
        for imbalance in protocol.SWEEP_IMBALANCES
        for correlation in protocol.SWEEP_CORRELATIONS
    ]
    return cells


@dataclass(frozen=True)
class SyntheticBundle:
    """A cell's prepared data and, for its validation and test documents, the exact
    posterior quantities: marginals, normalised marginals E[y_j/|y|] and the joint of each
    label with the set's size (``by_size``, for the F-measure-optimal decoder)."""

    prepared: Prepared
    posterior_val: np.ndarray
    posterior_test: np.ndarray
    normalised_val: np.ndarray
    normalised_test: np.ndarray
    by_size_val: np.ndarray
    by_size_test: np.ndarray

    #: Names of the arrays, as stored in the cell's cache entry.
    ARRAYS = (
        "posterior_val",
        "posterior_test",
        "normalised_val",
        "normalised_test",
        "by_size_val",
        "by_size_test",
    )


def prepare_cell(cell: SweepCell, generator: dict | None = None, seed: int = DATA_SEED):
    """Generate the cell's data, split it, fit features; keep the posteriors of val and test."""
    from genrebench.data import split
    from genrebench.data.synthetic import make_synthetic

    generator = {**GENERATOR, **(generator or {})}
    synthetic = make_synthetic(
        mean_cardinality=cell.mean_cardinality,
        imbalance=cell.imbalance,
        correlation=cell.correlation,
        seed=seed,
        **generator,
    )
    dataset = synthetic.dataset
    splits = split(dataset, seed=seed)
    row_of = {doc_id: row for row, doc_id in enumerate(dataset.ids)}
    val_rows = [row_of[i] for i in splits.val.ids]
    test_rows = [row_of[i] for i in splits.test.ids]
    recipe = {
        "data": dataset.fingerprint,
        "cell": asdict(cell),
        "generator": generator,
        "seed": seed,
    }
    prepared = prepare_splits(splits, cell.name, recipe, split_seed=seed)
    exact = {
        "posterior": synthetic.posterior,
        "normalised": synthetic.posterior_normalised,
        "by_size": synthetic.posterior_by_size,
    }
    return SyntheticBundle(
        prepared=prepared,
        **{f"{name}_val": np.asarray(values)[val_rows] for name, values in exact.items()},
        **{f"{name}_test": np.asarray(values)[test_rows] for name, values in exact.items()},
    )


#: The folder of sweep-cell entries inside the result cache (beside the runs).
CELL_FOLDER = "sweep_cells"
_CELL_EXTRA_FILES = ("posteriors.npz", "ceiling.csv")


def _cell_key(cell: SweepCell, generator: dict, seed: int) -> str:
    """The cell, the generator's settings and seed, and the code: the generator's, this
    module's and the run code (split, features, decoders, metrics)."""
    import hashlib
    import json
    from pathlib import Path

    from genrebench.data import synthetic
    from genrebench.experiments.runs import code_fingerprint

    sources = [Path(module.__file__).read_bytes() for module in (synthetic,)]
    sources.append(Path(__file__).read_bytes())
    payload = {
        "cell": asdict(cell),
        "generator": {key: repr(value) for key, value in sorted(generator.items())},
        "seed": seed,
        "code": code_fingerprint(),
        "sources": [hashlib.sha256(source).hexdigest() for source in sources],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def cell_inputs(
    cell: SweepCell, generator: dict | None = None, cache: ResultCache | None = None
) -> tuple[SyntheticBundle, pd.DataFrame]:
    """:func:`prepare_cell` and :func:`ceiling_metrics` of ``cell``, stored in the result
    cache: the sweeps chapter and the answers read the same cells. A damaged entry is
    computed again."""
    import io

    from genrebench.experiments.cache import (
        PREPARED_FILES,
        CacheCorruptError,
        prepared_files,
        prepared_from_files,
        read_entry,
        write_entry,
    )

    generator = {**GENERATOR, **(generator or {})}
    root = (cache or ResultCache()).root / CELL_FOLDER
    key = _cell_key(cell, generator, DATA_SEED)
    try:
        files = read_entry(root, key, PREPARED_FILES + _CELL_EXTRA_FILES)
        with np.load(io.BytesIO(files["posteriors.npz"])) as posteriors:
            bundle = SyntheticBundle(
                prepared_from_files(files),
                **{name: posteriors[name] for name in SyntheticBundle.ARRAYS},
            )
        # pandas reads floats back exactly (its default since 3.0; a test compares them).
        ceiling = pd.read_csv(
            io.BytesIO(files["ceiling.csv"]), keep_default_na=False, na_values=[""]
        )
        return bundle, ceiling
    except (CacheCorruptError, KeyError, ValueError, OSError):
        pass
    bundle = prepare_cell(cell, generator)
    ceiling = ceiling_metrics(bundle)
    files = prepared_files(bundle.prepared)
    buffer = io.BytesIO()
    np.savez(buffer, **{name: getattr(bundle, name) for name in SyntheticBundle.ARRAYS})
    files["posteriors.npz"] = buffer.getvalue()
    files["ceiling.csv"] = ceiling.to_csv(index=False).encode()
    try:
        write_entry(root, key, files)
    except OSError:  # a read-only cache still gives the cell
        pass
    return bundle, ceiling


def ceiling_metrics(bundle: SyntheticBundle) -> pd.DataFrame:
    """The Bayes references, as rows like a head's.

    ``bayes``: the exact marginals, decoded like the heads' scores (every decoder, the
    ranking metrics) plus decoder ``gfm``, the F-measure-optimal set of each document
    (Dembczyński et al., 2011), the ceiling of samples-F1. ``bayes_normalised``: the
    ranking metrics of E[y_j/|y|], the scorer that maximises recall at k (Menon et al.,
    2019), where the marginals maximise precision at k.
    """
    from genrebench.fmeasure import gfm_decode
    from genrebench.metrics import multilabel_summary

    prepared = bundle.prepared
    table = evaluate(prepared.Y_val, bundle.posterior_val, prepared.Y_test, bundle.posterior_test)
    rows = []
    for split, Y, by_size, normalised in (
        ("val", prepared.Y_val, bundle.by_size_val, bundle.normalised_val),
        ("test", prepared.Y_test, bundle.by_size_test, bundle.normalised_test),
    ):
        summary = multilabel_summary(Y, gfm_decode(by_size))
        rows += [("bayes", split, "gfm", metric, value) for metric, value in summary.items()]
        decided = multilabel_summary(Y, (normalised > 0.5).astype(np.uint8))
        ranking = multilabel_summary(Y, (normalised > 0.5).astype(np.uint8), scores=normalised)
        rows += [
            ("bayes_normalised", split, "scores", metric, value)
            for metric, value in ranking.items()
            if metric not in decided
        ]
    extra = pd.DataFrame(rows, columns=["head", "split", "decoder", "metric", "value"])
    return pd.concat([table.assign(head="bayes"), extra], ignore_index=True).assign(train_seed=-1)


def run_sweep(
    cells=None,
    seeds=SEEDS,
    heads=HEADS,
    budget: dict | None = None,
    generator: dict | None = None,
    cache: ResultCache | None = None,
    progress: bool | None = None,
    family_heads=FAMILY_HEADS,
) -> pd.DataFrame:
    """Every cell x head x seed (cached) plus the ceilings: tidy test rows with cell columns.

    Cells of the cardinality axis also train ``family_heads`` (the loss family).
    """
    cells = cells if cells is not None else sweep_cells()
    budget = {**protocol.SWEEP_BUDGET, **(budget or {})}
    # A setting on two axes (the grid's corner is also a cardinality point) is run once.
    unique = {cell.name: cell for cell in cells}
    inputs = {name: cell_inputs(cell, generator, cache) for name, cell in unique.items()}
    bundles = {name: bundle for name, (bundle, _) in inputs.items()}
    on_cardinality = {cell.name for cell in cells if cell.axis == "cardinality"}

    def heads_of(name):
        return dict.fromkeys([*heads, *(family_heads if name in on_cardinality else ())])

    configs = [
        RunConfig(
            head=head,
            budget=protocol.budget(**budget, seed=seed),
            dataset=name,
            split_seed=bundles[name].prepared.split_seed,
        )
        for name in unique
        for seed in seeds
        for head in heads_of(name)
    ]
    result = run_grid(
        configs,
        lambda config: bundles[config.dataset].prepared,
        cache,
        progress,
        label="sweep",
    )
    frames = [result.metrics]
    frames += [ceiling.assign(dataset=name) for name, (_, ceiling) in inputs.items()]
    table = pd.concat(frames, ignore_index=True)
    table = table[table["split"] == "test"]
    cell_columns = pd.DataFrame([{"dataset": cell.name, **asdict(cell)} for cell in cells])
    return table.merge(cell_columns, on="dataset", how="left").reset_index(drop=True)


def gap_to_ceiling(table: pd.DataFrame, metric: str, decoder: str) -> pd.DataFrame:
    """Mean over seeds of (ceiling - head) for ``metric`` under ``decoder``, per cell and head."""
    rows = table[(table["metric"] == metric) & (table["decoder"] == decoder)]
    ceiling = rows[rows["head"] == "bayes"].set_index("dataset")["value"]
    heads = rows[rows["head"] != "bayes"]
    mean = heads.groupby(["dataset", "head"], as_index=False)["value"].mean()
    mean["gap"] = mean["dataset"].map(ceiling) - mean["value"]
    keys = ["dataset", "axis", "mean_cardinality", "imbalance", "correlation"]
    cells = rows[keys].drop_duplicates()
    return mean.merge(cells, on="dataset")
