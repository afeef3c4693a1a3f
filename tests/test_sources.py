"""Which data a run reads: a built-in dataset by name, whole or as the protocol's profile
subsamples it, or a CSV with its columns named."""

import numpy as np
import pytest

from genrebench.data import DataError
from genrebench.data.sources import MIN_LABEL_COUNT, load_source
from genrebench.experiments import protocol


def test_no_name_is_the_films():
    assert load_source("").meta["source"] == "films"
    assert load_source("films").meta["source"] == "films"


def test_a_csv_without_its_columns_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="--text-col and --labels-col"):
        load_source(
            str(tmp_path / "x.csv"),
            option_names={"text_col": "--text-col", "labels_col": "--labels-col"},
        )


def test_a_subsample_keeps_each_labels_share_and_is_deterministic():
    films = load_source("films")
    first, second = films.sample(1500, seed=0), films.sample(1500, seed=0)
    assert first.ids == second.ids and first.fingerprint == second.fingerprint
    assert first.fingerprint != films.fingerprint
    assert 1400 <= len(first) <= 1600
    kept = [films.label_names.index(name) for name in first.label_names]
    share = films.Y[:, kept].mean(axis=0)
    assert np.allclose(first.Y.mean(axis=0), share, atol=0.01)
    assert (first.Y.sum(axis=0) >= MIN_LABEL_COUNT).all() and first.Y.any(axis=1).all()
    assert films.sample(1500, seed=1).ids != first.ids


def test_the_profile_decides_how_much_of_a_built_in_dataset_is_studied():
    dataset = protocol.load_built_in("films")
    limit = protocol.MAX_DOCUMENTS.get("films")
    if limit is None:
        assert len(dataset) == len(load_source("films"))
    else:
        assert len(dataset) <= 1.1 * limit and dataset.meta["subsample"]["documents"] == limit
