"""The advice when nothing can be tuned follows the verdicts there, never a belief: a head is
named only when it is ahead on every dataset under its own untuned rule."""

import pandas as pd
import pytest

from genrebench.results.wording import untuned_advice

NAMES = {"sigmoid_bce": "sigmoid + BCE", "softmax_cce": "softmax + CCE", "pal_n": "PAL-N"}
ADVICE = {
    "reference": "use sigmoid + BCE at one half: ahead of every other head's own rule",
    "one": "use softmax + CCE, under its own rule: ahead of sigmoid + BCE at one half on every "
    "dataset",
    "two": "use softmax + CCE or PAL-N, each under its own rule: ahead of sigmoid + BCE at one "
    "half on every dataset",
    "none": "keep your head and its own rule (one half for sigmoid); none is shown ahead "
    "everywhere",
}


def _own(verdicts: dict) -> pd.DataFrame:
    """Rows ``(dataset, versus) -> verdict`` under each head's own rule, plus rows under other
    decoders the advice must not read."""
    rows = [(d, v, "natural", "f1_micro", verdict) for (d, v), verdict in verdicts.items()]
    rows.append(("films", "softmax_cce", "threshold_0.5", "f1_micro", "ahead"))  # not read
    rows.append(("films", "softmax_cce", "natural", "f1_macro", "ahead"))  # not read
    return pd.DataFrame(rows, columns=["dataset", "versus", "decoder", "metric", "verdict"])


CASES = {
    "reference": {("films", "softmax_cce"): "ahead", ("yeast", "softmax_cce"): "ahead"},
    "one": {("films", "softmax_cce"): "behind", ("yeast", "softmax_cce"): "behind"},
    "two": {
        ("films", "softmax_cce"): "behind",
        ("yeast", "softmax_cce"): "behind",
        ("films", "pal_n"): "behind",
        ("yeast", "pal_n"): "behind",
    },
    "one of two": {
        ("films", "softmax_cce"): "behind",
        ("yeast", "softmax_cce"): "behind",
        ("films", "pal_n"): "behind",
        ("yeast", "pal_n"): "undecided",
    },
    "split": {("films", "softmax_cce"): "behind", ("yeast", "softmax_cce"): "ahead"},
    "equivalent": {("films", "softmax_cce"): "equivalent", ("yeast", "softmax_cce"): "behind"},
    "missing dataset": {("films", "softmax_cce"): "behind", ("yeast", "pal_n"): "ahead"},
}
EXPECTED = {
    "reference": "reference",
    "one": "one",
    "two": "two",
    "one of two": "one",
    "split": "none",
    "equivalent": "none",
    "missing dataset": "none",
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_untuned_advice_names_a_head_only_where_it_is_ahead_on_every_dataset(case):
    advice = untuned_advice(_own(CASES[case]), NAMES)
    assert advice == ADVICE[EXPECTED[case]]
    for other, words in ADVICE.items():
        assert (words == advice) == (other == EXPECTED[case])
