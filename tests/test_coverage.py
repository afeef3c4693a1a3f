"""The split-aware interval covers what it claims: a small coverage simulation on the synthetic
generator, and the coverage arithmetic and wording on hand-made tables."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from genrebench.experiments.coverage import (
    CoverageSettings,
    CoverageSettingsError,
    cached_simulation,
    simulate,
)
from genrebench.experiments.protocol import COVERAGE_GENERATOR
from genrebench.results.coverage import (
    coverage,
    coverage_table,
    percent,
    replication_intervals,
    simulation_coverage,
)

#: The publication check's five splits and 600-document data sets, with fewer replications,
#: seeds, fresh training sets and test documents, so that the whole file stays well under half
#: a minute. Spelled out, not read from the protocol: the claims tested here are about five
#: splits, whatever profile the suite runs.
SMALL = CoverageSettings(
    replications=60,
    splits=5,
    seeds=2,
    generator={**COVERAGE_GENERATOR, "n_docs": 600},
    truth_trainings=30,
    truth_documents=10_000,
)
TINY = CoverageSettings(
    replications=2,
    splits=2,
    seeds=2,
    generator={**COVERAGE_GENERATOR, "n_docs": 300},
    truth_trainings=3,
    truth_documents=2_000,
    truth_blocks=2,
)


def wilson(covered: int, replications: int, confidence: float = 0.99) -> tuple[float, float]:
    interval = stats.binomtest(int(covered), int(replications)).proportion_ci(
        confidence, method="wilson"
    )
    return interval.low, interval.high


@pytest.fixture(scope="module")
def small():
    simulation = simulate(SMALL)
    return simulation, simulation_coverage(simulation).set_index(["quantity", "interval"])


def test_the_corrected_interval_covers_as_claimed_and_the_plain_one_does_not(small):
    """On micro-F1 the corrected interval's coverage is within binomial error of 95% and the
    plain one's, the same splits without the correction, is below it: dropping the
    correction fails this test."""
    _, shares = small
    corrected, plain = shares.loc[("f1", "corrected")], shares.loc[("f1", "plain")]
    low, high = wilson(corrected["covered"], corrected["replications"])
    assert low <= 0.95 <= high, corrected
    assert wilson(plain["covered"], plain["replications"])[1] < 0.95, plain
    for quantity in ("f1", "difference"):
        corrected, plain = shares.loc[(quantity, "corrected")], shares.loc[(quantity, "plain")]
        # never below the claim (it may be above: conservative), always above the plain one
        assert wilson(corrected["covered"], corrected["replications"])[1] >= 0.95, quantity
        assert plain["covered"] < corrected["covered"], quantity
        assert plain["half_width"] < corrected["half_width"], quantity


def test_an_interval_over_seeds_on_one_split_misses_the_truth_most_often(small):
    _, shares = small
    for quantity in ("f1", "difference"):
        seeds = shares.loc[(quantity, "seeds")]
        assert seeds["covered"] < shares.loc[(quantity, "plain")]["covered"], quantity
        assert wilson(seeds["covered"], seeds["replications"])[1] < 0.95, quantity


def test_the_truth_is_known_much_better_than_the_intervals_are_wide(small):
    simulation, shares = small
    truth = simulation.truth.set_index("quantity")
    for quantity in ("f1", "difference"):
        error = truth.loc[quantity, "error"]
        assert 0 < error < 0.25 * shares.loc[(quantity, "corrected")]["half_width"], quantity
        assert error == pytest.approx(
            np.hypot(truth.loc[quantity, "error_trainings"], truth.loc[quantity, "error_documents"])
        )
    assert (truth["trainings"] == SMALL.truth_trainings).all()
    assert (truth["documents"] == SMALL.truth_documents).all()


def test_the_table_is_tidy_and_the_ratio_is_that_of_the_splits(small):
    simulation, _ = small
    table = simulation.table
    expected = SMALL.replications * SMALL.splits * SMALL.seeds * 2
    assert len(table) == expected
    assert not table.duplicated(["replication", "split_seed", "train_seed", "quantity"]).any()
    assert set(table["quantity"]) == {"f1", "difference"}
    documents = SMALL.generator["n_docs"]
    assert (table["n_train"] + table["n_val"] + table["n_test"] == documents).all()
    assert simulation.test_to_train == pytest.approx(0.2 / 0.7, rel=0.05)
    # the seed drives something real: seeds of one split differ
    spread = table.groupby(["quantity", "replication", "split_seed"])["value"].std()
    assert (spread > 0).mean() > 0.5


def test_the_same_settings_give_the_same_table(tmp_path):
    first, second = simulate(TINY), simulate(TINY)
    pd.testing.assert_frame_equal(first.table, second.table)
    pd.testing.assert_frame_equal(first.truth, second.truth)
    stored = cached_simulation(TINY, cache=_cache(tmp_path))
    loaded = cached_simulation(TINY, cache=_cache(tmp_path))
    for result in (stored, loaded):
        pd.testing.assert_frame_equal(result.table, first.table)
        pd.testing.assert_frame_equal(result.truth, first.truth)


def _cache(root):
    from genrebench.experiments.cache import ResultCache

    return ResultCache(root)


def test_settings_that_cannot_work_are_refused():
    with pytest.raises(CoverageSettingsError, match="reads the test targets"):
        CoverageSettings(decoder="oracle_topk")
    with pytest.raises(CoverageSettingsError, match="reuse a replication"):
        CoverageSettings(replications=10, truth_seed=5)
    with pytest.raises(CoverageSettingsError, match="two splits"):
        CoverageSettings(splits=1)


def hand_made(seeds: int = 2) -> pd.DataFrame:
    """Three replications centred at 0, 0.15 and 0.3 (truth 0), two splits at the centre
    -/+ 0.01, seeds -/+ 0.001 around each split: with test_to_train = 1/2 the corrected
    half-width is t(0.975, 1) * 0.01 * sqrt(2) = 0.180, the plain one 0.127 and the one over
    seeds 0.0127, so they cover 2, 1 and 1 of the replications."""
    rows = []
    for replication, centre in enumerate((0.0, 0.15, 0.3)):
        for split_seed, split_shift in enumerate((-0.01, 0.01)):
            for train_seed in range(seeds):
                seed_shift = (-0.001, 0.001)[train_seed] if seeds > 1 else 0.0
                value = centre + split_shift + seed_shift
                rows.append((replication, split_seed, train_seed, "f1", value))
    return pd.DataFrame(
        rows, columns=["replication", "split_seed", "train_seed", "quantity", "value"]
    )


def test_coverage_counts_on_a_hand_made_table():
    intervals = replication_intervals(hand_made(), test_to_train=0.5)
    shares = coverage(intervals, {"f1": 0.0}).set_index("interval")
    assert shares["covered"].to_dict() == {"corrected": 2, "plain": 1, "seeds": 1}
    assert (shares["replications"] == 3).all()
    assert shares.loc["corrected", "half_width"] == pytest.approx(
        stats.t.ppf(0.975, 1) * 0.01 * np.sqrt(2)
    )
    assert shares.loc["plain", "half_width"] == pytest.approx(stats.t.ppf(0.975, 1) * 0.01)
    low, high = wilson(2, 3, 0.95)
    assert (shares.loc["corrected", "share_low"], shares.loc["corrected", "share_high"]) == (
        pytest.approx((low, high))
    )
    # one seed: no interval over seeds
    single = replication_intervals(hand_made(seeds=1), test_to_train=0.5)
    assert set(single["interval"]) == {"corrected", "plain"}


def test_percent_never_prints_all_or_none_for_a_share_that_is_neither():
    assert percent(0.9972) == "99.7%"
    assert percent(0.001) == "0.1%"
    assert percent(1.0) == "100%"
    assert percent(0.95) == "95%"


def test_the_table_has_a_row_per_interval_and_two_columns_per_quantity():
    shares = coverage(replication_intervals(hand_made(), 0.5), {"f1": 0.0})
    table = coverage_table(shares, {"f1": "micro-F1"})
    assert list(table.index) == [
        "corrected t-interval over splits",
        "plain t-interval over splits",
        "t-interval over the seeds of one split",
    ]
    assert list(table.columns) == [("micro-F1", "covered"), ("micro-F1", "mean half-width")]
    assert table.iloc[0, 0].startswith("67% [")
