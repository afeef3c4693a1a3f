"""Sweeps: the ceiling decodes exact posteriors, and a tiny sweep yields a complete table."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from genrebench.experiments.cache import ResultCache
from genrebench.experiments.runs import Prepared
from genrebench.experiments.sweeps import (
    SweepCell,
    SyntheticBundle,
    ceiling_metrics,
    gap_to_ceiling,
    run_sweep,
    sweep_cells,
)


def _bundle(posterior_val, posterior_test, Y_val, Y_test):
    empty = sp.csr_matrix((len(Y_val), 1), dtype=np.float32)
    prepared = Prepared(
        name="hand",
        X_train=empty,
        X_val=empty,
        X_test=sp.csr_matrix((len(Y_test), 1), dtype=np.float32),
        Y_train=Y_val,
        Y_val=Y_val,
        Y_test=Y_test,
        label_names=("a", "b"),
        fingerprint="hand",
    )

    def exact(posterior):  # hand-made: every label set has one label
        posterior = np.asarray(posterior, dtype=float)
        normalised = posterior / posterior.sum(axis=1, keepdims=True)
        by_size = np.zeros((*posterior.shape, posterior.shape[1]))
        by_size[:, :, 0] = normalised
        return posterior, normalised, by_size

    (p_val, n_val, s_val), (p_test, n_test, s_test) = exact(posterior_val), exact(posterior_test)
    return SyntheticBundle(prepared, p_val, p_test, n_val, n_test, s_val, s_test)


def test_ceiling_of_certain_posteriors_is_perfect():
    Y = np.array([[1, 0], [0, 1], [1, 1], [1, 0]], dtype=np.uint8)
    table = ceiling_metrics(_bundle(Y * 0.9 + 0.05, Y * 0.9 + 0.05, Y, Y))
    test = table[(table["split"] == "test") & (table["metric"] == "f1_micro")]
    values = test.set_index("decoder")["value"]
    assert values["threshold_0.5"] == 1.0 and values["global_tuned"] == 1.0
    assert values["top1"] == pytest.approx(2 * 4 / (5 + 4))  # four hits of five true labels
    assert set(table["head"]) == {"bayes", "bayes_normalised"}
    assert set(table.query("head == 'bayes_normalised'")["decoder"]) == {"scores"}


def test_ceiling_by_hand_for_one_uncertain_label():
    # Label b has posterior 0.4 on every document and is true on two of five:
    # threshold 0.5 never predicts it, so micro-F1 = 2*5 / (2*5 + 0 + 2).
    Y = np.array([[1, 1], [1, 0], [1, 1], [1, 0], [1, 0]], dtype=np.uint8)
    posterior = np.column_stack([np.full(5, 0.9), np.full(5, 0.4)])
    table = ceiling_metrics(_bundle(posterior, posterior, Y, Y))
    row = table.query("split == 'test' and decoder == 'threshold_0.5' and metric == 'f1_micro'")
    assert row["value"].item() == pytest.approx(10 / 12)


def test_gap_to_ceiling_subtracts_head_means_from_the_ceiling():
    rows = []
    for head, values in (("bayes", [0.8]), ("sigmoid_bce", [0.7, 0.6])):
        for seed, value in enumerate(values):
            rows.append(
                dict(
                    dataset="d",
                    axis="cardinality",
                    mean_cardinality=2.0,
                    imbalance=0.0,
                    correlation=0.0,
                    head=head,
                    train_seed=seed,
                    decoder="global_tuned",
                    metric="f1_micro",
                    value=value,
                )
            )
    gaps = gap_to_ceiling(pd.DataFrame(rows), "f1_micro", "global_tuned")
    assert gaps["gap"].item() == pytest.approx(0.15)


def test_published_cells_vary_one_axis_at_a_time():
    cells = sweep_cells()
    cardinality = [c for c in cells if c.axis == "cardinality"]
    assert cardinality[0].mean_cardinality == 1.0
    assert all(c.imbalance == 0 and c.correlation == 0 for c in cardinality)
    grid = [c for c in cells if c.axis != "cardinality"]
    assert len({c.mean_cardinality for c in grid}) == 1


@pytest.mark.slow
def test_a_tiny_sweep_gives_every_head_seed_and_the_ceiling(tmp_path):
    table = run_sweep(
        cells=[
            SweepCell("cardinality", 1.0),
            SweepCell("cardinality", 2.0),
            SweepCell("imbalance_correlation", 2.0),  # the same setting on a second axis
        ],
        seeds=(0,),
        budget={"epochs": 2, "hidden_units": 8},
        generator={"n_docs": 300, "n_labels": 4},
        cache=ResultCache(tmp_path),
        progress=False,
        family_heads=("zlpr",),
    )
    primary = {"sigmoid_bce", "softmax_cce", "softmax_cce_norm"}
    assert set(table["head"]) == primary | {"zlpr", "bayes", "bayes_normalised"}
    assert set(table["split"]) == {"test"}
    assert set(table["mean_cardinality"]) == {1.0, 2.0}
    micro = table.query("metric == 'f1_micro' and decoder == 'global_tuned'")
    assert len(micro) == 3 * 5  # two settings, one of them listed on both axes
    corner = micro[micro["axis"] == "imbalance_correlation"]
    assert len(corner) == 5 and len(sweeps_gap(table)) == 4  # the corner has zlpr too
    # The family head trains on the cardinality axis only (the corner is on it too).
    assert set(micro.query("head == 'zlpr'")["mean_cardinality"]) == {1.0, 2.0}


def sweeps_gap(table):
    grid = table[table["axis"] == "imbalance_correlation"]
    return gap_to_ceiling(grid, "f1_micro", "global_tuned")


def test_a_cell_is_read_back_identical_and_recomputed_when_damaged(tmp_path):
    from genrebench.experiments.cache import ResultCache
    from genrebench.experiments.sweeps import (
        CELL_FOLDER,
        SweepCell,
        ceiling_metrics,
        cell_inputs,
        prepare_cell,
    )

    cache, cell, small = ResultCache(tmp_path), SweepCell("cardinality", 2.0), {"n_docs": 400}
    fresh = prepare_cell(cell, small)
    for attempt in ("computed", "read", "recomputed"):
        bundle, ceiling = cell_inputs(cell, small, cache)
        pd.testing.assert_frame_equal(ceiling, ceiling_metrics(fresh), check_exact=True)
        np.testing.assert_array_equal(bundle.posterior_test, fresh.posterior_test)
        assert bundle.posterior_val.dtype == fresh.posterior_val.dtype
        assert (bundle.prepared.X_test != fresh.prepared.X_test).nnz == 0
        assert bundle.prepared.fingerprint == fresh.prepared.fingerprint, attempt
        (entry,) = (tmp_path / CELL_FOLDER).iterdir()
        if attempt == "read":
            (entry / "ceiling.csv").write_text("split,decoder\nforged,0\n")
