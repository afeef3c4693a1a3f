"""Selection and intervals over seeds behave as the chapters describe them."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from genrebench.experiments.selection import select_settings
from genrebench.results.statistics import gap_closed, paired_differences, seed_summary, t_interval


def _table():
    rows = []
    for head, shift in (("sigmoid_bce", 0.1), ("softmax_cce", 0.0)):
        for lr in (0.001, 0.01):
            for seed in range(3):
                for split in ("val", "test"):
                    for decoder, bonus in (
                        ("threshold_0.5", 0.0),
                        ("global_tuned", 0.05),
                        ("oracle_topk", 0.5),
                    ):
                        value = 0.4 + shift + (0.1 if lr == 0.01 else 0) + bonus + 0.01 * seed
                        rows.append(
                            dict(
                                head=head,
                                learning_rate=lr,
                                hidden_units=8,
                                batch_size=64,
                                epoch=3,
                                train_seed=seed,
                                split=split,
                                decoder=decoder,
                                metric="f1_micro",
                                value=value,
                            )
                        )
    return pd.DataFrame(rows)


def test_selection_uses_validation_and_never_the_oracle():
    best = select_settings(_table())
    assert best.set_index("head")["learning_rate"].to_dict() == {
        "sigmoid_bce": 0.01,
        "softmax_cce": 0.01,
    }
    # best decoder is global_tuned (+0.05); oracle's +0.5 must not count
    assert best.set_index("head").loc["sigmoid_bce", "val_f1_micro"] == pytest.approx(0.65 + 0.01)


def test_t_interval_matches_scipy():
    values = [0.5, 0.52, 0.49, 0.55, 0.51]
    mean, low, high = t_interval(values)
    expected = stats.t.interval(0.95, 4, loc=np.mean(values), scale=stats.sem(values))
    assert (low, high) == pytest.approx(expected)
    assert mean == pytest.approx(np.mean(values))
    with pytest.raises(ValueError, match="two seeds"):
        t_interval([0.5])


def test_seed_summary_counts_seeds():
    table = _table().query("split == 'test' and learning_rate == 0.01")
    summary = seed_summary(table)
    assert (summary["seeds"] == 3).all()
    assert (summary["low"] <= summary["mean"]).all() and (summary["mean"] <= summary["high"]).all()


def test_paired_differences_are_per_seed_and_signed():
    table = _table().query("split == 'test' and learning_rate == 0.01")
    diff = paired_differences(table, "sigmoid_bce", ["softmax_cce"])
    assert diff["mean_difference"].to_numpy() == pytest.approx(0.1)
    assert (diff["seeds_won"] == 3).all()


def test_paired_differences_can_pair_decoders_instead_of_heads():
    table = _table().query("split == 'test' and learning_rate == 0.01 and head == 'sigmoid_bce'")
    diff = paired_differences(
        table, "global_tuned", ["threshold_0.5"], by=("head", "metric"), column="decoder"
    )
    assert diff["mean_difference"].to_numpy() == pytest.approx(0.05)


def test_verdict_follows_the_interval():
    from genrebench.results.statistics import verdict

    assert verdict(0.01, 0.03, "ahead", "behind", "level") == "ahead"
    assert verdict(-0.03, -0.01, "ahead", "behind", "level") == "behind"
    assert verdict(-0.01, 0.02, "ahead", "behind", "level") == "level"


def test_gap_closed_measures_the_share_of_the_distance_covered():
    assert gap_closed(0.2, 0.5, 0.6) == pytest.approx(0.75)
    assert gap_closed(0.2, 0.2, 0.6) == 0
    assert gap_closed(0.2, 0.1, 0.6) == pytest.approx(-0.25)  # moved away
    assert gap_closed(0.2, 0.7, 0.6) == pytest.approx(1.25)  # passed the target
    assert np.isnan(gap_closed(0.4, 0.5, 0.4))


def test_baseline_summary_gives_the_referee_bootstrap_bit_for_bit():
    """Sharing one F1 report per resample across modes changes no number (exact equality)."""
    from types import SimpleNamespace

    from genrebench.decode import get_decoder
    from genrebench.metrics import bootstrap_ci, f1_modes
    from genrebench.results.tables import baseline_summary

    rng = np.random.default_rng(3)
    Y_val, Y_test = ((rng.random((n, 5)) < 0.3).astype(np.uint8) for n in (60, 80))
    scores = {
        split: rng.random(Y.shape).astype(np.float32)
        for split, Y in (("val", Y_val), ("test", Y_test))
    }
    prepared = SimpleNamespace(Y_val=Y_val, Y_test=Y_test)
    study = SimpleNamespace(
        baseline=SimpleNamespace(val_scores=scores["val"], test_scores=scores["test"])
    )
    table = baseline_summary(study, prepared, n_boot=50, seed=7)
    for row in table.itertuples():
        fitted = get_decoder(row.decoder).fit(Y_val, scores["val"])
        predicted = fitted.apply(scores["test"], Y_true=Y_test)
        mode = row.metric.removeprefix("f1_")
        expected = bootstrap_ci(
            lambda y, p, mode=mode: f1_modes(y, p)[mode], Y_test, predicted, n_boot=50, seed=7
        )
        assert (row.mean, row.low, row.high) == expected


def test_split_interval_is_nadeau_and_bengio_corrected_t():
    """The corrected resampled t: variance (1/J + n_test/n_train) s^2, J - 1 degrees of
    freedom; wider than the plain t-interval over the same splits, equal when the test
    share vanishes."""
    from genrebench.results.statistics import split_interval

    values = np.array([0.01, 0.02, 0.0, 0.015, 0.005])
    ratio = 0.2 / 0.7
    mean, low, high, p = split_interval(values, ratio)
    assert mean == pytest.approx(values.mean())
    scale = np.sqrt((1 / 5 + ratio) * values.var(ddof=1))
    assert (low, high) == pytest.approx(stats.t.interval(0.95, 4, loc=values.mean(), scale=scale))
    assert p == pytest.approx(2 * stats.t.sf(values.mean() / scale, 4))
    plain = t_interval(values)
    assert high - low > plain[2] - plain[1]
    assert split_interval(values, 1e-12)[1:3] == pytest.approx(plain[1:3])
    assert split_interval([0.0, 0.0, 0.0], ratio)[3] == 1.0
    with pytest.raises(ValueError, match="two splits"):
        split_interval([0.5], ratio)


def _split_table():
    rows = []
    for split_seed, split_shift in enumerate((0.02, -0.01, 0.03)):
        for seed in range(2):
            for head, value in (("sigmoid_bce", 0.5 + split_shift), ("softmax_cce", 0.49)):
                rows.append(
                    dict(
                        head=head,
                        split_seed=split_seed,
                        train_seed=seed,
                        decoder="global_tuned",
                        metric="f1_micro",
                        value=value + 0.001 * seed,
                    )
                )
    return pd.DataFrame(rows)


def test_split_differences_pair_by_split_and_seed_then_average_seeds_within_splits():
    from genrebench.results.statistics import split_differences, split_interval, split_summary

    table = _split_table()
    diff = split_differences(table, "sigmoid_bce", ["softmax_cce"], test_to_train=0.25)
    row = diff.iloc[0]
    per_split = np.array([0.03, 0.0, 0.04])  # reference minus other, seed means, per split
    assert row["mean_difference"] == pytest.approx(per_split.mean())
    assert (row["low"], row["high"]) == pytest.approx(split_interval(per_split, 0.25)[1:3])
    assert (row["splits"], row["splits_won"]) == (3, 2)
    summary = split_summary(table, test_to_train=0.25).set_index("head")
    assert summary.loc["softmax_cce", "mean"] == pytest.approx(0.4905)
    assert (summary["splits"] == 3).all() and (summary["seeds"] == 2).all()


def test_the_grid_grows_past_every_edge_a_choice_lies_on_and_only_then():
    from genrebench.experiments.selection import grid_edges, widen_grid

    rates, epochs = (0.003, 0.01, 0.03), (1, 2, 4)
    ladder, epoch_ladder = (0.001, 0.003, 0.01, 0.03, 0.1), (1, 2, 4, 8)

    def chosen(*settings):
        return pd.DataFrame(settings, columns=["learning_rate", "epoch"])

    grow = dict(rate_ladder=ladder, epoch_ladder=epoch_ladder)
    assert widen_grid(chosen((0.01, 2)), rates, epochs, **grow) is None
    assert widen_grid(chosen((0.003, 2), (0.01, 2)), rates, epochs, **grow) == (
        (0.001, *rates),
        epochs,
    )
    assert widen_grid(chosen((0.03, 4)), rates, epochs, **grow) == ((*rates, 0.1), (*epochs, 8))
    # The ladders' own ends cannot be passed; a single rate is a choice, not a grid.
    assert widen_grid(chosen((0.1, 8)), (0.03, 0.1), (4, 8), **grow) is None
    assert widen_grid(chosen((0.03, 2)), (0.03,), epochs, **grow) is None
    assert grid_edges(0.003, 4, rates, epochs) == "lowest learning rate, last epoch"
    assert grid_edges(0.01, 1, rates, epochs) == ""
    assert grid_edges(0.01, 2, rates, (2, 4)) == "first epoch"


def test_the_paired_and_curve_tables_read_as_written():
    from genrebench.results.tables import curve_table, paired_table

    differences = pd.DataFrame(
        {
            "versus": ["softmax_cce"] * 3,
            "decoder": ["global_tuned", "global_tuned", "threshold_0.5"],
            "metric": ["f1_micro", "p@1", "f1_micro"],
            "mean_difference": [0.0112, 0.01, 0.2],
            "low": [0.0004, 0.0, 0.1],
            "high": [0.0162, 0.02, 0.3],
            "seeds_won": [5, 4, 5],
            "seeds": [5, 5, 5],
        }
    )
    table = paired_table(differences, "sigmoid_bce", "global_tuned")
    assert list(table.index) == [("softmax_cce", "micro-F1")]  # F1 averages of that decoder
    row = table.iloc[0]
    assert row["sigmoid_bce minus head"] == "0.011 [0.0004, 0.016]"
    assert row["seeds where sigmoid_bce scores higher"] == "5 of 5"
    minima = pd.DataFrame(
        {
            "lowest_epoch": [5.0],
            "lowest_epoch_min": [4],
            "lowest_epoch_max": [5],
            "selected_epoch": [6],
            "loss_above_lowest": [0.023],
        },
        index=pd.Index(["sigmoid_bce"], name="head"),
    )
    curves = curve_table(minima)
    assert curves.loc["sigmoid_bce"].tolist() == ["5", "4 to 5", 6, "2.3%"]


def test_the_paired_table_lists_each_heads_averages_in_the_figures_order():
    from genrebench.results.tables import paired_table

    heads, metrics = ["softmax_cce", "pal_n"], ["f1_samples", "f1_macro", "f1_weighted", "f1_micro"]
    differences = pd.DataFrame(
        [
            {"versus": head, "decoder": "global_tuned", "metric": metric, "mean_difference": 0.0,
             "low": -0.01, "high": 0.01, "seeds_won": 2, "seeds": 5}
            for metric in metrics
            for head in heads
        ]
    )  # fmt: skip
    table = paired_table(differences, "sigmoid_bce", "global_tuned")
    averages = ["micro-F1", "macro-F1", "weighted F1", "samples-F1"]
    assert list(table.index) == [(head, average) for head in heads for average in averages]
