"""Which dataset the films chapters run on: the films, or your CSV named by environment variables.

Set these before building the book (or starting Jupyter) to re-execute the
films chapters on your own data:

``GENREBENCH_DATA``         path of a CSV file (unset or ``films``: the built-in films)
``GENREBENCH_TEXT_COL``     column holding the text (required with a CSV)
``GENREBENCH_LABELS_COL``   column holding the labels (required with a CSV)
``GENREBENCH_LABEL_SEP``    separator between labels in a cell (default ``,``)
``GENREBENCH_ID_COL``       optional column of unique document ids
"""

import os

from genrebench.data import DataError, Dataset, load_csv, load_films


def dataset_from_env(environ=None) -> Dataset:
    """The films, or the CSV that ``GENREBENCH_DATA`` names (see the module docstring)."""
    environ = os.environ if environ is None else environ
    path = environ.get("GENREBENCH_DATA", "").strip()
    if not path or path == "films":
        return load_films()
    missing = [
        name for name in ("GENREBENCH_TEXT_COL", "GENREBENCH_LABELS_COL") if not environ.get(name)
    ]
    if missing:
        raise DataError(f"GENREBENCH_DATA={path} also needs {' and '.join(missing)} to be set")
    return load_csv(
        path,
        text_col=environ["GENREBENCH_TEXT_COL"],
        labels_col=environ["GENREBENCH_LABELS_COL"],
        label_sep=environ.get("GENREBENCH_LABEL_SEP", ","),
        id_col=environ.get("GENREBENCH_ID_COL") or None,
        empty_labels="drop",
        min_label_count=3,
        rare_labels="drop",
    )
