"""Your own features: a matrix you computed (sentence embeddings, say) in place of TF-IDF.

``genrebench run --data labels.csv --labels-col genres --features vectors.npy`` reads the
labels from the CSV and each document's features from the file, which is one of

- a NumPy ``.npy`` matrix (or an ``.npz`` holding one), one row per data row of the CSV in
  file order (the header excluded, rows without labels included);
- a ``.csv`` or ``.parquet`` table with the ``--id-col`` column and numeric columns,
  joined to the CSV's rows by id (extra rows are ignored).

The models then see the features standardised on each split's training part, as they see
yeast's. On bad input :func:`read_features` raises
:class:`~genrebench.data.dataset.DataError` naming the file and, where it applies, the row
and column, before any training.
"""

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.data.dataset import DataError, read_input
from genrebench.files import quoted, shown_path

#: The extensions read, and what each is.
KINDS = {".npy": "NumPy array", ".npz": "NumPy archive", ".csv": "CSV", ".parquet": "Parquet"}
#: The first bytes of each binary kind.
_MAGIC = {".npy": b"\x93NUMPY", ".npz": b"PK\x03\x04", ".parquet": b"PAR1"}
#: How many missing ids a message lists.
_IDS_SHOWN = 3


def read_features(
    path: str | Path, rows: Sequence[int], rows_read: int, ids: Sequence[str], id_col=None
) -> np.ndarray:
    """The features of the documents kept from the CSV, one row each, as float64.

    ``rows`` are the kept documents' data-row numbers in the CSV (from 1), ``rows_read``
    how many data rows it has, ``ids`` their ids; a table of features is joined on
    ``id_col`` (the CSV's id column), an array by row number.
    """
    path = Path(path)
    name = shown_path(path)
    kind = path.suffix.lower()
    if kind not in KINDS:
        raise DataError(
            f"{name}: features must be a .npy, .npz, .csv or .parquet file, not "
            f"{quoted(path.suffix) if path.suffix else 'a file without an extension'}"
        )
    raw = read_input(path, name, "a features file")
    if kind in _MAGIC and not raw.startswith(_MAGIC[kind]):
        raise DataError(f"{name}: not a {KINDS[kind]} file, whatever its extension says")
    if kind in (".npy", ".npz"):
        matrix = _array(raw, kind, name)
        if len(matrix) != rows_read:
            raise DataError(
                f"{name}: {len(matrix)} rows, but the labels CSV has {rows_read} data rows; "
                "an array needs one row per data row, in file order"
            )
        matrix = matrix[np.asarray(rows, dtype=np.int64) - 1]
        row_names = [str(row) for row in rows]
        columns = [str(j) for j in range(1, matrix.shape[1] + 1)]  # counted from 1
    else:
        if not id_col:
            raise DataError(
                f"{name}: a features table is joined to the labels by id: pass --id-col, the "
                "column both files hold"
            )
        table = _table(raw, kind, name, id_col)
        matrix, row_names, columns = _joined(table, ids, name, id_col)
    _check_finite(matrix, row_names, columns, name)
    return matrix


def _array(raw: bytes, kind: str, name: str) -> np.ndarray:
    """The matrix in a .npy file, or in a .npz archive holding one array."""
    try:
        loaded = np.load(io.BytesIO(raw), allow_pickle=False)
        if kind == ".npz":
            with loaded:
                keys = list(loaded.keys())
                if len(keys) != 1:
                    shown = ", ".join(quoted(key) for key in keys[:5]) or "none"
                    raise DataError(
                        f"{name}: an .npz of features must hold one array; it holds "
                        f"{len(keys)} ({shown})"
                    )
                loaded = loaded[keys[0]]
    except DataError:
        raise
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise DataError(f"{name}: holds Python objects; save a numeric matrix") from None
        raise DataError(f"{name}: not a readable {KINDS[kind]} ({error})") from None
    except (OSError, EOFError) as error:
        raise DataError(f"{name}: not a readable {KINDS[kind]} ({error})") from None
    if loaded.dtype.kind not in "biuf":
        what = "text" if loaded.dtype.kind in "US" else f"{loaded.dtype} values"
        raise DataError(f"{name}: holds {what}, not real numbers")
    if loaded.ndim != 2:
        raise DataError(
            f"{name}: a {loaded.ndim}-D array of shape {loaded.shape}; features are a matrix, "
            "one row per document"
        )
    if loaded.shape[1] == 0:
        raise DataError(f"{name}: the matrix has no columns")
    return np.asarray(loaded, dtype=np.float64)


