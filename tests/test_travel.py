"""The heads study on several data splits, and the comparisons across datasets built on it."""

import numpy as np
import pandas as pd
import pytest

from genrebench.data.sources import load_source
from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.experiments.cache import ResultCache, prepare_cached
from genrebench.experiments.selection import widen_grid
from genrebench.experiments.splits import run_split_study
from genrebench.experiments.study import run_heads_study
from genrebench.results import travel
from tests.helpers import write_csv

HEADS = ("sigmoid_bce", "softmax_cce")
SMALL = dict(heads=HEADS, seeds=(0, 1), learning_rates=(0.03,), snapshot_epochs=(2, 4))


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("travel")
    cache = ResultCache(folder / "cache")
    out = {}
    for name, seed in (("alpha", 0), ("beta", 1)):
        data = load_source(
            str(write_csv(folder / f"{name}.csv", n=300, seed=seed)),
            text_col="synopsis",
            labels_col="genres",
        )
        out[name] = (data, run_split_study(data, cache, splits=(0, 1), name=name, **SMALL))
    return cache, out


def test_every_split_is_searched_and_trained_on_its_own_and_recorded_as_itself(studies):
    cache, found = studies
    data, study = found["alpha"]
    metrics = study.metrics
    assert set(metrics["split_seed"]) == {0, 1}
    assert set(metrics["train_seed"]) == {0, 1}
    assert study.test_to_train == study.documents["test"] / study.documents["train"]
    # Split 1 alone gives the same rows as split 1 inside the split study.
    alone = run_heads_study(prepare_cached(data, split_seed=1, cache=cache), cache, **SMALL)
    inside = metrics[metrics["split_seed"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone.metrics, inside)
    # Only the first split's runs keep their scores (memory); the others keep their metrics.
    assert all(run.scores for run in study.studies[0].runs)
    assert not any(run.scores for run in study.studies[1].runs)
    assert [run.key for run in study.studies[1].runs] == [run.key for run in alone.runs]
    # The splits differ: their test documents are not the same.
    first, second = (prepare_cached(data, split_seed=s, cache=cache) for s in (0, 1))
    assert first.X_test.shape != second.X_test.shape or (first.X_test != second.X_test).nnz > 0
    selected = study.selected
    assert len(selected) == 2 * len(HEADS)
    assert (selected["on_edge"] == (selected["edge"] != "")).all()
    # A grid that stopped growing before its limit has no choice on an edge it could pass.
    for split, split_study in study.studies.items():
        grid = split_study.grid
        assert grid["snapshot_epochs"][: len(SMALL["snapshot_epochs"])] == (2, 4)
        if grid["extensions"] < protocol.MAX_GRID_EXTENSIONS:
            chosen = selected[selected["split_seed"] == split]
            assert widen_grid(chosen, grid["learning_rates"], grid["snapshot_epochs"]) is None


def test_split_study_needs_two_splits_and_two_seeds(studies):
    _, found = studies
    data, _ = found["alpha"]
    with pytest.raises(ValueError, match="two distinct data splits"):
        run_split_study(data, splits=(0,), **SMALL)
    with pytest.raises(ValueError, match="two distinct training seeds"):
        run_split_study(data, splits=(0, 1), **{**SMALL, "seeds": (0, 0)})


def test_each_f1_average_is_judged_under_its_matched_decoder_and_one_primary_row_per_dataset(
    studies,
):
    _, found = studies
    split_studies = {name: study for name, (_, study) in found.items()}
    differences = travel.travel_differences(split_studies, "sigmoid_bce", ["softmax_cce"])
    matched = differences[differences["decoder"] == "matched"]
    assert set(matched["metric"]) == set(MATCHED_DECODERS)
    assert set(differences["decoder"]) == {"matched", "consistent", *travel.SHARED_DECODERS}
    primary = differences[differences["primary"]]
    assert sorted(primary["dataset"]) == ["alpha", "beta"]
    assert (primary["metric"] == "f1_micro").all() and (primary["decoder"] == "matched").all()
    assert (differences["p_holm"] >= differences["p"] - 1e-12).all()
    # The matched micro-F1 row is the global_tuned comparison, computed directly.
    from genrebench.results.statistics import split_differences

    alpha = split_studies["alpha"]
    direct = split_differences(
        alpha.metrics.query("decoder == 'global_tuned' and metric == 'f1_micro'"),
        "sigmoid_bce",
        ["softmax_cce"],
        alpha.test_to_train,
    )
    assert primary.iloc[0]["mean_difference"] == pytest.approx(direct.iloc[0]["mean_difference"])
    # Only the reported comparisons: matched per average, micro-F1 under the shared decoders
    # and under each head's consistent decoder (the loss question: one more primary row).
    shared = differences[differences["decoder"] != "matched"]
    assert set(shared["metric"]) == {"f1_micro"}
    assert len(differences) == 2 * (len(MATCHED_DECODERS) + len(travel.SHARED_DECODERS) + 1)
    loss = differences[differences["loss_primary"]]
    assert sorted(loss["dataset"]) == ["alpha", "beta"] and (loss["decoder"] == "consistent").all()
    # sigmoid under one tuned threshold, softmax under shares times a predicted count.
    micro = split_studies["alpha"].metrics.query("metric == 'f1_micro'")
    mine = micro.query("head == 'sigmoid_bce' and decoder == 'global_tuned'")
    theirs = micro.query("head == 'softmax_cce' and decoder == 'count_scaled'")
    expected = (
        mine.groupby("split_seed")["value"].mean() - theirs.groupby("split_seed")["value"].mean()
    ).mean()
    assert loss.query("dataset == 'alpha'")["mean_difference"].item() == pytest.approx(expected)
    both = differences["primary"] | differences["loss_primary"]
    from genrebench.results.statistics import holm

    assert np.allclose(differences.loc[both, "p_holm"], holm(differences.loc[both, "p"]))
    # Verdicts follow the adjusted p-values and the sign.
    ahead = differences["verdict"] == "ahead"
    assert ((differences.loc[ahead, "p_holm"] < 0.05) & (differences.loc[ahead, "low"] > 0)).all()
    counts = travel.exclusion_counts(differences)
    for decoder, metrics in (("matched", 4), ("natural", 1)):
        rows = differences[differences["decoder"] == decoder]
        assert counts[decoder]["rows"] == len(rows) == 2 * (len(HEADS) - 1) * metrics
        assert counts[decoder]["above"] == (rows["low"] > 0).sum()
        assert counts[decoder]["below"] == (rows["high"] < 0).sum()


def test_properties_describe_the_data_and_the_choices_are_counted(studies):
    _, found = studies
    data, study = found["beta"]
    properties = travel.dataset_properties(data, study)
    Y = np.asarray(data.Y)
    assert properties["documents"] == len(data)
    assert properties["mean_cardinality"] == pytest.approx(Y.sum(axis=1).mean())
    counts = Y.sum(axis=0)
    assert properties["imbalance"] == pytest.approx(np.mean(counts.max() / counts))
    assert 0 <= properties["correlation"] <= 1
    # The reference's own scores: each average under its matched decoder, seeds averaged
    # within each split, then over splits (the landing page quotes the films' from here).
    rows = study.metrics[study.metrics["head"] == travel.PRIMARY[0]]
    for metric, decoder in (("f1_micro", "global_tuned"), ("f1_macro", "per_label_tuned")):
        chosen = rows[(rows["metric"] == metric) & (rows["decoder"] == decoder)]
        mean, low, high = properties["reference_scores"][metric]
        assert mean == pytest.approx(chosen.groupby("split_seed")["value"].mean().mean())
        assert low < mean < high
    table = travel.properties_table(
        [properties],
        travel.travel_differences(
            {"beta": study}, travel.PRIMARY[0], [h for h in HEADS if h != travel.PRIMARY[0]]
        ),
    )
    assert "sigmoid + BCE, macro-F1 (a tuned threshold per label)" in table.index
    assert not table.index.str.contains("_").any()  # display names, never code names
    split_studies = {name: study for name, (_, study) in found.items()}
    choices = travel.choice_table(split_studies)
    assert len(choices) == 2 * len(HEADS)
    assert choices["splits on an edge"].str.endswith("of 2").all()
    counts = travel.choice_counts(split_studies)
    assert (counts["pairs"], counts["splits"], counts["choices"]) == (
        2 * len(HEADS),
        4,
        4 * len(HEADS),
    )
    assert counts["edges"] == sum(
        study.selected["on_edge"].sum() for study in split_studies.values()
    )
    one = travel.choice_counts({"beta": split_studies["beta"]})  # the command's one dataset
    assert one["pairs"] == len(HEADS) and one["changed"] <= one["pairs"]


def test_the_exclusion_counts_count_each_side_and_what_survives_holm():
    """Intervals above and below zero are counted before correction, per group; the decided
    count holds only the differences that survive Holm (ahead or behind)."""
    rows = []

    def row(versus, metric, decoder, low, high, verdict="undecided"):
        rows.append(
            dict(versus=versus, metric=metric, decoder=decoder, low=low, high=high, verdict=verdict)
        )

    row("softmax_cce_norm", "f1_macro", "matched", 0.002, 0.035)
    row("softmax_cce_norm", "f1_micro", "matched", 0.003, 0.022, "ahead")
    row("softmax_cce", "f1_micro", "matched", -0.01, 0.02)
    row("softmax_cce", "f1_micro", "natural", -0.08, -0.01, "behind")
    row("softmax_cce_norm", "f1_micro", "natural", -0.08, -0.01)
    row("softmax_cce", "f1_micro", "global_tuned", -0.01, -0.005)  # neither group
    counts = travel.exclusion_counts(pd.DataFrame(rows))
    assert counts["matched"] == {"rows": 3, "above": 2, "below": 0, "decided": 1}
    assert counts["natural"] == {"rows": 2, "above": 0, "below": 2, "decided": 1}


def test_the_family_on_every_split_reads_the_primary_runs_and_adds_only_its_own(studies):
    from genrebench.experiments.splits import run_family_split_study
    from genrebench.results.family import softmax_style
    from genrebench.results.family_splits import (
        edge_counts,
        family_split_differences,
        softmax_style_counts,
    )

    cache, found = studies
    data, primary = found["alpha"]
    before = {path.name for path in cache.root.iterdir()}
    family = run_family_split_study(data, primary, cache, heads=(*HEADS, "zlpr"), seeds=(0, 1))
    added = {path.name for path in cache.root.iterdir()} - before
    # Each split searched zlpr on that split's final grid (one run per learning rate, seed 0)
    # and trained its second seed; the primary heads' runs were read, not trained again.
    n_rates = [len(study.grid["learning_rates"]) for study in primary.studies.values()]
    assert len(added) == sum(rates + 1 for rates in n_rates)
    for split in primary.splits:
        shared = family.studies[split].metrics.query("head in @HEADS").reset_index(drop=True)
        pd.testing.assert_frame_equal(shared, primary.studies[split].metrics)
        assert (
            family.studies[split].grid["learning_rates"]
            == (primary.studies[split].grid["learning_rates"])
        )
        assert not any(run.scores for run in family.studies[split].runs)  # metrics only
    differences = family_split_differences(
        {"alpha": family}, "sigmoid_bce", ["softmax_cce", "zlpr"]
    )
    assert not differences["primary"].any()
    assert differences["p_holm"].max() <= 1 and (differences["p_holm"] >= differences["p"]).all()
    excluded = travel.exclusion_counts(differences)["matched"]
    assert excluded["decided"] <= excluded["above"] + excluded["below"] <= excluded["rows"]
    counts = softmax_style_counts(differences)
    style = softmax_style(["softmax_cce", "zlpr"])
    matched = differences[(differences["decoder"] == "matched") & differences["versus"].isin(style)]
    assert counts["compared"] == len(matched) > 0
    assert counts["beat"] + counts["trail"] <= counts["compared"]
    edges = family.selected.loc[family.selected["on_edge"], "head"]
    assert edge_counts({"alpha": family}) == (len(edges), 6)
    assert edge_counts({"alpha": family, "beta": family}) == (2 * len(edges), 12)


def _family_rows(rows):
    columns = [
        "dataset",
        "versus",
        "metric",
        "decoder",
        "mean_difference",
        "low",
        "high",
        "verdict",
    ]
    return pd.DataFrame(rows, columns=columns)


def test_softmax_style_counts_take_only_softmax_style_heads_and_only_surviving_verdicts():
    """Counts over the softmax-style heads only (focal loss is sigmoid-style): matched rows
    under either naming of the matched decoders, each verdict after Holm, untuned rows apart;
    none, one and several of each."""
    from genrebench.results.family_splits import softmax_style_counts

    table = _family_rows(
        [
            ("yeast", "zlpr", "f1_micro", "matched", 0.02, 0.01, 0.03, "undecided"),
            ("yeast", "zlpr", "f1_macro", "matched", 0.00, -0.01, 0.01, "undecided"),
            ("yeast", "sparsemax", "f1_micro", "matched", 0.01, -0.01, 0.03, "undecided"),
            ("yeast", "sparsemax", "f1_micro", "natural", 0.10, 0.08, 0.13, "ahead"),
            ("yeast", "focal_bce", "f1_micro", "natural", 0.10, 0.08, 0.13, "ahead"),
            ("yeast", "focal_bce", "f1_micro", "matched", -0.1, -0.2, -0.05, "behind"),
        ]
    )
    assert softmax_style_counts(table) == {
        "compared": 3,
        "beat": 0,
        "trail": 0,
        "untuned": 1,
        "untuned_trail": 1,
    }
    several = table.assign(verdict=["ahead", "behind", "ahead", "undecided", "ahead", "behind"])
    assert softmax_style_counts(several) == {
        "compared": 3,
        "beat": 1,
        "trail": 2,
        "untuned": 1,
        "untuned_trail": 0,
    }
    films = pd.DataFrame(
        {
            "versus": ["softmax_cce", "zlpr", "softmax_cce", "sparsemax"],
            "metric": ["f1_micro", "f1_micro", "f1_micro", "f1_macro"],
            "decoder": ["global_tuned", "global_tuned", "natural", "per_label_tuned"],
            "verdict": ["ahead", "undecided", "behind", "ahead"],
        }
    )
    assert softmax_style_counts(films) == {
        "compared": 3,
        "beat": 0,
        "trail": 2,
        "untuned": 1,
        "untuned_trail": 0,
    }
