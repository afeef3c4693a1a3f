"""Which dataset to run on: a built-in one or your CSV, named on the command line or in the
environment.

The built-in datasets (:data:`BUILT_IN`) are the films, MovieLens genres and yeast; the
last two need the packages of the ``datasets`` extra. The command line
(``genrebench run --data my.csv --text-col ... --labels-col ...``, or ``--data yeast``)
and the book read data the same way, through :func:`load_source`. To
re-execute the films chapters on your own data, set these before building the
book (or starting Jupyter):

``GENREBENCH_DATA``         path of a CSV file, or a built-in name (unset: the films)
``GENREBENCH_TEXT_COL``     column holding the text (required with a CSV)
``GENREBENCH_LABELS_COL``   column holding the labels (required with a CSV)
``GENREBENCH_LABEL_SEP``    separator between labels in a cell (default ``,``)
``GENREBENCH_ID_COL``       optional column of unique document ids

Rows without labels are skipped, and labels on fewer than
:data:`MIN_LABEL_COUNT` rows are dropped (too rare to appear in every split);
the dataset's ``meta["dropped"]`` says how many.
"""

import os

from genrebench.data.csv_file import load_csv
from genrebench.data.dataset import DataError, Dataset
from genrebench.data.films import load_films
from genrebench.data.movielens import load_movielens
from genrebench.data.yeast import load_yeast

#: A label needs this many documents to be kept: one each for training, validation and test.
MIN_LABEL_COUNT = 3

#: The datasets named rather than read from a path: name -> loader.
BUILT_IN = {"films": load_films, "movielens": load_movielens, "yeast": load_yeast}


def load_source(
    data: str,
    text_col: str | None = None,
    labels_col: str | None = None,
    label_sep: str = ",",
    id_col: str | None = None,
    option_names: dict | None = None,
) -> Dataset:
    """The built-in dataset named ``data`` (:data:`BUILT_IN`; empty: the films), else the CSV
    at ``data`` read with these columns.

    ``option_names`` maps each parameter to the name the user knows it by
    (a command-line flag or an environment variable), for error messages.
    """
    names = {"text_col": "text_col", "labels_col": "labels_col", **(option_names or {})}
    data = str(data).strip()
    if not data:
        return load_films()
    if data in BUILT_IN:
        return BUILT_IN[data]()
    given = {"text_col": text_col, "labels_col": labels_col}
    missing = [names[name] for name, value in given.items() if not value]
    if missing:
        raise DataError(f"{data}: a CSV also needs {' and '.join(missing)}")
    return load_csv(
        data,
        text_col=text_col,
        labels_col=labels_col,
        label_sep=label_sep,
        id_col=id_col or None,
        empty_labels="drop",
        min_label_count=MIN_LABEL_COUNT,
        rare_labels="drop",
    )


def dataset_from_env(environ=None) -> Dataset:
    """The dataset that ``GENREBENCH_DATA`` names (see the module docstring)."""
    environ = os.environ if environ is None else environ
    return load_source(
        environ.get("GENREBENCH_DATA", ""),
        text_col=environ.get("GENREBENCH_TEXT_COL"),
        labels_col=environ.get("GENREBENCH_LABELS_COL"),
        label_sep=environ.get("GENREBENCH_LABEL_SEP", ","),
        id_col=environ.get("GENREBENCH_ID_COL"),
        option_names={"text_col": "GENREBENCH_TEXT_COL", "labels_col": "GENREBENCH_LABELS_COL"},
    )


def built_in_table():
    """One row per built-in dataset, as the data chapter lists them: size, labels, where the
    data come from, the package version read and its terms (a pandas DataFrame)."""
    import pandas as pd

    rows = []
    for name, loader in BUILT_IN.items():
        dataset = loader()
        rows.append(
            {
                "dataset": name,
                "documents": f"{len(dataset):,} {dataset.meta['document_noun']}s",
                "labels": len(dataset.label_names),
                "labels per document": round(float(dataset.cardinality().mean()), 2),
                "source": dataset.meta["description"],
                "read from": dataset.meta["version"],
                "terms": dataset.meta["licence"],
                "fingerprint": dataset.fingerprint[:12],
            }
        )
    return pd.DataFrame(rows).set_index("dataset")
