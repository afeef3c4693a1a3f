"""The scoped answer and the decision table follow the cross-dataset verdicts."""

import pandas as pd
import pytest

from genrebench.results.scope import SITUATIONS, decision_table, scope_counts
from genrebench.results.wording import scope_headline


def _differences(behind=(), rest="equivalent"):
    """Every situation on two datasets against two heads; ``behind`` lists (dataset, head,
    decoder, metric) rows where the reference is behind; fixed-threshold rows are ahead,
    the others ``rest`` (equivalent or undecided)."""
    rows = []
    for dataset in ("films", "yeast"):
        for versus in ("softmax_cce", "softmax_cce_norm"):
            for _, decoder, metric in SITUATIONS:
                verdict = "ahead" if decoder == "threshold_0.5" else rest
                mean = 0.3 if verdict == "ahead" else 0.001
                if (dataset, versus, decoder, metric) in behind:
                    verdict, mean = "behind", -0.02
                rows.append(
                    dict(
                        dataset=dataset,
                        versus=versus,
                        decoder=decoder,
                        metric=metric,
                        mean_difference=mean,
                        low=mean - 0.01,
                        high=mean + 0.01,
                        p_holm=0.01 if verdict in ("ahead", "behind") else 0.5,
                        verdict=verdict,
                        primary=versus == "softmax_cce"
                        and decoder == "matched"
                        and metric == "f1_micro",
                    )
                )
    return pd.DataFrame(rows)


def _headline(counts: dict) -> str:
    return scope_headline(counts["verdict"], "sigmoid_bce", counts["behind"], counts["ahead"])


def test_equivalence_everywhere_says_the_head_does_not_matter_never_safe_default():
    counts = scope_counts(_differences())
    assert counts["verdict"] == "equivalent"
    headline = _headline(counts)
    assert "equivalent within ±0.01 F1 in every comparison" in headline
    assert "safe" not in headline
    assert (counts["fixed_ahead"], counts["fixed_comparisons"]) == (4, 4)
    assert (counts["fixed_low"], counts["fixed_high"]) == (0.3, 0.3)
    assert counts["equivalent"] == counts["comparisons"] == 16
    assert counts["ahead"] == counts["behind"] == counts["undecided"] == 0
    table = decision_table(_differences())
    assert list(table.index) == [situation for situation, _, _ in SITUATIONS]
    assert table.loc[SITUATIONS[0][0], "use"] == "sigmoid_bce"
    assert table.loc[SITUATIONS[0][0], "films"] == "ahead of both"
    assert table.loc[SITUATIONS[4][0], "yeast"] == "equivalent to both"
    assert table.loc[SITUATIONS[4][0], "use"] == "any of them (equivalent within ±0.01)"


def test_undecided_comparisons_are_no_win_and_no_equivalence():
    """Absence of a difference is not evidence of one: undecided rows give 'no winner',
    and the answer neither calls them equivalent nor recommends a default from them."""
    counts = scope_counts(_differences(rest="undecided"))
    assert counts["verdict"] == "no winner"
    headline = _headline(counts)
    assert headline == (
        "Dataset by dataset, once decoders are tuned, no head is shown ahead of another."
    )
    assert counts["undecided"] == 16 and counts["equivalent"] == 0
    assert "equivalent" not in headline and "safe" not in headline
    table = decision_table(_differences(rest="undecided"))
    assert table.loc[SITUATIONS[4][0], "films"] == "undecided against both"
    # Nothing ahead is no reason to use one head: the table recommends none.
    assert table.loc[SITUATIONS[4][0], "use"] == "no winner shown"


def test_ahead_everywhere_is_the_only_case_naming_sigmoid_outright():
    counts = scope_counts(_differences(rest="ahead"))
    assert counts["verdict"] == "sigmoid"
    assert _headline(counts) == (
        "Dataset by dataset, sigmoid_bce is ahead of every other head in every comparison."
    )
    for rest in ("equivalent", "undecided"):
        assert "sigmoid_bce is ahead" not in _headline(scope_counts(_differences(rest=rest)))


def test_a_head_ahead_somewhere_is_named_with_its_data_decoder_and_metric():
    behind = {("yeast", "softmax_cce_norm", "matched", "f1_macro")}
    counts = scope_counts(_differences(behind))
    assert counts["verdict"] == "depends"
    assert _headline(counts) == (
        "Dataset by dataset, no head wins everywhere: another head is ahead of sigmoid_bce in 1."
    )
    assert (counts["equivalent"], counts["behind"], counts["comparisons"]) == (15, 1, 16)
    table = decision_table(_differences(behind))
    row = table.loc[SITUATIONS[4][0]]
    assert (
        row["use"] == "softmax_cce_norm on yeast; any of them elsewhere (equivalent within ±0.01)"
    )
    assert row["yeast"] == "behind softmax_cce_norm; equivalent to softmax_cce"
    assert row["films"] == "equivalent to both"


@pytest.mark.parametrize("situation", SITUATIONS)
def test_every_situation_names_a_decoder_the_results_carry(situation):
    from genrebench.results.travel import AVERAGE_NAMES, SHARED_DECODERS

    _, decoder, metric = situation
    assert decoder in {"matched", "consistent", *SHARED_DECODERS}
    assert metric in AVERAGE_NAMES


def test_a_winner_somewhere_recommends_the_reference_elsewhere_only_where_it_is_ahead():
    """A head that wins on one dataset names no default for the others unless the evidence
    there shows the reference ahead: undecided elsewhere stays "no winner shown"."""
    behind = {("yeast", "softmax_cce_norm", "matched", "f1_macro")}
    undecided = decision_table(_differences(behind, rest="undecided")).loc[SITUATIONS[4][0]]
    assert undecided["use"] == "softmax_cce_norm on yeast; no winner shown elsewhere"
    ahead = decision_table(_differences(behind, rest="ahead")).loc[SITUATIONS[4][0]]
    assert ahead["use"] == "softmax_cce_norm on yeast; sigmoid_bce elsewhere"
    both = {
        ("yeast", "softmax_cce", "matched", "f1_macro"),
        ("films", "softmax_cce", "matched", "f1_macro"),
    }
    assert decision_table(_differences(both)).loc[SITUATIONS[4][0], "use"] == (
        "softmax_cce on films and yeast"
    )


@pytest.mark.parametrize(
    ("ahead", "tail"), [(1, "1 comparison, not all."), (3, "3 comparisons, not all.")]
)
def test_no_winner_with_some_wins_counts_them_singular_and_plural(ahead, tail):
    """Ahead in some comparisons but not all is no winner, and the headline says how many,
    never implying a win it does not count."""
    headline = scope_headline("no winner", "sigmoid_bce", 0, ahead)
    assert headline.endswith(f"no other head is ahead of sigmoid_bce, which is ahead in {tail}")
