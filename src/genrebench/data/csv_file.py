"""Your own CSV: a text column and a delimited labels column, checked row by row.

On bad input :func:`load_csv` raises :class:`~genrebench.data.dataset.DataError`
naming the file, the row and the column.
"""

import csv
import io
import json
import math
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.data.dataset import DataError, Dataset, read_input
from genrebench.files import quoted, shown_path, visible

_OTHER_SEPARATORS = (",", ";", "|", "/", "\t")
#: Characters that join words inside one label name ("Sci-Fi", "Rock & Roll"), never
#: taken for an undeclared separator.
_WORD_JOINERS = frozenset(" -_'&")
#: How many columns a missing-column message lists.
_COLUMNS_SHOWN = 8


def _json_label(value, where: str) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    kind = "null" if value is None else type(value).__name__
    raise DataError(f"{where}: labels cell's JSON list holds a {kind}, not a label name")


def _unwritable(char: str) -> bool:
    """Whether a label may not hold ``char``: a control character (a terminal acts on it) or
    a character XML forbids (a lone surrogate, U+FFFE, U+FFFF), which no SVG or HTML file may
    carry even escaped."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"


def _parse_labels(cell: str, label_sep: str, where: str, renamed: set) -> list[str]:
    """The cell's labels, in NFC form (the forms that were not are added to ``renamed``)."""
    text = cell.strip()
    if text.startswith("[") and not text.endswith("]"):
        raise DataError(f"{where}: labels cell starts a JSON list but has no closing ']'")
    if text.startswith("[") and text.endswith("]"):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataError(
                f"{where}: labels cell looks like a JSON list but is not ({error})"
            ) from None
        except RecursionError:
            raise DataError(f"{where}: labels cell's JSON is nested too deep") from None
        if not isinstance(values, list):
            raise DataError(f"{where}: labels cell must be a JSON list of strings")
        labels = [_json_label(value, where) for value in values]
    else:
        labels = [label.strip() for label in text.split(label_sep)]
    for label in labels:
        odd = [char for char in label if _unwritable(char)]
        if odd:
            raise DataError(
                f"{where}: label {quoted(label)} holds a control character or a lone "
                f"surrogate ({visible(odd[0])}); remove it"
            )
    renamed.update(label for label in labels if not unicodedata.is_normalized("NFC", label))
    labels = [unicodedata.normalize("NFC", label) for label in labels]
    return list(dict.fromkeys(label for label in labels if label))


def _undeclared_separator(labels: set[str]) -> tuple[str, str] | None:
    """A label made of other labels joined by one character, and that character, if any."""
    for label in sorted(labels):
        for char in sorted({c for c in label if not c.isalnum() and c not in _WORD_JOINERS}):
            parts = [part.strip() for part in label.split(char)]
            if len(parts) > 1 and all(part in labels and part != label for part in parts):
                return label, char
    return None


def _bare_carriage_return(content: str) -> int | None:
    """The file line (lines end with line feeds) of a carriage return outside quotes that
    ends no line, if any: CSV readers and editors break the line there, so rows would be
    numbered apart from what an editor shows. A file whose lines all end with a bare
    carriage return has no line feed and is read as it is."""
    if "\n" not in content or "\r" not in content:
        return None
    inside = False
    for match in re.finditer(r'"|\r(?!\r*\n|\r*\Z)', content):
        if match.group() == '"':
            inside = not inside
        elif not inside:
            return content.count("\n", 0, match.start()) + 1
    return None


def _record_lines(content: str) -> list[int]:
    """The file line each record starts on, the header's and blank lines included (a line
    ends with LF, CRLF or CR, as an editor shows it; a quoted cell may span lines)."""
    starts, line, inside = [1], 1, False
    for match in re.finditer(r'"|\r\n|\n|\r', content):
        if match.group() == '"':
            inside = not inside
            continue
        line += 1
        if not inside:
            starts.append(line)
    return starts


def _unreadable(message: str, content: str) -> str:
    """pandas' tokenizer error in this module's words, its record number (which counts a
    multi-line cell as one line) turned into the file line an editor shows."""
    message = message.replace("Error tokenizing data. C error: ", "").strip()
    starts = _record_lines(content)
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields and int(fields[2]) <= len(starts):
        expected, record, seen = map(int, fields.groups())
        return f"line {starts[record - 1]} has {seen} fields where the header has {expected}"
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote and int(quote[1]) < len(starts):
        return f"line {starts[int(quote[1])]} opens a quoted cell that never closes"
    return f"not a readable CSV ({message})"


