"""Property: on any CSV, ``load_csv`` returns a consistent dataset or raises ``DataError``."""

import csv
import io

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from genrebench.data import DataError, load_csv

LABEL_CHARS = st.sampled_from(list("abcXYZ-_ .+:;,|/[]\"'{}$\\\t\r\n0é"))
labels_cell = st.one_of(
    st.lists(st.text(LABEL_CHARS, max_size=6), max_size=4).map(",".join),
    st.text(LABEL_CHARS, max_size=20),
    st.lists(
        st.one_of(st.text(max_size=5), st.none(), st.integers(), st.booleans()), max_size=3
    ).map(lambda values: __import__("json").dumps(values)),
)
rows = st.lists(
    st.tuples(st.text(max_size=4), st.text(max_size=12), labels_cell), min_size=0, max_size=12
)


@st.composite
def plausible_rows(draw, label_sep: str):
    """Rows a user would write: unique ids, words for text, labels from a few names."""
    pool = draw(
        st.lists(
            st.sampled_from(["Drama", "Comedy", "Sci-Fi", "War", "Noir"]),
            min_size=2,
            max_size=5,
            unique=True,
        )
    )
    n = draw(st.integers(1, 15))
    return [
        (
            f"d{i}",
            draw(st.text("abc ", min_size=1, max_size=8)),
            label_sep.join(draw(st.lists(st.sampled_from(pool), max_size=3))),
        )
        for i in range(n)
    ]


def as_csv(header, records) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=rows,
    header=st.sampled_from([("id", "text", "labels"), ("id", "text", "tags"), ("id", "text")]),
    id_col=st.sampled_from([None, "id"]),
    label_sep=st.sampled_from([",", ";", ".", " "]),
    drop=st.booleans(),
    min_count=st.integers(1, 3),
    raw=st.one_of(st.none(), st.binary(max_size=40)),
    plausible=st.booleans(),
    data=st.data(),
)
def test_load_csv_gives_a_consistent_dataset_or_a_data_error(
    tmp_path, records, header, id_col, label_sep, drop, min_count, raw, plausible, data
):
    if plausible:
        records, header, raw = data.draw(plausible_rows(label_sep)), ("id", "text", "labels"), None
    path = tmp_path / "data.csv"
    path.write_bytes(
        raw if raw is not None else as_csv(header, [r[: len(header)] for r in records])
    )
    try:
        data = load_csv(
            path,
            "text",
            "labels",
            label_sep=label_sep,
            id_col=id_col,
            empty_labels="drop" if drop else "error",
            min_label_count=min_count,
            rare_labels="drop" if drop else "error",
        )
    except DataError as error:
        event("DataError")
        assert str(error), "a DataError says what is wrong"
        return
    event("dataset")
    n = len(data.texts)
    assert n >= 1 and data.Y.shape == (n, len(data.label_names)) and len(data.ids) == n
    assert len(data.label_names) >= 2 and len(set(data.label_names)) == len(data.label_names)
    assert set(np.unique(data.Y)) <= {0, 1} and (data.Y.sum(axis=1) >= 1).all()
    assert (data.Y.sum(axis=0) >= min_count).all()
    assert all(text.strip() for text in data.texts)
    assert all(name and name == name.strip() for name in data.label_names)
    if id_col:
        assert len(set(data.ids)) == n
