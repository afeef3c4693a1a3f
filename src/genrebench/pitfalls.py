"""Measurements behind the pitfalls chapter that need more than a few lines.

Framework-free (NumPy and the project's own decoders and metrics), so the
chapter stays fast and a test can check each measurement.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from genrebench.metrics import MetricInputError, check_scores, check_targets, f1_modes


def tuning_on_test_optimism(
    Y: ArrayLike,
    scores: ArrayLike,
    decoder,
    mode: str,
    test_size: int,
    repeats: int,
    seed: int,
    fresh_size: int,
) -> pd.DataFrame:
    """How much a threshold tuned on the test split flatters the F1 reported on that split.

    The last ``fresh_size`` documents stand for the documents the model will
    meet after publication. Each repeat draws, from the others, a test split
    and a validation split of ``test_size`` documents each, fits ``decoder``
    (anything with ``fit(Y, S)`` returning an object with ``apply(S)``) once on
    each, and records ``mode`` F1 in four ways, one row per repeat:

    * ``reported, tuned on test``: fitted on the test split, scored on it;
    * ``fresh, tuned on test``: the same thresholds on the fresh documents;
    * ``reported, tuned on validation``: fitted on validation, scored on test;
    * ``fresh, tuned on validation``: the same thresholds on the fresh documents.
    """
    y = check_targets(Y)
    s = check_scores(scores, y.shape)
    pool = len(y) - fresh_size
    if fresh_size < 1 or test_size < 1 or 2 * test_size > pool:
        raise MetricInputError(
            f"need 2 x test_size ({2 * test_size}) + fresh_size ({fresh_size}) documents "
            f"at most, have {len(y)}"
        )
    if repeats < 1:
        raise MetricInputError("repeats must be at least 1")
    fresh = slice(pool, None)
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(repeats):
        drawn = rng.permutation(pool)[: 2 * test_size]
        test, validation = drawn[:test_size], drawn[test_size:]
        on_test = decoder.fit(y[test], s[test])
        on_validation = decoder.fit(y[validation], s[validation])
        rows.append(
            {
                "reported, tuned on test": f1_modes(y[test], on_test.apply(s[test]))[mode],
                "fresh, tuned on test": f1_modes(y[fresh], on_test.apply(s[fresh]))[mode],
                "reported, tuned on validation": f1_modes(y[test], on_validation.apply(s[test]))[
                    mode
                ],
                "fresh, tuned on validation": f1_modes(y[fresh], on_validation.apply(s[fresh]))[
                    mode
                ],
            }
        )
    return pd.DataFrame(rows).rename_axis("repeat")
