"""The library audit's numbers agree with the referee, and its words follow the libraries.

Every number a probe records was computed by scikit-learn or Keras; each is
checked here against :mod:`genrebench.metrics` on the same probe case. Keras
works in float32 with an epsilon in each denominator, hence its tolerance.
"""

import numpy as np
import pytest

import genrebench  # noqa: F401  (quiet TensorFlow before Keras loads)
from genrebench.audit import (
    ABSENT_LABEL,
    PROBE_SCORES,
    PROBE_TARGETS,
    TIE_SCORES,
    TIE_TARGETS,
    TIE_THRESHOLD,
    audit_table,
    keras_f1,
    keras_top_decode,
    library_versions,
    probe_keras,
    probe_sklearn,
    threshold_decode_strict,
)
from genrebench.metrics import f1_modes

KERAS_TOLERANCE = 1e-6

PREDICTED = threshold_decode_strict(PROBE_SCORES, 0.5)


def _by_question(probes):
    return {probe.question: probe for probe in probes}


def test_keras_top_decode_keeps_ties_and_drops_all_zero_rows():
    scores = np.array([[0.7, 0.7, 0.1], [0.0, 0.0, 0.0], [-2.0, -1.0, -3.0]])
    np.testing.assert_array_equal(keras_top_decode(scores), [[1, 1, 0], [0, 0, 0], [0, 1, 0]])


def test_strict_threshold_counts_a_tie_as_negative():
    np.testing.assert_array_equal(threshold_decode_strict([[0.5, 0.6]], 0.5), [[0, 1]])


def test_the_probe_has_an_absent_label_and_weights_that_tell_support_from_predictions():
    assert PROBE_TARGETS[:, ABSENT_LABEL].sum() == 0 and PREDICTED[:, ABSENT_LABEL].sum() == 0
    assert not np.array_equal(PROBE_TARGETS.sum(axis=0), PREDICTED.sum(axis=0))


def test_sklearn_numbers_agree_with_the_referee():
    probes = _by_question(probe_sklearn())
    for zero_division in (0, 1):
        referee = f1_modes(PROBE_TARGETS, PREDICTED, zero_division=zero_division)
        numbers = probes["zero_division options"].numbers
        assert numbers[f"macro_zero_division_{zero_division}"] == pytest.approx(
            referee.macro, abs=1e-12
        )
        absent = probes["label absent from targets and predictions"].numbers
        assert absent[f"absent_f1_zero_division_{zero_division}"] == pytest.approx(
            referee.per_label["f1"].iloc[ABSENT_LABEL], abs=1e-12
        )
    referee = f1_modes(PROBE_TARGETS, PREDICTED, zero_division=0)
    assert probes["average='samples' (per document)"].numbers["samples"] == pytest.approx(
        referee.samples, abs=1e-12
    )
    weighted = probes["average='weighted' weights by"].numbers
    assert weighted["weighted"] == pytest.approx(referee.weighted, abs=1e-12)
    for label, value in enumerate(referee.per_label["f1"]):
        assert weighted[f"f1_label{label}"] == pytest.approx(value, abs=1e-12)
    assert probes["zero_division default"].numbers["macro_default"] == pytest.approx(
        referee.macro, abs=1e-12
    )
    # zero_division=np.nan leaves the absent label out of the macro mean.
    defined = np.delete(referee.per_label["f1"].to_numpy(), ABSENT_LABEL)
    assert probes["zero_division options"].numbers["macro_zero_division_nan"] == pytest.approx(
        defined.mean(), abs=1e-12
    )


@pytest.mark.slow
def test_keras_numbers_agree_with_the_referee():
    probes = _by_question(probe_keras())
    referee = f1_modes(PROBE_TARGETS, PREDICTED, zero_division=0)
    weighted = probes["average='weighted' weights by"].numbers
    assert weighted["weighted"] == pytest.approx(referee.weighted, abs=KERAS_TOLERANCE)
    for label, value in enumerate(referee.per_label["f1"]):
        assert weighted[f"f1_label{label}"] == pytest.approx(value, abs=KERAS_TOLERANCE)
    absent = probes["label absent from targets and predictions"].numbers
    assert absent["macro"] == pytest.approx(referee.macro, abs=KERAS_TOLERANCE)
    assert absent["absent_f1"] == 0.0
    top = probes["default threshold"].numbers
    assert top["micro_threshold_none"] == pytest.approx(
        f1_modes(PROBE_TARGETS, keras_top_decode(PROBE_SCORES)).micro, abs=KERAS_TOLERANCE
    )
    assert top["micro_threshold_none_tied_row"] == pytest.approx(
        f1_modes(TIE_TARGETS[1:], keras_top_decode(TIE_SCORES[1:])).micro, abs=KERAS_TOLERANCE
    )
    tie = probes["score equal to the threshold"]
    strict = f1_modes(TIE_TARGETS[:1], threshold_decode_strict(TIE_SCORES[:1], TIE_THRESHOLD))
    assert tie.numbers["f1_label0_at_threshold"] == pytest.approx(
        strict.per_label["f1"].iloc[0], abs=KERAS_TOLERANCE
    )
    assert tie.answer.startswith("negative")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_keras_top_decode_is_what_keras_threshold_none_predicts(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=(12, 5))
    scores = rng.integers(0, 4, size=(12, 5)) / 4  # coarse scores: many ties, some zero rows
    referee = f1_modes(y, keras_top_decode(scores), zero_division=0)
    np.testing.assert_allclose(keras_f1(y, scores), referee.per_label["f1"], atol=KERAS_TOLERANCE)
    for average in ("micro", "macro", "weighted"):
        assert float(keras_f1(y, scores, average=average)) == pytest.approx(
            referee[average], abs=KERAS_TOLERANCE
        )


@pytest.mark.slow
def test_the_table_has_one_row_per_question_and_a_column_per_library_with_its_version():
    probes = probe_sklearn() + probe_keras()
    versions = library_versions()
    table = audit_table(probes, versions)
    assert list(table.columns) == [
        f"scikit-learn {versions['scikit-learn']}",
        f"Keras {versions['keras']}",
    ]
    assert len(table) == len({probe.question for probe in probes})
    assert table.notna().all().all()
