"""The advice at a fixed threshold of one half follows the verdicts there, never a belief."""

import pandas as pd
import pytest

from genrebench.results.wording import fixed_threshold_advice

ADVICE = {
    "ahead": "use sigmoid + BCE: ahead there of every head compared",
    "behind": "avoid sigmoid + BCE: every head compared is ahead there",
    "mixed": "no head is ahead everywhere there: tune a threshold if you can",
}


def _fixed(verdicts) -> pd.DataFrame:
    rows = [("films", "softmax_cce", "threshold_0.5", "f1_micro", v) for v in verdicts]
    rows.append(("films", "softmax_cce", "global_tuned", "f1_micro", "behind"))  # not read
    return pd.DataFrame(rows, columns=["dataset", "versus", "decoder", "metric", "verdict"])


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["ahead", "ahead", "ahead"], "ahead"),
        (["behind", "behind"], "behind"),
        (["ahead", "undecided", "ahead"], "mixed"),
        (["equivalent", "equivalent"], "mixed"),
        (["ahead", "behind"], "mixed"),
    ],
    ids=["ahead everywhere", "behind everywhere", "one undecided", "equivalent", "split"],
)
def test_the_advice_at_one_half_names_a_head_only_when_the_verdicts_all_agree(verdicts, expected):
    advice = fixed_threshold_advice(_fixed(verdicts), "sigmoid + BCE")
    assert advice == ADVICE[expected]
    for other, words in ADVICE.items():
        assert (words == advice) == (other == expected)
