"""Decoders turn scores into label sets; tuned ones are fitted on validation only."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from genrebench.decode import (
    DECODERS,
    SELECTABLE_DECODERS,
    DecodeInputError,
    FixedThreshold,
    GlobalThreshold,
    OracleTopK,
    PerLabelThreshold,
    TopKByMass,
    best_f1_threshold,
    get_decoder,
    make_decoders,
    threshold_decode,
    top_k_decode,
)


def _f1(y, pred):
    tp = np.logical_and(y, pred).sum()
    return 2 * tp / (y.sum() + pred.sum()) if (y.sum() + pred.sum()) else 0.0


def test_threshold_is_strict_and_accepts_one_threshold_per_label():
    scores = np.array([[0.5, 0.6], [0.4, 0.9]])
    assert threshold_decode(scores).tolist() == [[0, 1], [0, 1]]
    assert threshold_decode(scores, [0.45, 0.95]).tolist() == [[1, 0], [0, 0]]


def test_top_k_breaks_ties_by_label_order_and_takes_k_per_document():
    scores = np.array([[0.2, 0.2, 0.6], [0.1, 0.5, 0.4]])
    assert top_k_decode(scores, 2).tolist() == [[1, 0, 1], [0, 1, 1]]
    assert top_k_decode(scores, [1, 0]).tolist() == [[0, 0, 1], [0, 0, 0]]


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int8, st.integers(2, 40), elements=st.integers(0, 1)),
    st.integers(0, 2**31 - 1),
)
def test_best_threshold_matches_a_brute_force_search(labels, seed):
    scores = np.round(np.random.default_rng(seed).random(len(labels)), 2)  # ties on purpose
    threshold, best = best_f1_threshold(labels, scores)
    candidates = np.append(np.unique(scores) - 1e-9, np.inf)
    brute = max(_f1(labels.astype(bool), scores > c) for c in candidates)
    assert best == pytest.approx(brute)
    if labels.any():
        assert _f1(labels.astype(bool), scores > threshold) == pytest.approx(best)


def _validation(seed=0, n=400, labels=5):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, labels)) < np.linspace(0.05, 0.5, labels)).astype(np.uint8)
    scores = np.clip(0.35 * y + rng.random((n, labels)) * np.linspace(0.3, 0.9, labels), 0, 1)
    return y, scores


def test_per_label_thresholds_never_lose_validation_f1_to_the_global_one():
    y, scores = _validation()
    global_pred = GlobalThreshold().fit(y, scores).apply(scores)
    per_label_pred = PerLabelThreshold(min_positives=1).fit(y, scores).apply(scores)
    for label in range(y.shape[1]):
        assert _f1(y[:, label], per_label_pred[:, label]) >= _f1(y[:, label], global_pred[:, label])


def test_global_threshold_beats_or_ties_the_fixed_one_on_validation():
    y, scores = _validation(1)
    tuned = GlobalThreshold().fit(y, scores)
    assert _f1(y, tuned.apply(scores)) >= _f1(y, FixedThreshold().apply(scores))


def test_top_k_by_mass_picks_one_label_for_peaked_rows_and_more_for_flat_ones():
    y = np.array([[1, 0, 0, 0], [0, 1, 1, 0]] * 20, dtype=np.uint8)
    scores = np.array([[0.9, 0.04, 0.03, 0.03], [0.02, 0.48, 0.47, 0.03]] * 20)
    decoder = TopKByMass().fit(y, scores)
    np.testing.assert_array_equal(decoder.apply(scores), y)


def test_samples_tuned_decoder_tunes_the_mass_for_samples_f1_and_micro_tuning_does_not():
    """Documents with many labels weigh more in micro-F1 than in samples-F1: on data where the
    two optima differ, each tuning finds its own metric's best mass among the candidates."""
    from genrebench.decode import get_decoder
    from genrebench.metrics import micro_f1, samples_f1

    rng = np.random.default_rng(3)
    y = (rng.random((400, 6)) < 0.35).astype(np.uint8)
    y[y.sum(axis=1) == 0, 0] = 1
    scores = np.clip(y * 0.3 + rng.random(y.shape), 0, None)
    samples = get_decoder("samples_tuned").fit(y, scores)
    micro = get_decoder("topk_mass").fit(y, scores)
    assert samples.metric == "f1_samples" and micro.metric == "f1_micro"
    assert samples_f1(y, samples.apply(scores)) >= samples_f1(y, micro.apply(scores))
    assert micro_f1(y, micro.apply(scores)) >= micro_f1(y, samples.apply(scores))
    # Each tuning picks the mass that a brute force over decision matrices picks, and its
    # score is the very number the referee gives the decisions.
    for tuned, score in ((samples, samples_f1), (micro, micro_f1)):
        candidates = np.linspace(0.05, 0.99, 95)
        brute = [score(y, replace(tuned, mass=float(m)).apply(scores)) for m in candidates]
        assert tuned.mass == float(candidates[int(np.argmax(brute))])
    with pytest.raises(DecodeInputError, match="tunes for one of"):
        TopKByMass(metric="f1_macro").fit(y, scores)


