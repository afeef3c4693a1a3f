"""Bring-your-own CSV: every good path and every bad input named in the issue."""

import pytest

from genrebench.data import DataError, load_csv


def write(tmp_path, text, name="data.csv", mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


GOOD = """id,synopsis,genres
a,A detective hunts a killer,"Crime,Thriller"
b,Two friends fall in love,"Romance,Comedy"
c,A ship sinks,Drama
d,["odd" synopsis] with brackets,"[""Drama"", ""Romance""]"
"""


def test_a_good_file_loads_with_json_list_cells(tmp_path):
    data = load_csv(write(tmp_path, GOOD), "synopsis", "genres", id_col="id")
    assert data.label_names == ("Comedy", "Crime", "Drama", "Romance", "Thriller")
    assert data.ids == ("a", "b", "c", "d")
    row = dict(zip(data.label_names, data.Y[3], strict=True))
    assert row["Drama"] == 1 and row["Romance"] == 1 and sum(row.values()) == 2
    assert data.meta["source"] == "data.csv"
    assert data.meta["dropped"] == {"no labels": 0, "only rare labels": 0}


def test_other_separators_and_default_ids(tmp_path):
    path = write(tmp_path, "text;labels\nfirst doc;x|y\nsecond doc;y\n")
    with pytest.raises(DataError, match=r"no column"):
        load_csv(path, "text", "labels", label_sep="|")
    path = write(tmp_path, "text,labels\nfirst doc,x|y\nsecond doc,y\n")
    data = load_csv(path, "text", "labels", label_sep="|")
    assert data.ids == ("1", "2") and data.Y.tolist() == [[1, 1], [0, 1]]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        load_csv(tmp_path / "nope.csv", "text", "labels")


@pytest.mark.parametrize("column", ["text", "labels"])
def test_missing_column_lists_the_columns(tmp_path, column):
    path = write(tmp_path, "body,tags\nsome text,a\n")
    kwargs = {"text_col": "body", "labels_col": "tags", column + "_col": column}
    with pytest.raises(DataError, match=r"no column '" + column + r"'.*\['body', 'tags'\]"):
        load_csv(path, **kwargs)


def test_empty_text_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "text,labels\nfine,a\n   ,b\n")
    with pytest.raises(DataError, match=r"data\.csv: row 2, column 'text': empty text"):
        load_csv(path, "text", "labels")


def test_rows_without_labels_error_or_are_dropped_and_counted(tmp_path):
    path = write(tmp_path, 'text,labels\none,a\ntwo,\nthree,b\nfour,"a,b"\n')
    with pytest.raises(DataError, match=r"row 2, column 'labels': no labels"):
        load_csv(path, "text", "labels")
    data = load_csv(path, "text", "labels", empty_labels="drop")
    assert len(data) == 3 and data.meta["dropped"]["no labels"] == 1


def test_non_utf8_bytes_name_the_file_and_line(tmp_path):
    path = write(tmp_path, b"text,labels\nok,a\ncaf\xe9,b\n", mode="wb")
    with pytest.raises(DataError, match=r"data\.csv: line 3 is not valid utf-8"):
        load_csv(path, "text", "labels")


def test_duplicate_ids(tmp_path):
    path = write(tmp_path, "id,text,labels\nx,one,a\ny,two,b\nx,three,a\n")
    with pytest.raises(DataError, match=r"column 'id': duplicate id 'x' \(rows 1 and 3"):
        load_csv(path, "text", "labels", id_col="id")


def test_rare_labels_error_or_are_dropped_with_a_note(tmp_path):
    path = write(tmp_path, 'text,labels\none,"a,rare"\ntwo,b\nthree,"a,b"\nfour,rare2\n')
    with pytest.raises(DataError, match=r"fewer than 2 rows: 'rare' \(1\), 'rare2' \(1\)"):
        load_csv(path, "text", "labels", min_label_count=2)
    data = load_csv(path, "text", "labels", min_label_count=2, rare_labels="drop")
    assert data.label_names == ("a", "b")
    assert data.meta["dropped_labels"] == ["rare", "rare2"]
    assert data.meta["dropped"]["only rare labels"] == 1 and len(data) == 3


def test_fewer_than_two_labels(tmp_path):
    path = write(tmp_path, "text,labels\none,a\ntwo,a\n")
    with pytest.raises(DataError, match="1 distinct label"):
        load_csv(path, "text", "labels")


def test_unknown_label_separator_is_reported(tmp_path):
    path = write(tmp_path, "text,labels\none,a;b\ntwo,b\n")
    with pytest.raises(DataError, match=r"never contains the label separator ','.*label_sep=';'"):
        load_csv(path, "text", "labels")


def test_bad_policy_values(tmp_path):
    with pytest.raises(DataError, match="empty_labels"):
        load_csv(write(tmp_path, GOOD), "synopsis", "genres", empty_labels="skip")


def test_loading_writes_nothing(tmp_path):
    path = write(tmp_path, "text,labels\nfine,a\n   ,b\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DataError):
        load_csv(path, "text", "labels")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
