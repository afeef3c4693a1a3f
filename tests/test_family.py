"""The loss family's comparison: Holm's correction, the paired table and its wording."""

import numpy as np
import pandas as pd
import pytest

from genrebench.results.family import (
    FAMILY_COMPARISONS,
    family_differences,
    family_table,
)
from genrebench.results.statistics import holm, seed_summary


def test_holm_adjusts_step_down_keeps_order_and_caps_at_one():
    # Sorted: 0.005 x 4 = 0.02, 0.01 x 3 = 0.03, 0.03 x 2 = 0.06, 0.04 x 1 -> 0.06 (monotone).
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]).tolist() == [1.0, 1.0]
    assert holm([0.2]).tolist() == [0.2]


def _metrics(gaps: dict, seeds=5, noise=0.002, noisy=()) -> pd.DataFrame:
    """Test rows of a study: the reference scores 0.6 with seed noise; each other head is
    ``gaps[head]`` below it (plus its own noise, ten times larger for the heads in ``noisy``:
    too noisy for equivalence within the margin) in every comparison."""
    rng = np.random.default_rng(0)
    rows = []
    for metric, decoder in FAMILY_COMPARISONS:
        base = 0.6 + rng.normal(0, 0.01, seeds)
        for head, gap in {"sigmoid_bce": 0.0, **gaps}.items():
            spread = noise * (10 if head in noisy else 1)
            values = (
                base - gap + (rng.normal(0, spread, seeds) if gap or head != "sigmoid_bce" else 0)
            )
            rows += [(head, seed, metric, decoder, v) for seed, v in enumerate(values)]
    return pd.DataFrame(rows, columns=["head", "train_seed", "metric", "decoder", "value"])


def test_family_differences_call_clear_gaps_and_not_noise_after_correction():
    """Four verdicts: a clear gap either way survives Holm; no gap with little noise is
    equivalent within the margin; no gap with much noise is undecided, not equivalent."""
    heads = ["zlpr", "asl", "sparsemax", "focal_bce"]
    metrics = _metrics(
        {"zlpr": 0.0, "asl": 0.05, "sparsemax": -0.05, "focal_bce": 0.0}, noisy=("focal_bce",)
    )
    table = family_differences(metrics, "sigmoid_bce", heads)
    assert len(table) == 4 * len(FAMILY_COMPARISONS)
    assert (table["p_holm"] >= table["p"]).all()
    assert (table["low90"] > table["low"]).all() and (table["high90"] < table["high"]).all()
    verdicts = table.groupby("versus")["verdict"].agg(set).to_dict()
    assert verdicts == {
        "zlpr": {"equivalent"},
        "asl": {"ahead"},
        "sparsemax": {"behind"},
        "focal_bce": {"undecided"},
    }
    row = table.query("versus == 'asl'").iloc[0]
    assert row["low"] < 0.05 < row["high"] and row["seeds"] == 5


def test_the_family_table_names_the_reference_row_and_signs_each_difference():
    metrics = _metrics({"zlpr": 0.0, "asl": 0.05})
    differences = family_differences(metrics, "sigmoid_bce", ["zlpr", "asl"])
    table = family_table(seed_summary(metrics), differences, "sigmoid_bce")
    assert list(table.index) == ["sigmoid_bce", "zlpr", "asl"]
    assert table.loc["sigmoid_bce", ("micro-F1, own rule", "sigmoid_bce − head")] == "—"
    difference = table.loc["asl", ("micro-F1, own rule", "sigmoid_bce − head")]
    p_holm = differences.query("versus == 'asl' and decoder == 'natural'")["p_holm"].iloc[0]
    assert difference.startswith("+0.05") and difference.endswith("*") == (p_holm < 0.05)
    starred = family_table(seed_summary(metrics), differences.assign(p_holm=0.01), "sigmoid_bce")
    plain = family_table(seed_summary(metrics), differences.assign(p_holm=0.2), "sigmoid_bce")
    cell = ("micro-F1, own rule", "sigmoid_bce − head")
    assert starred.loc["asl", cell].endswith("*") and not plain.loc["asl", cell].endswith("*")