def _table(raw: bytes, kind: str, name: str, id_col: str) -> pd.DataFrame:
    """The features table, every cell as text (ids stay as written)."""
    if kind == ".parquet":
        try:
            table = pd.read_parquet(io.BytesIO(raw))
        except ImportError:
            raise DataError(
                f"{name}: reading Parquet needs pyarrow: pip install 'genrebench[parquet]'"
            ) from None
        except Exception as error:  # pyarrow's own error types
            raise DataError(f"{name}: not a readable Parquet file ({error})") from None
        table.columns = [str(column) for column in table.columns]
    else:
        if b"\x00" in raw:
            raise DataError(f"{name}: holds NUL bytes: not a CSV file, whatever its extension")
        try:
            text = raw.decode("utf-8-sig")
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except UnicodeDecodeError as error:
            raise DataError(f"{name}: not UTF-8 text ({error.reason})") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise DataError(f"{name}: not a readable CSV ({error})") from None
    if id_col not in table.columns:
        raise DataError(f"{name}: no column {quoted(id_col)} (--id-col) to join the labels on")
    if len(table.columns) < 2:
        raise DataError(f"{name}: no feature columns besides {quoted(id_col)}")
    return table


def _joined(table: pd.DataFrame, ids: Sequence[str], name: str, id_col: str):
    """The table's numeric columns in the order of ``ids``; its row numbers; its columns."""
    table_ids = table[id_col].astype(str).str.strip()
    repeated = table_ids[table_ids.duplicated()]
    if len(repeated):
        raise DataError(
            f"{name}: column {quoted(id_col)}: id {quoted(repeated.iloc[0])} appears more than once"
        )
    position = pd.Series(np.arange(len(table)), index=table_ids.to_numpy())
    missing = [doc_id for doc_id in ids if doc_id not in position.index]
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        raise DataError(
            f"{name}: no row for id {quoted(missing[0])}{more} of the labels CSV "
            f"({len(missing)} of {len(ids)} missing)"
        )
    order = position.loc[list(ids)].to_numpy()
    columns = [column for column in table.columns if column != id_col]
    values = table[columns].iloc[order]
    shown = [quoted(column) for column in columns]
    matrix = np.empty(values.shape, dtype=np.float64)
    for j, column in enumerate(columns):
        cells = values[column]
        if pd.api.types.is_bool_dtype(cells) or pd.api.types.is_numeric_dtype(cells):
            numbers = cells.astype(np.float64)
        elif pd.api.types.is_string_dtype(cells) or cells.dtype == object:
            # Text cells (every cell of a CSV): an empty or non-numeric one is named.
            numbers = pd.to_numeric(cells.astype(str), errors="coerce")
            spelled_nan = cells.astype(str).str.strip().str.lower() == "nan"
            bad = (numbers.isna() & ~spelled_nan).to_numpy()
            if bad.any():
                at = int(np.flatnonzero(bad)[0])
                cell = str(cells.iloc[at])
                raise DataError(
                    f"{name}: row {order[at] + 1}, column {quoted(column)}: "
                    f"{quoted(cell) if cell.strip() else 'an empty cell'} is not a number"
                )
        else:
            raise DataError(f"{name}: column {quoted(column)} holds {cells.dtype}, not numbers")
        matrix[:, j] = numbers.to_numpy(dtype=np.float64)
    return matrix, [str(row + 1) for row in order], shown


def _check_finite(matrix: np.ndarray, rows: list[str], columns: list[str], name: str) -> None:
    """Refuse the first NaN or infinity, by row and column as the message names them."""
    bad = ~np.isfinite(matrix)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        value = matrix[row, column]
        what = "NaN" if np.isnan(value) else ("infinity" if value > 0 else "-infinity")
        raise DataError(
            f"{name}: row {rows[row]}, column {columns[column]}: {what}; features must be finite"
        )
