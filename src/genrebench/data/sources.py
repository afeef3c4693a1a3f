"""Which dataset to run on: a built-in one or your CSV, named on the command line.

The built-in datasets (:data:`BUILT_IN`) are the films, MovieLens genres and yeast; the
last two need the packages of the ``datasets`` extra. The command line
(``genrebench run --data my.csv --text-col ... --labels-col ...``, or ``--data yeast``)
reads data through :func:`load_source`; the book and the command study a built-in
dataset as :func:`genrebench.experiments.protocol.load_built_in` returns it.

Rows without labels are skipped, and labels on fewer than
:data:`MIN_LABEL_COUNT` rows are dropped (too rare to appear in every split);
the dataset's ``meta["dropped"]`` says how many.
"""

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
    features: str | None = None,
) -> Dataset:
    """The built-in dataset named ``data`` (:data:`BUILT_IN`; empty: the films), else the CSV
    at ``data`` read with these columns; with ``features`` (a file of numeric features, see
    :mod:`genrebench.data.features_file`), those in place of a text column.

    ``option_names`` maps each parameter to the name the user knows it by
    (a command-line flag or an environment variable), for error messages.
    """
    names = {"text_col": "text_col", "labels_col": "labels_col", **(option_names or {})}
    data = str(data).strip()
    if not data:
        return load_films()
    if data in BUILT_IN:
        return BUILT_IN[data]()
    given = (
        {"labels_col": labels_col} if features else {"text_col": text_col, "labels_col": labels_col}
    )
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
        features=features or None,
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
