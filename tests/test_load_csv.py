"""Bring-your-own CSV: every good path and every bad input named in the issue."""

import re

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
    expected = r"no column '" + column + r"'.* 2 columns are 'body', 'tags'$"
    with pytest.raises(DataError, match=expected):
        load_csv(path, **kwargs)


def test_missing_column_lists_the_first_columns_and_counts_the_rest(tmp_path):
    header = ",".join(f"c{i}" for i in range(500))
    path = write(tmp_path, header + "\n" + ",".join("x" * 500) + "\n")
    with pytest.raises(DataError) as caught:
        load_csv(path, "text", "c1")
    message = str(caught.value)
    assert "500 columns are 'c0', 'c1'" in message and "and 492 more" in message
    assert len(message) < 300


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
    with pytest.raises(DataError, match=r"column 'id': duplicate id 'x' \(lines 2 and 4 of"):
        load_csv(path, "text", "labels", id_col="id")


def test_duplicate_ids_name_the_files_lines_after_dropped_rows_and_multi_line_cells(tmp_path):
    path = write(
        tmp_path,
        'id,text,labels\nx,one,a\nw,"two\nlines",\ny,"three\nlines",b\nx,four,a\n',
    )
    with pytest.raises(DataError, match=r"duplicate id 'x' \(lines 2 and 7 of the file\)"):
        load_csv(path, "text", "labels", id_col="id", empty_labels="drop")


@pytest.mark.parametrize("separator", [".", "+", ":"])
def test_an_undeclared_separator_is_named(tmp_path, separator):
    rows = ["text,labels", *(f"doc {i},Drama" for i in range(3))]
    rows += [f"x {i},Comedy" for i in range(3)] + [f"both,Drama{separator}Comedy"]
    path = write(tmp_path, "\n".join(rows) + "\n")
    joined = re.escape(f"Drama{separator}Comedy")
    with pytest.raises(DataError, match=f"label '{joined}' is other labels joined by"):
        load_csv(path, "text", "labels")
    with pytest.raises(DataError, match=re.escape(f"pass label_sep='{separator}'")):
        load_csv(path, "text", "labels")


def test_labels_with_inner_punctuation_are_not_taken_for_separators(tmp_path):
    text = 'text,labels\none,Sci-Fi\ntwo,Sci\nthree,"Fi,Rock & Roll"\nfour,Rock\n'
    data = load_csv(write(tmp_path, text), "text", "labels")
    assert "Sci-Fi" in data.label_names and "Rock & Roll" in data.label_names


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('"[""Drama"", ""Comedy"""', "no closing ']'"),
        ('"[""Drama"", [""Comedy""]]"', "holds a list"),
        ('"[""Drama"", null]"', "holds a null"),
        ('"[""Drama"", {""a"": 1}]"', "holds a dict"),
        ('"[""Drama"", true]"', "holds a bool"),
    ],
)
def test_bad_json_label_lists_are_rejected_with_row_and_column(tmp_path, cell, expected):
    path = write(tmp_path, f"text,labels\none,Drama\ntwo,{cell}\n")
    with pytest.raises(DataError, match=r"row 2, column 'labels': .*" + re.escape(expected)):
        load_csv(path, "text", "labels")


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


def test_an_empty_separator_is_a_data_error(tmp_path):
    path = write(tmp_path, "text,labels\none,a\ntwo,b\n")
    with pytest.raises(DataError, match="label_sep must not be empty"):
        load_csv(path, "text", "labels", label_sep="")