@pytest.mark.parametrize("n", [2, 3])
def test_identical_differences_over_seeds_need_no_test(n):
    metrics = _metrics({"zlpr": 0.0}, seeds=n, noise=0.0)
    table = family_differences(metrics, "sigmoid_bce", ["zlpr"])
    assert (table["p"] == 1.0).all() and (table["verdict"] == "equivalent").all()


def _sweep(noise=0.0):
    """Sweep rows where precision-consistent heads score exactly like the marginals and the
    others exactly like E[y/|y|] (plus optional seed noise), on two cardinality cells."""
    from genrebench.results.family import REDUCTIONS

    rng = np.random.default_rng(1)
    rows = []
    for card, (p_marg, p_norm, r_marg, r_norm) in {
        2.0: (0.60, 0.55, 0.70, 0.75),
        3.0: (0.65, 0.58, 0.60, 0.68),
    }.items():
        scorers = {"bayes": (p_marg, r_marg), "bayes_normalised": (p_norm, r_norm)}
        for head, (p, r) in scorers.items():
            rows += [(head, -1, card, "p@3", p), (head, -1, card, "r@3", r)]
        for head, kind in REDUCTIONS.items():
            p, r = scorers["bayes" if kind == "precision" else "bayes_normalised"]
            for seed in range(3):
                rows += [
                    (head, seed, card, "p@3", p + rng.normal(0, noise)),
                    (head, seed, card, "r@3", r + rng.normal(0, noise)),
                ]
    table = pd.DataFrame(
        rows, columns=["head", "train_seed", "mean_cardinality", "metric", "value"]
    )
    return table.assign(
        axis="cardinality", decoder="scores", dataset=table["mean_cardinality"].map(str)
    )


def test_the_consistency_check_finds_each_reduction_on_its_own_bayes_scorer():
    from genrebench.results.family import consistency_check
    from genrebench.results.wording import theory_word

    per_head, groups = consistency_check(_sweep(noise=0.002))
    gaps = per_head.set_index(["head", "metric"])["minus_bayes"]
    assert (
        abs(gaps[("sigmoid_bce", "p@3")]) < 0.01 and abs(gaps[("softmax_pick_one", "r@3")]) < 0.01
    )
    assert gaps[("softmax_cce_norm", "p@3")] == pytest.approx(-0.06, abs=0.01)
    assert gaps[("bayes_normalised", "p@3")] == pytest.approx(-0.06)  # the resolution
    assert [theory_word(row) for _, row in groups.iterrows()] == ["as the theory predicts"] * 2
    # With the roles swapped, the check says so; an interval across zero decides nothing.
    swapped = groups.assign(
        difference=-groups["difference"], low=-groups["high"], high=-groups["low"]
    )
    assert [theory_word(row) for _, row in swapped.iterrows()] == ["against the theory"] * 2
    across = groups.assign(low=-0.01, high=0.01)
    assert [theory_word(row) for _, row in across.iterrows()] == ["too close to call"] * 2


def test_the_consistency_table_names_each_heads_theory_and_distance():
    from genrebench.results.family import consistency_check, consistency_table

    table = consistency_table(consistency_check(_sweep(noise=0.002))[0])
    assert table.loc["softmax_pick_one", "consistent for"] == "recall"
    assert table.loc["bayes_normalised", "consistent for"] == "(Bayes scorer)"
    assert table.loc["bayes_normalised", "p@3 minus marginals"] == "-0.060"
    assert table.loc["sigmoid_bce", "p@3 minus marginals"].count("[") == 1  # an interval
    # A Bayes scorer is not compared with itself: the cell says so instead of staying blank.
    assert table.loc["bayes_normalised", "r@3 minus E[y/|y|]"] == "0 (itself)"
    assert (table != "").all().all()


