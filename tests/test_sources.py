"""The films chapters can be pointed at a reader's CSV through environment variables."""

import pytest

from genrebench.data import DataError
from genrebench.data.sources import dataset_from_env


def test_default_is_the_films():
    assert dataset_from_env({}).meta["source"] == "films"
    assert dataset_from_env({"GENREBENCH_DATA": "films"}).meta["source"] == "films"


def test_a_csv_named_in_the_environment(tmp_path):
    rows = "".join(f'doc {i} text,"a,{"b" if i % 2 else "c"}"\n' for i in range(12))
    path = tmp_path / "mine.csv"
    path.write_text("synopsis,genres\n" + rows)
    data = dataset_from_env(
        {
            "GENREBENCH_DATA": str(path),
            "GENREBENCH_TEXT_COL": "synopsis",
            "GENREBENCH_LABELS_COL": "genres",
        }
    )
    assert data.meta["source"] == "mine.csv"
    assert data.label_names == ("a", "b", "c") and len(data) == 12


def test_a_csv_without_its_columns_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="GENREBENCH_TEXT_COL and GENREBENCH_LABELS_COL"):
        dataset_from_env({"GENREBENCH_DATA": str(tmp_path / "x.csv")})
