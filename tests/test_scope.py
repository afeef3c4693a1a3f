"""The scoped answer and the decision table follow the cross-dataset verdicts."""

import pandas as pd
import pytest

from genrebench.results.scope import SITUATIONS, decision_table, scoped_answer


def _differences(behind=()):
    """Every situation on two datasets against two heads; ``behind`` lists (dataset, head,
    decoder, metric) rows where the reference is behind; fixed-threshold rows are ahead,
    the others level."""
    rows = []
    for dataset in ("films", "yeast"):
        for versus in ("softmax_cce", "softmax_cce_norm"):
            for _, decoder, metric in SITUATIONS:
                verdict = "ahead" if decoder == "threshold_0.5" else "level"
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
                        p_holm=0.01 if verdict != "level" else 0.5,
                        verdict=verdict,
                        primary=versus == "softmax_cce"
                        and decoder == "matched"
                        and metric == "f1_micro",
                    )
                )
    return pd.DataFrame(rows)


def test_no_head_ahead_anywhere_makes_sigmoid_the_safe_default():
    answer = scoped_answer(_differences(), scope="Tested on two datasets.")
    assert answer.verdict == "sigmoid"
    assert answer.headline == "Sigmoid with binary cross-entropy is the safe default."
    assert "ahead of every other head on every dataset" in answer.why
    assert "the other heads are level with sigmoid_bce in all 16 comparisons" in answer.why
    assert answer.why.endswith("Tested on two datasets.")
    assert len(answer.evidence) == 2  # one primary comparison per dataset
    table = decision_table(_differences())
    assert list(table.index) == [situation for situation, _, _ in SITUATIONS]
    assert table.loc[SITUATIONS[0][0], "use"] == "sigmoid_bce"
    assert table.loc[SITUATIONS[0][0], "sigmoid_bce on films"] == "ahead of both"
    assert table.loc[SITUATIONS[3][0], "sigmoid_bce on yeast"] == "level with both"
    assert "no other head is ahead" in table.loc[SITUATIONS[3][0], "use"]


def test_a_head_ahead_somewhere_is_named_with_its_data_decoder_and_metric():
    behind = {("yeast", "softmax_cce_norm", "matched", "f1_macro")}
    answer = scoped_answer(_differences(behind), scope="")
    assert answer.verdict == "depends"
    assert "softmax_cce_norm beats it in macro-F1 on yeast" in answer.headline
    assert "are level with sigmoid_bce in 15 and ahead of it in 1 of the 16" in answer.why
    table = decision_table(_differences(behind))
    row = table.loc[SITUATIONS[3][0]]
    assert row["use"] == "softmax_cce_norm on yeast; sigmoid_bce elsewhere"
    assert row["sigmoid_bce on yeast"] == "level with softmax_cce; behind softmax_cce_norm"
    assert row["sigmoid_bce on films"] == "level with both"


@pytest.mark.parametrize("situation", SITUATIONS)
def test_every_situation_names_a_decoder_the_results_carry(situation):
    from genrebench.results.travel import AVERAGE_NAMES, SHARED_DECODERS

    _, decoder, metric = situation
    assert decoder in {"matched", *SHARED_DECODERS}
    assert metric in AVERAGE_NAMES