def test_every_f1_average_has_a_matched_decoder_fitted_on_validation_only():
    from genrebench.decode import DECODERS, MATCHED_DECODERS

    assert set(MATCHED_DECODERS) == {"f1_micro", "f1_macro", "f1_weighted", "f1_samples"}
    assert all(not DECODERS[name].needs_truth for name in MATCHED_DECODERS.values())


def test_oracle_uses_the_true_cardinality_and_says_so():
    y = np.array([[1, 1, 0], [0, 0, 1]], dtype=np.uint8)
    scores = np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]])
    assert OracleTopK().apply(scores, Y_true=y).tolist() == y.tolist()
    assert "oracle" in OracleTopK().name
    with pytest.raises(DecodeInputError, match="true targets"):
        OracleTopK().apply(scores)


@pytest.mark.parametrize("decoder", [GlobalThreshold(), PerLabelThreshold(), TopKByMass()])
def test_tuned_decoders_refuse_to_decode_before_fitting(decoder):
    with pytest.raises(DecodeInputError, match="fitted"):
        decoder.apply(np.array([[0.1, 0.9]]))


@pytest.mark.parametrize(
    ("scores", "message"),
    [(np.array([0.1, 0.2]), "2-D"), (np.array([[np.nan, 0.2]]), "NaN"), (np.zeros((0, 3)), "2-D")],
)
def test_bad_scores_are_rejected(scores, message):
    with pytest.raises(DecodeInputError, match=message):
        threshold_decode(scores)


def test_every_registered_decoder_takes_the_same_call_and_is_pure():
    """One signature for all: fit on validation, apply(scores, Y_true=...); only the oracle
    reads the truth, and applying twice gives the same labels."""
    y, scores = _validation(2)
    assert list(DECODERS) == [decoder.name for decoder in make_decoders()]
    for decoder in DECODERS.values():
        fitted = decoder.fit(y, scores)
        first = fitted.apply(scores, Y_true=y)
        np.testing.assert_array_equal(first, fitted.apply(scores, Y_true=y))
        if not decoder.needs_truth:
            np.testing.assert_array_equal(first, fitted.apply(scores))
    assert [n for n, d in DECODERS.items() if d.needs_truth] == ["oracle_topk"]
    assert "oracle_topk" not in SELECTABLE_DECODERS
    with pytest.raises(DecodeInputError, match="unknown decoder"):
        get_decoder("top_two")


def test_gfm_picks_the_set_of_highest_expected_f1_found_by_brute_force():
    """On random distributions over the non-empty subsets of four labels, the F-measure
    maximiser's set has the largest expected F1 of all 15 candidate sets."""
    from itertools import product

    from genrebench.fmeasure import gfm_decode

    sets = np.array([s for s in product((0, 1), repeat=4) if any(s)], dtype=float)
    sizes = sets.sum(axis=1)
    rng = np.random.default_rng(0)
    for _ in range(20):
        p = rng.dirichlet(np.full(len(sets), 0.3))
        by_size = np.stack(
            [(p[:, None] * sets * (sizes == s)[:, None]).sum(0) for s in range(1, 5)], 1
        )
        chosen = gfm_decode(by_size[None])[0]

        def expected_f1(h, p=p):
            return float((p * 2 * (sets @ h) / (sizes + h.sum())).sum())

        best = max(expected_f1(h) for h in sets)
        assert expected_f1(chosen.astype(float)) == pytest.approx(best, abs=1e-12)


def _brute_expected_f1(p):
    """Expected F1 of every non-empty set under independent labels, by enumeration."""
    import itertools

    labels = range(len(p))
    worlds = list(itertools.product((0, 1), repeat=len(p)))
    chances = [np.prod([p[j] if y[j] else 1 - p[j] for j in labels]) for y in worlds]
    best, chosen = -1.0, None
    for k in range(1, len(p) + 1):
        for subset in itertools.combinations(labels, k):
            value = sum(
                chance * 2 * sum(y[j] for j in subset) / (k + sum(y))
                for chance, y in zip(chances, worlds, strict=True)
            )
            if value > best + 1e-12:
                best, chosen = value, set(subset)
    return best, chosen