def test_ceiling_gaps_use_each_averages_own_ceiling():
    from genrebench.results.family import family_ceiling_gaps

    rows = [
        ("bayes", -1, "f1_micro", "global_tuned", 0.8),
        ("bayes", -1, "f1_macro", "per_label_tuned", 0.7),
        ("bayes", -1, "f1_samples", "gfm", 0.9),
        ("bayes", -1, "f1_samples", "topk_mass", 0.85),  # not the ceiling of samples-F1
    ]
    for seed, value in ((0, 0.6), (1, 0.5)):
        rows += [
            ("zlpr", seed, "f1_micro", "global_tuned", value + 0.1),
            ("zlpr", seed, "f1_macro", "per_label_tuned", value),
            ("zlpr", seed, "f1_samples", "samples_tuned", value),
        ]
    table = pd.DataFrame(rows, columns=["head", "train_seed", "metric", "decoder", "value"])
    table = table.assign(axis="cardinality", mean_cardinality=2.0, dataset="cell")
    gaps = family_ceiling_gaps(table)
    assert gaps["head"].tolist() == ["zlpr"] * 3
    assert gaps["mean"].round(6).tolist() == [0.15, 0.15, 0.35]
    assert (gaps["low"] < gaps["mean"]).all()  # seeds 0 and 1 differ: an interval
    from genrebench.results.family import ceiling_gap_table

    assert ceiling_gap_table(gaps).loc["zlpr", "samples-F1 (samples_tuned)"].startswith("0.350 [")


def test_the_heads_table_shows_every_cell_whole():
    from genrebench.heads import HEADS
    from genrebench.results.family import family_heads_table

    table = family_heads_table(tuple(HEADS))
    assert table.loc["asl", "loss"] == "asymmetric, γ− = 4, γ+ = 0, m = 0.05"
    assert table.loc["softmax_pick_one", "targets"] == "one label, drawn each epoch"
    # pandas cuts cells longer than 50 characters with "..." on the page.
    assert table.map(len).to_numpy().max() <= 50


def test_softmax_style_counts_read_a_one_split_family_comparison():
    """On one split the matched decoders are the tuned ones (one threshold, one per label):
    a trailing softmax head counts as "trail" in both averages, an equivalent one in
    neither, a beating one as "beat"; the sigmoid-style asl is not counted."""
    from genrebench.results.family_splits import softmax_style_counts

    metrics = _metrics({"zlpr": 0.0, "softmax_cce": 0.05, "asl": 0.05})
    differences = family_differences(metrics, "sigmoid_bce", ["zlpr", "softmax_cce", "asl"])
    counts = softmax_style_counts(differences)
    tuned = differences[differences["decoder"] != "natural"]
    assert counts["compared"] == len(tuned.query("versus != 'asl'")) == 4
    assert (counts["beat"], counts["trail"]) == (0, 2)
    assert counts["untuned"] == 2

    beating = family_differences(
        _metrics({"zlpr": -0.05, "softmax_cce": 0.0}), "sigmoid_bce", ["zlpr", "softmax_cce"]
    )
    assert softmax_style_counts(beating)["beat"] == 2
    assert softmax_style_counts(beating)["trail"] == 0


def test_the_menon_check_says_which_cells_and_how_far_heads_and_scorers_lie():
    from genrebench.results.family import cells_phrase, consistency_distances

    sweep = pd.DataFrame(
        {
            "axis": ["cardinality"] * 5 + ["imbalance_correlation"],
            "mean_cardinality": [1.0, 1.5, 2.0, 3.0, 4.0, 2.5],
        }
    )
    assert cells_phrase(sweep, 2.0) == "2, 3 and 4"  # not 2.5: another axis
    assert cells_phrase(sweep, 1.5) == "1.5, 2, 3 and 4"
    per_head = pd.DataFrame(
        [
            ("bayes_normalised", "precision", "p@3", -0.001),
            ("sigmoid_bce", "precision", "p@3", -0.05),
            ("softmax_cce_norm", "precision", "p@3", -0.07),
            ("bayes", "recall", "r@3", -0.002),
            ("sigmoid_bce", "recall", "r@3", -0.04),
        ],
        columns=["head", "metric kind", "metric", "minus_bayes"],
    )
    distances = consistency_distances(per_head)
    assert distances == pytest.approx(
        {
            "scorers_precision": 0.001,
            "heads_precision": 0.06,
            "scorers_recall": 0.002,
            "heads_recall": 0.04,
        }
    )
