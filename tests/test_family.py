"""The loss family's comparison: Holm's correction, the paired table and its wording."""

import numpy as np
import pandas as pd
import pytest

from genrebench.results.family import (
    FAMILY_COMPARISONS,
    family_differences,
    family_finding,
    family_table,
    holm,
)
from genrebench.results.statistics import seed_summary


def test_holm_adjusts_step_down_keeps_order_and_caps_at_one():
    # Sorted: 0.005 x 4 = 0.02, 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 -> 0.06 (monotone).
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]).tolist() == [1.0, 1.0]
    assert holm([0.2]).tolist() == [0.2]


def _metrics(gaps: dict, seeds=5, noise=0.002) -> pd.DataFrame:
    """Test rows of a study: the reference scores 0.6 with seed noise; each other head is
    ``gaps[head]`` below it (plus its own noise) in every comparison."""
    rng = np.random.default_rng(0)
    rows = []
    for metric, decoder in FAMILY_COMPARISONS:
        base = 0.6 + rng.normal(0, 0.01, seeds)
        for head, gap in {"sigmoid_bce": 0.0, **gaps}.items():
            values = (
                base - gap + (rng.normal(0, noise, seeds) if gap or head != "sigmoid_bce" else 0)
            )
            rows += [(head, seed, metric, decoder, v) for seed, v in enumerate(values)]
    return pd.DataFrame(rows, columns=["head", "train_seed", "metric", "decoder", "value"])


def test_family_differences_call_clear_gaps_and_not_noise_after_correction():
    metrics = _metrics({"zlpr": 0.0, "asl": 0.05, "sparsemax": -0.05})
    table = family_differences(metrics, "sigmoid_bce", ["zlpr", "asl", "sparsemax"])
    assert len(table) == 3 * len(FAMILY_COMPARISONS)
    assert (table["p_holm"] >= table["p"]).all()
    verdicts = table.groupby("versus")["verdict"].agg(set).to_dict()
    assert verdicts == {"zlpr": {"level"}, "asl": {"ahead"}, "sparsemax": {"behind"}}
    row = table.query("versus == 'asl'").iloc[0]
    assert row["low"] < 0.05 < row["high"] and row["seeds"] == 5


def test_the_family_table_and_finding_read_as_written():
    metrics = _metrics({"zlpr": 0.0, "asl": 0.05})
    differences = family_differences(metrics, "sigmoid_bce", ["zlpr", "asl"])
    table = family_table(seed_summary(metrics), differences, "sigmoid_bce")
    assert list(table.index) == ["sigmoid_bce", "zlpr", "asl"]
    assert table.loc["zlpr", ("", "natural rule")] == "logit above 0"
    assert table.loc["sigmoid_bce", ("micro-F1, natural", "sigmoid_bce − head")] == "—"
    assert table.loc["asl", ("micro-F1, natural", "sigmoid_bce − head")].startswith("+0.05")
    finding = family_finding(differences, "sigmoid_bce")
    assert finding.startswith(
        "in micro-F1 under each head's natural rule, `asl` trails `sigmoid_bce` and `zlpr` "
        "is level with it;"
    )
    only_level = family_finding(differences.query("versus == 'zlpr'"), "sigmoid_bce")
    assert "`zlpr` is level with `sigmoid_bce`" in only_level and " it" not in only_level


@pytest.mark.parametrize("n", [2, 3])
def test_identical_differences_over_seeds_need_no_test(n):
    metrics = _metrics({"zlpr": 0.0}, seeds=n, noise=0.0)
    table = family_differences(metrics, "sigmoid_bce", ["zlpr"])
    assert (table["p"] == 1.0).all() and (table["verdict"] == "level").all()