def test_the_expected_f1_decoder_finds_the_best_set_by_enumeration():
    """Exact, not a heuristic: on random marginals its set has the highest expected F1 of all
    2^L - 1 non-empty sets (ties aside)."""
    from genrebench.decode import DECODERS
    from genrebench.fmeasure import expected_f1_top_k

    rng = np.random.default_rng(0)
    P = rng.beta(0.5, 1.5, size=(25, 6))
    decoded = expected_f1_top_k(P)
    for row, p in enumerate(P):
        best, chosen = _brute_expected_f1(p)
        mine = set(np.flatnonzero(decoded[row]))
        assert mine == chosen or np.isclose(_brute_value(p, mine), best), row
    assert (decoded.sum(axis=1) >= 1).all()
    assert np.array_equal(DECODERS["expected_f1"].apply(P), decoded)


def _brute_value(p, subset):
    import itertools

    total = 0.0
    for y in itertools.product((0, 1), repeat=len(p)):
        chance = np.prod([p[j] if y[j] else 1 - p[j] for j in range(len(p))])
        total += chance * 2 * sum(y[j] for j in subset) / (len(subset) + sum(y))
    return total


def test_count_scaling_turns_softmax_shares_back_into_marginals():
    """Shares are marginals over their sum; scaled by a count predicted on validation they
    recover the marginals, and decode better in micro-F1 than one threshold on the shares,
    because documents with more labels spread their shares thinner."""
    from genrebench.decode import CountScaled, GlobalThreshold
    from genrebench.metrics import f1_modes

    rng = np.random.default_rng(1)

    def draw(n):
        # One or five likely labels per document, the others less likely.
        likely = rng.random((n, 8)).argsort(axis=1) < rng.choice([1, 5], size=(n, 1))
        eta = np.where(likely, rng.uniform(0.5, 0.95, (n, 8)), rng.uniform(0.0, 0.35, (n, 8)))
        Y = (rng.random((n, 8)) < eta).astype(np.uint8)
        return Y, eta / eta.sum(axis=1, keepdims=True), eta

    Y_val, S_val, _ = draw(3000)
    Y_test, S_test, eta = draw(3000)
    scaled = CountScaled().fit(Y_val, S_val)
    assert np.corrcoef(scaled.marginals(S_test).ravel(), eta.ravel())[0, 1] > 0.9
    shared = GlobalThreshold().fit(Y_val, S_val)
    assert (
        f1_modes(Y_test, scaled.apply(S_test)).micro
        > f1_modes(Y_test, shared.apply(S_test)).micro + 0.01
    )
    with pytest.raises(DecodeInputError, match="fitted"):
        CountScaled().apply(S_test)


def test_the_count_models_quality_is_reported_for_the_softmax_heads_only():
    """R² near one when the shares carry the count, and no row for a head whose consistent
    decoder is a plain threshold."""
    from types import SimpleNamespace

    import pandas as pd

    from genrebench.results.scores import count_quality

    rng = np.random.default_rng(2)

    def draw(n):
        k = rng.choice([1, 2, 4], size=n)
        Y = (np.arange(6)[None, :] < k[:, None]).astype(np.uint8)
        shares = np.where(Y == 1, 1.0, 0.02) / (k[:, None] + 0.02 * (6 - k[:, None]))
        return Y, shares

    Y_val, S_val = draw(400)
    Y_test, S_test = draw(400)
    study = SimpleNamespace(
        selected=pd.DataFrame({"head": ["sigmoid_bce", "softmax_cce"]}),
        scores=lambda head, split: {0: S_val if split == "val" else S_test},
    )
    prepared = SimpleNamespace(Y_val=Y_val, Y_test=Y_test)
    quality = count_quality(study, prepared)
    assert list(quality.index) == ["softmax_cce"]
    assert quality.loc["softmax_cce", "r2"] > 0.95 and quality.loc["softmax_cce", "mae"] < 0.2


@pytest.mark.parametrize("seed", range(4))
def test_top_k_by_mass_counts_every_candidate_mass_as_one_mass_at_a_time(seed):
    """The search over masses counts labels for all 95 candidates in one pass; each row of
    that count is the one-mass rule written out (the fewest labels whose cumulative share
    reaches the mass, at most max_k), shares that sit exactly on a candidate mass included,
    and is what the fitted decoder applies for that mass."""
    from genrebench.decode import TopKByMass

    rng = np.random.default_rng(seed)
    scores = rng.random((50, 6)).round(1) + 0.05
    _, _, cumulative = TopKByMass._cumulative(scores)
    masses = np.linspace(0.05, 0.99, 95)
    for max_k in (None, 3):
        each = TopKByMass._k_each(cumulative, masses, max_k)
        for row, mass in zip(each, masses, strict=True):
            below = (cumulative < mass - 1e-12).sum(axis=1)
            alone = np.minimum(1 + below, max_k or scores.shape[1])
            assert row.tolist() == alone.tolist()
            fitted = TopKByMass(mass=float(mass), max_k=max_k).apply(scores)
            assert fitted.sum(axis=1).tolist() == alone.tolist()
