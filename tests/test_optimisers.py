"""The optimiser comparison: both arms get the same search on the same splits, are paired
by split, and share the heads study's cached runs."""

import pytest

from genrebench.data.synthetic import make_synthetic
from genrebench.experiments import protocol
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.optimisers import compare_optimisers
from genrebench.results.tables import optimiser_differences, optimiser_primary, optimiser_table

pytestmark = pytest.mark.slow

SMALL = {"learning_rates": (1e-2, 3e-2), "snapshot_epochs": (2,), "split_seeds": (0, 1, 2)}


def test_each_optimiser_gets_the_same_search_on_every_split_and_is_paired_by_split(tmp_path):
    dataset = make_synthetic(n_docs=400, n_labels=4, seed=3).dataset
    cache = ResultCache(tmp_path)
    comparison = compare_optimisers(dataset, cache, progress=False, **SMALL)
    arms = comparison.groupby(["split_seed", "optimiser", "head"])["learning_rate"].nunique()
    # One chosen setting per head, optimiser and split; every cell present.
    assert arms.eq(1).all()
    assert len(arms) == len(SMALL["split_seeds"]) * 2 * len(protocol.HEADS)
    assert set(comparison["split"]) == {"test"}
    assert set(comparison["optimiser"]) == {protocol.OPTIMISER, protocol.BASELINE_OPTIMISER}
    differences = optimiser_differences(comparison, test_to_train=0.25)
    assert set(differences["splits"]) == {len(SMALL["split_seeds"])}
    # The split-aware interval: wider than the plain t over the same paired splits.
    from genrebench.results.statistics import paired_differences

    plain = paired_differences(
        comparison, protocol.OPTIMISER, [protocol.BASELINE_OPTIMISER],
        by=("head", "metric", "decoder"), column="optimiser", pair_by="split_seed",
    )  # fmt: skip
    merged = differences.merge(plain, on=["head", "metric", "decoder"], suffixes=("", "_plain"))
    assert ((merged["high"] - merged["low"]) >= (merged["high_plain"] - merged["low_plain"])).all()
    primary = optimiser_primary(comparison, test_to_train=0.25)
    assert list(primary["optimiser"]) == [protocol.BASELINE_OPTIMISER, protocol.OPTIMISER]
    assert set(primary["verdict"]) <= {"ahead", "behind", "equivalent", "undecided"}
    assert len(differences) == 2 * len(protocol.HEADS)  # micro and macro F1 per head
    table = optimiser_table(comparison, test_to_train=0.25)
    assert list(table.columns) == ["plain", "lazy", "lazy − plain", "splits with lazy higher"]
    assert len(table) == len(differences)
    # The two optimisers really differ (plain Adam moves rows that lazy Adam leaves).
    wide = comparison.pivot_table(
        index=["split_seed", "head", "decoder", "metric"], columns="optimiser", values="value"
    )
    assert (wide[protocol.OPTIMISER] != wide[protocol.BASELINE_OPTIMISER]).any()
    # A second call trains nothing: every run is in the cache.
    files = sorted(path.name for path in tmp_path.rglob("*"))
    again = compare_optimisers(dataset, cache, progress=False, **SMALL)
    assert again.equals(comparison)
    assert sorted(path.name for path in tmp_path.rglob("*")) == files