def _repeated_columns(content: str) -> list[str]:
    """Column names the header gives more than once (pandas would rename the second)."""
    try:
        header = next(csv.reader(io.StringIO(content.removeprefix("\ufeff"))), [])
    except csv.Error:  # a header pandas cannot read either; it says so
        return []
    return sorted({column.strip() for column in header if header.count(column) > 1})


def _row_lines(content: str) -> list[int] | None:
    """The file line each data row starts on (a quoted cell may span lines), if known."""
    starts, line = [], 1
    try:
        reader = csv.reader(io.StringIO(content))
        for row in reader:
            if row:
                starts.append(line)
            line = reader.line_num + 1
    except csv.Error:
        return None
    return starts[1:]


def _columns_text(columns) -> str:
    shown = ", ".join(quoted(column, limit=16) for column in columns[:_COLUMNS_SHOWN])
    more = len(columns) - _COLUMNS_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def load_csv(
    path: str | Path,
    text_col: str | None,
    labels_col: str,
    label_sep: str = ",",
    id_col: str | None = None,
    *,
    empty_labels: str = "error",
    min_label_count: int = 1,
    rare_labels: str = "error",
    encoding: str = "utf-8",
    features: str | Path | None = None,
) -> Dataset:
    """A CSV with a text column and a delimited labels column, checked row by row.

    ``empty_labels`` ("error" or "drop") says what to do with a row without
    labels; ``rare_labels`` ("error" or "drop") with a label seen in fewer than
    ``min_label_count`` rows. A labels cell written as a JSON list
    (``["Drama", "Comedy"]``) is accepted. Rows are numbered from 1, the header
    excluded.

    ``features`` (a path; see :mod:`genrebench.data.features_file`) gives each document
    numeric features in place of its text: ``text_col`` may then be None, and no text is read.
    """
    path = Path(path)
    name = shown_path(path)
    for option, value in (("empty_labels", empty_labels), ("rare_labels", rare_labels)):
        if value not in ("error", "drop"):
            raise DataError(f"{option} must be 'error' or 'drop', got {quoted(value)}")
    if not label_sep:
        raise DataError("label_sep must not be empty")
    if text_col is None and features is None:
        raise DataError("text_col is needed unless features are given")
    raw = read_input(path, name, "a CSV file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{name}: the file is UTF-16; re-save it as UTF-8")
    try:
        content = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            f"{name}: line {line} is not valid {encoding} (byte 0x{raw[error.start]:02x}); "
            "re-save the file as UTF-8"
        ) from None
    if "\x00" in content:
        line = content[: content.index("\x00")].count("\n") + 1
        raise DataError(f"{name}: line {line} holds a NUL byte: is it a text file?")
    line = _bare_carriage_return(content)
    if line is not None:
        raise DataError(
            f"{name}: line {line} holds a carriage return (CR) outside quotes that ends no "
            "line; remove it or quote its cell"
        )
    repeated = _repeated_columns(content)
    if repeated:
        shown = ", ".join(quoted(column, limit=24) for column in repeated[:3])
        raise DataError(f"{name}: the header names {shown} more than once; rename the copies")
    try:
        frame = pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{name}: {_unreadable(str(error), content)}") from None
    for option, column in (("text_col", text_col), ("labels_col", labels_col), ("id_col", id_col)):
        if column is not None and column not in frame.columns:
            raise DataError(
                f"{name}: no column {quoted(column)} ({option}); the {len(frame.columns)} "
                f"columns are {_columns_text(list(frame.columns))}"
            )
    if frame.empty:
        raise DataError(f"{name}: no data rows")

    if not frame[labels_col].str.contains(label_sep, regex=False).any():
        for other in _OTHER_SEPARATORS:
            if other != label_sep and frame[labels_col].str.contains(other, regex=False).any():
                if not frame[labels_col].str.strip().str.startswith("[").all():
                    raise DataError(
                        f"{name}: column {quoted(labels_col)} never contains the label "
                        f"separator {quoted(label_sep)} but contains {quoted(other)}; "
                        f"pass label_sep={quoted(other)}"
                    )

    texts, label_lists, ids, dropped_empty, positions, renamed = [], [], [], [], [], set()
    try:
        for position, record in enumerate(frame.to_dict("records"), start=1):
            where = f"{name}: row {position}"
            text = "" if features is not None else record[text_col].strip()
            if not text and features is None:
                raise DataError(f"{where}, column {quoted(text_col)}: empty text")
            labels = _parse_labels(
                record[labels_col], label_sep, f"{where}, column {quoted(labels_col)}", renamed
            )
            if not labels:
                if empty_labels == "error":
                    raise DataError(
                        f"{where}, column {quoted(labels_col)}: no labels "
                        "(pass empty_labels='drop' to skip)"
                    )
                dropped_empty.append(position)
                continue
            texts.append(text)
            positions.append(position)
            label_lists.append(labels)
            ids.append(record[id_col].strip() if id_col else str(position))
    except DataError as error:  # name the file line too: a quoted cell may span lines
        lines = _row_lines(content)
        known = lines is not None and len(lines) == len(frame)
        note = f" (line {lines[position - 1]} of the file)" if known else ""
        raise DataError(f"{error}{note}") from None

    found = _undeclared_separator({label for labels in label_lists for label in labels})
    if found:
        label, char = found
        raise DataError(
            f"{name}: column {quoted(labels_col)}: label {quoted(label)} is other labels joined by "
            f"{quoted(char)}; pass label_sep={quoted(char)}"
        )

    if id_col:
        seen = {}
        for position, doc_id in zip(positions, ids, strict=True):
            if doc_id in seen:
                lines = _row_lines(content)
                if lines is not None and len(lines) == len(frame):
                    where = f"lines {lines[seen[doc_id] - 1]} and {lines[position - 1]} of the file"
                else:
                    where = f"rows {seen[doc_id]} and {position}"
                raise DataError(
                    f"{name}: column {quoted(id_col)}: duplicate id {quoted(doc_id)} ({where})"
                )
            seen[doc_id] = position

    counts = pd.Series([label for labels in label_lists for label in labels]).value_counts()
    rare = sorted(counts[counts < min_label_count].index)
    dropped_rare_rows = 0
    if rare:
        if rare_labels == "error":
            detail = ", ".join(f"{quoted(label)} ({counts[label]})" for label in rare[:3])
            detail += f" and {len(rare) - 3} more" if len(rare) > 3 else ""
            raise DataError(
                f"{name}: column {quoted(labels_col)}: labels seen in fewer than "
                f"{min_label_count} rows: {detail}; pass rare_labels='drop' to remove them"
            )
        keep_rows = []
        for index, labels in enumerate(label_lists):
            label_lists[index] = [label for label in labels if label not in rare]
            if label_lists[index]:
                keep_rows.append(index)
        dropped_rare_rows = len(label_lists) - len(keep_rows)
        texts = [texts[i] for i in keep_rows]
        ids = [ids[i] for i in keep_rows]
        positions = [positions[i] for i in keep_rows]
        label_lists = [label_lists[i] for i in keep_rows]

    label_names = tuple(sorted({label for labels in label_lists for label in labels}))
    if len(label_names) < 2:
        raise DataError(
            f"{name}: column {quoted(labels_col)} has {len(label_names)} distinct label(s); "
            "multi-label classification needs at least two"
        )
    column_of = {name: j for j, name in enumerate(label_names)}
    Y = np.zeros((len(texts), len(label_names)), dtype=np.uint8)
    for row, labels in enumerate(label_lists):
        Y[row, [column_of[label] for label in labels]] = 1
    matrix, meta = None, {}
    if features is not None:
        from genrebench.data.features_file import read_features

        matrix = read_features(features, positions, len(frame), ids, id_col=id_col)
        texts = []
        meta["features_file"] = {"path": visible(features), "columns": matrix.shape[1]}
    return Dataset(
        texts=tuple(texts),
        Y=Y,
        label_names=label_names,
        ids=tuple(ids),
        features=matrix,
        meta=meta
        | {
            "source": visible(path.name),
            "path": visible(path),
            "rows_read": len(frame),
            "dropped": {
                "no labels": len(dropped_empty),
                "only rare labels": dropped_rare_rows,
            },
            "dropped_labels": rare,
            "normalised_labels": len(renamed),
        },
    )
