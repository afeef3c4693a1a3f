"""Prepared features and the baseline on disk: read back identical, never trusted when damaged."""

import numpy as np
import pytest

from genrebench.data import load_csv
from genrebench.experiments import cache as cache_module
from genrebench.experiments.cache import (
    PREPARED_FOLDER,
    ResultCache,
    prepare_cached,
    prepared_key,
)
from genrebench.experiments.runs import prepare
from tests.helpers import write_csv


@pytest.fixture
def dataset(tmp_path):
    path = write_csv(tmp_path / "films.csv", n=300, sep="|")
    return load_csv(path, "synopsis", "genres", label_sep="|", id_col="id")


def assert_same(got, expected):
    for split in ("train", "val", "test"):
        X, X_expected = getattr(got, f"X_{split}"), getattr(expected, f"X_{split}")
        assert type(X) is type(X_expected) and X.dtype == X_expected.dtype
        assert X.shape == X_expected.shape and (X != X_expected).nnz == 0
        np.testing.assert_array_equal(X.indptr, X_expected.indptr)
        np.testing.assert_array_equal(X.indices, X_expected.indices)
        assert X.data.tobytes() == X_expected.data.tobytes()
        Y, Y_expected = getattr(got, f"Y_{split}"), getattr(expected, f"Y_{split}")
        assert Y.dtype == Y_expected.dtype
        np.testing.assert_array_equal(Y, Y_expected)
    for field in ("name", "label_names", "fingerprint", "split_seed", "info"):
        assert getattr(got, field) == getattr(expected, field), field
    assert list(got.info) == list(expected.info)  # a table of it shows them in this order


def entry(cache: ResultCache, dataset, split_seed=0):
    key = prepared_key(dataset.fingerprint, split_seed, 0.2, 0.1, {})
    return cache.root / PREPARED_FOLDER / key


def test_second_prepare_reads_the_stored_features(tmp_path, dataset, monkeypatch):
    cache = ResultCache(tmp_path / "cache")
    first = prepare_cached(dataset, cache=cache)
    assert_same(first, prepare(dataset))
    assert entry(cache, dataset).is_dir()

    def no_prepare(*args, **kwargs):
        raise AssertionError("prepared again although stored")

    monkeypatch.setattr(cache_module, "prepare", no_prepare)
    assert_same(prepare_cached(dataset, cache=cache), first)
    # Another split is another entry.
    monkeypatch.undo()
    other = prepare_cached(dataset, split_seed=1, cache=cache)
    assert other.fingerprint != first.fingerprint and entry(cache, dataset, 1).is_dir()


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "X_train.npz").write_bytes(b"not a matrix"),
        lambda folder: (folder / "targets.npz").unlink(),
        lambda folder: (folder / "manifest.json").write_text("{"),
        lambda folder: (folder / "prepared.json").write_text('{"fingerprint": "forged"}'),
    ],
    ids=["corrupt matrix", "missing targets", "broken manifest", "edited record"],
)
def test_a_damaged_entry_is_computed_again(tmp_path, dataset, damage):
    cache = ResultCache(tmp_path / "cache")
    expected = prepare_cached(dataset, cache=cache)
    damage(entry(cache, dataset))
    assert_same(prepare_cached(dataset, cache=cache), expected)
    # ... and stored whole again.
    assert_same(
        cache_module.load_prepared(cache.root / PREPARED_FOLDER, entry(cache, dataset).name),
        expected,
    )


def test_the_baseline_is_fitted_once_and_refitted_when_damaged(tmp_path, monkeypatch):
    from genrebench.experiments import baselines
    from tests.helpers import tiny_prepared

    cache = ResultCache(tmp_path / "cache")
    prepared = tiny_prepared()
    first = baselines.fit_ovr_logreg_cached(prepared, cache)
    fresh = baselines.fit_ovr_logreg(prepared)
    assert (first.C, first.search) == (fresh.C, fresh.search)
    np.testing.assert_array_equal(first.test_scores, fresh.test_scores)

    real_fit = baselines.fit_ovr_logreg
    monkeypatch.setattr(baselines, "fit_ovr_logreg", None)  # calling it would fail
    again = baselines.fit_ovr_logreg_cached(prepared, cache)
    assert (again.C, again.search, again.seconds) == (first.C, first.search, first.seconds)
    assert again.val_scores.dtype == first.val_scores.dtype
    np.testing.assert_array_equal(again.val_scores, first.val_scores)
    np.testing.assert_array_equal(again.test_scores, first.test_scores)

    (entry,) = (cache.root / baselines.BASELINE_FOLDER).iterdir()
    (entry / "scores.npz").write_bytes(b"damaged")
    monkeypatch.setattr(baselines, "fit_ovr_logreg", real_fit)
    refitted = baselines.fit_ovr_logreg_cached(prepared, cache)
    np.testing.assert_array_equal(refitted.test_scores, first.test_scores)


def test_the_baseline_metrics_are_stored_with_it_bit_for_bit(tmp_path):
    import pandas as pd

    from genrebench.experiments.baselines import baseline_with_metrics
    from genrebench.experiments.runs import evaluate
    from tests.helpers import tiny_prepared

    prepared, cache = tiny_prepared(), ResultCache(tmp_path)
    baseline_with_metrics(prepared, cache)  # fits and stores
    fit, metrics = baseline_with_metrics(prepared, cache)  # read back
    expected = evaluate(prepared.Y_val, fit.val_scores, prepared.Y_test, fit.test_scores)
    pd.testing.assert_frame_equal(metrics, expected, check_exact=True)
    assert metrics["value"].to_numpy().tobytes() == expected["value"].to_numpy().tobytes()
