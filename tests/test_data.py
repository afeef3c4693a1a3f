"""The films loader, the Dataset type and the stratified splits."""

import numpy as np
import pytest

from genrebench.data import DataError, Dataset, load_films, split


@pytest.fixture(scope="module")
def films():
    return load_films()


def test_films_match_the_published_description(films):
    # DESIGN.md: 17,472 films, 443 without a genre, 21 genres, about two per film,
    # Drama on about half of them and Music on about 0.2 %.
    assert films.meta["rows_read"] == 17472
    assert films.meta["dropped"] == {"no genre": 443}
    assert len(films) == 17472 - 443
    assert len(films.label_names) == 21
    assert 1.9 < films.summary()["mean_cardinality"] < 2.2
    share = films.label_frequencies() / len(films)
    assert share.index[0] == "Drama" and 0.50 < share["Drama"] < 0.54
    assert 0.001 < share["Music"] < 0.003
    assert films.cardinality().min() == 1
    assert len(set(films.ids)) == len(films)  # unique, although two imdbIDs repeat in the table
    assert films.meta["version"].startswith("bokeh-sampledata ")


def test_films_text_keeps_whole_names_as_tokens(films):
    text = films.texts[films.ids.index("omdb372")]  # "We Live in Public", dir. Ondi Timoner
    assert "We Live in Public" in text
    assert "director_ondi_timoner" in text and "Ondi Timoner" in text
    assert "language_english" in text


def test_films_fingerprint_is_stable_and_sensitive(films):
    assert films.fingerprint == load_films().fingerprint
    assert len(films.fingerprint) == 64
    changed = films.subset(range(100))
    assert changed.fingerprint != films.fingerprint
    assert changed.meta["parent_fingerprint"] == films.fingerprint


def test_dataset_is_immutable_and_validated():
    data = Dataset(
        texts=("a", "b"), Y=np.array([[1, 0], [0, 1]]), label_names=("x", "y"), ids=("1", "2")
    )
    with pytest.raises(ValueError):
        data.Y[0, 0] = 0
    with pytest.raises(DataError, match="shape"):
        Dataset(texts=("a",), Y=np.array([[1, 0]]), label_names=("x",), ids=("1",))
    with pytest.raises(DataError, match="multi-hot"):
        Dataset(texts=("a",), Y=np.array([[2, 0]]), label_names=("x", "y"), ids=("1",))


def test_summaries_are_consistent(films):
    cooccurrence = films.cooccurrence()
    assert np.array_equal(np.diag(cooccurrence), films.Y.sum(axis=0))
    lift = films.lift()
    assert np.isnan(np.diag(lift)).all()
    np.testing.assert_allclose(lift.to_numpy(), lift.to_numpy().T, equal_nan=True)
    summary = films.summary()
    assert summary["label_density"] == pytest.approx(summary["mean_cardinality"] / 21)


def test_split_is_deterministic_disjoint_and_stratified(films):
    first, second = split(films, seed=0), split(films, seed=0)
    assert first.test.ids == second.test.ids and first.val.ids == second.val.ids
    parts = [set(first.train.ids), set(first.val.ids), set(first.test.ids)]
    assert sum(map(len, parts)) == len(films) == len(set().union(*parts))
    assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])
    assert len(first.test) / len(films) == pytest.approx(0.2, abs=0.01)
    assert len(first.val) / len(films) == pytest.approx(0.1, abs=0.01)
    enough = films.Y.sum(axis=0) >= 3
    for part in (first.train, first.val, first.test):
        assert (part.Y.sum(axis=0)[enough] > 0).all()
    assert split(films, seed=1).test.ids != first.test.ids


@pytest.mark.parametrize(("test", "val"), [(0, 0.1), (0.5, 0.5), (0.2, -0.1)])
def test_split_rejects_bad_fractions(films, test, val):
    with pytest.raises(DataError, match="sum to less than one"):
        split(films, test=test, val=val)


# --- Numeric datasets: features instead of texts ----------------------------------------------


def _numeric(features, Y=((1, 0), (0, 1), (1, 1))) -> Dataset:
    return Dataset(
        texts=(), Y=np.array(Y), label_names=("x", "y"), ids=("a", "b", "c"), features=features
    )


def test_text_fingerprint_is_the_formula_it_always_was():
    """Adding numeric features to Dataset must leave every text dataset's fingerprint (and so
    every cached result keyed by it) unchanged."""
    import hashlib
    import json

    data = Dataset(
        texts=("a b", "c"), Y=np.array([[1, 0], [0, 1]]), label_names=("x", "y"), ids=("1", "2")
    )
    digest = hashlib.sha256()
    for part in (("1", "2"), ("x", "y"), ("a b", "c")):
        digest.update(json.dumps(part, ensure_ascii=False).encode())
    digest.update(np.array([[1, 0], [0, 1]], dtype=np.uint8).tobytes())
    assert data.fingerprint == digest.hexdigest()
    assert data.features is None


def test_numeric_features_are_fingerprinted_subset_and_read_only():
    features = np.arange(6, dtype=float).reshape(3, 2)
    data = _numeric(features)
    assert len(data) == 3 and data.texts == ()
    assert data.fingerprint == _numeric(features.copy()).fingerprint
    nudged = features.copy()
    nudged[2, 1] += 1e-12
    assert _numeric(nudged).fingerprint != data.fingerprint
    assert _numeric(features[:, :1]).fingerprint != data.fingerprint
    with pytest.raises(ValueError):
        data.features[0, 0] = 1.0
    part = data.subset([2, 0])
    assert part.ids == ("c", "a") and np.array_equal(part.features, features[[2, 0]])
    assert part.meta["parent_fingerprint"] == data.fingerprint


def test_numeric_features_are_validated():
    with pytest.raises(DataError, match="texts or features, not both"):
        Dataset(
            texts=("t",) * 3,
            Y=np.eye(3, 2),
            label_names=("x", "y"),
            ids=("a", "b", "c"),
            features=np.zeros((3, 2)),
        )
    with pytest.raises(DataError, match="features have shape"):
        _numeric(np.zeros((2, 2)))
    with pytest.raises(DataError, match="finite"):
        _numeric(np.array([[0.0], [np.nan], [1.0]]))
