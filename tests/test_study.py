"""Helpers of the heads chapter read the reported runs as the prose says."""

import numpy as np
import pandas as pd

from genrebench.results.tables import empty_share


class _Scores:
    """Stands in for a HeadsStudy: test scores by training seed."""

    def __init__(self, by_seed):
        self.by_seed = by_seed

    def scores(self, head, split="test"):
        assert split == "test"
        return self.by_seed


def test_empty_share_counts_documents_with_no_score_above_the_threshold():
    scores = {
        1: np.array([[0.6, 0.3], [0.5, 0.5], [0.2, 0.1], [0.9, 0.8]]),  # 0.5 itself does not pass
        0: np.array([[0.4, 0.4], [0.7, 0.1], [0.1, 0.2], [0.3, 0.3]]),
    }
    shares = empty_share(_Scores(scores), "softmax_cce")
    pd.testing.assert_series_equal(shares, pd.Series({0: 0.75, 1: 0.5}, name="empty_share"))
    assert empty_share(_Scores(scores), "softmax_cce", threshold=0.05).eq(0).all()
