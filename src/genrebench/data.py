"""One dataset type for every source: the films, your own CSV, and (via synthetic) generated data.

A :class:`Dataset` holds texts, a multi-hot label matrix, label names, document
ids and metadata (source, version, what was dropped and why, a fingerprint).
Loaders never write anything; on bad input they raise :class:`DataError`, whose
message names the file and, where it applies, the row and column.
"""

import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd


class DataError(ValueError):
    """Input data that cannot become a :class:`Dataset`; the message says where and what to do."""


@dataclass(frozen=True)
class Dataset:
    """Texts with multi-hot labels. ``Y`` is a read-only uint8 array (documents x labels)."""

    texts: tuple[str, ...]
    Y: np.ndarray
    label_names: tuple[str, ...]
    ids: tuple[str, ...]
    meta: Mapping = field(default_factory=dict)

    def __post_init__(self):
        Y = np.array(self.Y, dtype=np.uint8)
        if Y.ndim != 2 or Y.shape != (len(self.texts), len(self.label_names)):
            raise DataError(
                f"Y has shape {Y.shape}, expected ({len(self.texts)}, {len(self.label_names)})"
            )
        if len(self.ids) != len(self.texts):
            raise DataError(f"{len(self.ids)} ids for {len(self.texts)} texts")
        if not np.isin(Y, (0, 1)).all():
            raise DataError("Y must be multi-hot (0/1)")
        Y.setflags(write=False)
        object.__setattr__(self, "Y", Y)
        object.__setattr__(self, "texts", tuple(self.texts))
        object.__setattr__(self, "label_names", tuple(self.label_names))
        object.__setattr__(self, "ids", tuple(str(i) for i in self.ids))
        meta = dict(self.meta)
        meta.setdefault("fingerprint", self._compute_fingerprint())
        object.__setattr__(self, "meta", MappingProxyType(meta))

    def _compute_fingerprint(self) -> str:
        digest = hashlib.sha256()
        for part in (self.ids, self.label_names, self.texts):
            digest.update(json.dumps(part, ensure_ascii=False).encode())
        digest.update(self.Y.tobytes())
        return digest.hexdigest()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of ids, label names, texts and labels: which data a result was computed on."""
        return self.meta["fingerprint"]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, indices: Sequence[int]) -> "Dataset":
        """The documents at ``indices`` (same labels), remembering the parent's fingerprint."""
        indices = np.asarray(indices, dtype=np.int64)
        meta = {k: v for k, v in self.meta.items() if k != "fingerprint"}
        meta["parent_fingerprint"] = self.fingerprint
        return Dataset(
            texts=tuple(self.texts[i] for i in indices),
            Y=self.Y[indices],
            label_names=self.label_names,
            ids=tuple(self.ids[i] for i in indices),
            meta=meta,
        )

    def label_frequencies(self) -> pd.Series:
        """Documents per label, most frequent first."""
        counts = pd.Series(self.Y.sum(axis=0), index=pd.Index(self.label_names, name="label"))
        return counts.sort_values(ascending=False, kind="stable").rename("documents")

    def cardinality(self) -> np.ndarray:
        """Number of labels of every document."""
        return self.Y.sum(axis=1).astype(np.int64)

    def cooccurrence(self) -> pd.DataFrame:
        """Documents having both labels (diagonal: documents having the label)."""
        counts = self.Y.T.astype(np.int64) @ self.Y.astype(np.int64)
        return pd.DataFrame(counts, index=self.label_names, columns=self.label_names)

    def lift(self) -> pd.DataFrame:
        """Co-occurrence relative to independence: P(a and b) / (P(a) P(b)); NaN on the diagonal."""
        n = len(self)
        joint = self.cooccurrence().to_numpy() / n
        marginal = np.diag(joint)
        with np.errstate(divide="ignore", invalid="ignore"):
            lift = joint / np.outer(marginal, marginal)
        np.fill_diagonal(lift, np.nan)
        return pd.DataFrame(lift, index=self.label_names, columns=self.label_names)

    def summary(self) -> dict:
        """Size, label density and cardinality in one flat dict."""
        cardinality = self.cardinality()
        return {
            "documents": len(self),
            "labels": len(self.label_names),
            "mean_cardinality": float(cardinality.mean()),
            "max_cardinality": int(cardinality.max()) if len(self) else 0,
            "label_density": float(self.Y.mean()) if len(self) else 0.0,
            "distinct_label_sets": len({row.tobytes() for row in self.Y}),
        }


# --- Films -----------------------------------------------------------------------------------

FILMS_SOURCE = "bokeh-sampledata movies.db, table omdb (Wikidata/OMDb film table, CC0)"


def _name_token(role: str, name: str) -> str:
    """A whole person (or place) name as one token, e.g. ``director_ondi_timoner``."""
    slug = re.sub(r"\W+", "_", name.strip().lower()).strip("_")
    return f"{role}_{slug}" if slug else ""


def _people(field_value: str | None) -> list[str]:
    if not field_value:
        return []
    without_notes = re.sub(r"\([^)]*\)", "", field_value)
    return [name.strip() for name in without_notes.split(",") if name.strip()]


def film_text(row: Mapping) -> str:
    """Title words, then person/language/country names both as words and as whole-name tokens."""
    parts = [row.get("Title") or ""]
    for role, column in (("director", "Director"), ("writer", "Writer"), ("cast", "Cast")):
        for person in _people(row.get(column)):
            parts += [person, _name_token(role, person)]
    for role, column in (("language", "Language"), ("country", "Country")):
        for value in _people(row.get(column)):
            parts.append(_name_token(role, value))
    return " ".join(part for part in parts if part)


@lru_cache(maxsize=1)
def load_films() -> Dataset:
    """The Wikidata film table shipped in ``bokeh-sampledata``: credits as text, genres as labels.

    Films without a genre are dropped (and counted in ``meta``). Loaded once per
    process; the returned dataset is immutable.
    """
    import sqlite3

    from bokeh_sampledata.movies_data import movie_path

    columns = [
        "ID",
        "imdbID",
        "Title",
        "Director",
        "Writer",
        "Cast",
        "Language",
        "Country",
        "Genre",
    ]
    query = "SELECT " + ", ".join(f'"{c}"' for c in columns) + " FROM omdb ORDER BY ID"
    with sqlite3.connect(f"file:{movie_path}?mode=ro", uri=True) as connection:
        rows = [dict(zip(columns, values, strict=True)) for values in connection.execute(query)]
    genres_per_film = [
        [g.strip() for g in (row["Genre"] or "").split(",") if g.strip()] for row in rows
    ]
    kept = [i for i, genres in enumerate(genres_per_film) if genres]
    label_names = tuple(sorted({g for i in kept for g in genres_per_film[i]}))
    column_of = {name: j for j, name in enumerate(label_names)}
    Y = np.zeros((len(kept), len(label_names)), dtype=np.uint8)
    for row_index, film in enumerate(kept):
        Y[row_index, [column_of[g] for g in genres_per_film[film]]] = 1
    return Dataset(
        texts=tuple(film_text(rows[i]) for i in kept),
        Y=Y,
        label_names=label_names,
        # The table's own ID: two pairs of films share an imdbID in this table.
        ids=tuple(f"omdb{rows[i]['ID']}" for i in kept),
        meta={
            "source": "films",
            "description": FILMS_SOURCE,
            "licence": "CC0 1.0",
            "version": f"bokeh-sampledata {metadata.version('bokeh-sampledata')}",
            "rows_read": len(rows),
            "dropped": {"no genre": len(rows) - len(kept)},
        },
    )


# --- Your own CSV ------------------------------------------------------------------------------

_OTHER_SEPARATORS = (",", ";", "|", "/", "\t")


def _parse_labels(cell: str, label_sep: str, where: str) -> list[str]:
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataError(
                f"{where}: labels cell looks like a JSON list but is not ({error})"
            ) from None
        if not isinstance(values, list):
            raise DataError(f"{where}: labels cell must be a JSON list of strings")
        labels = [str(value).strip() for value in values]
    else:
        labels = [label.strip() for label in text.split(label_sep)]
    return list(dict.fromkeys(label for label in labels if label))


def load_csv(
    path: str | Path,
    text_col: str,
    labels_col: str,
    label_sep: str = ",",
    id_col: str | None = None,
    *,
    empty_labels: str = "error",
    min_label_count: int = 1,
    rare_labels: str = "error",
    encoding: str = "utf-8",
) -> Dataset:
    """A CSV with a text column and a delimited labels column, checked row by row.

    ``empty_labels`` ("error" or "drop") says what to do with a row without
    labels; ``rare_labels`` ("error" or "drop") with a label seen in fewer than
    ``min_label_count`` rows. A labels cell written as a JSON list
    (``["Drama", "Comedy"]``) is accepted. Rows are numbered from 1, the header
    excluded.
    """
    path = Path(path)
    for option, value in (("empty_labels", empty_labels), ("rare_labels", rare_labels)):
        if value not in ("error", "drop"):
            raise DataError(f"{option} must be 'error' or 'drop', got {value!r}")
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    raw = path.read_bytes()
    try:
        content = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            f"{path}: line {line} is not valid {encoding} (byte 0x{raw[error.start]:02x}); "
            f"re-save the file as UTF-8 or pass encoding="
        ) from None
    try:
        frame = pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{path}: not a readable CSV ({error})") from None
    for option, column in (("text_col", text_col), ("labels_col", labels_col), ("id_col", id_col)):
        if column is not None and column not in frame.columns:
            raise DataError(
                f"{path}: no column {column!r} ({option}); the columns are {list(frame.columns)}"
            )
    if frame.empty:
        raise DataError(f"{path}: no data rows")

    if not frame[labels_col].str.contains(label_sep, regex=False).any():
        for other in _OTHER_SEPARATORS:
            if other != label_sep and frame[labels_col].str.contains(other, regex=False).any():
                if not frame[labels_col].str.strip().str.startswith("[").all():
                    raise DataError(
                        f"{path}: column {labels_col!r} never contains the label separator "
                        f"{label_sep!r} but contains {other!r}; pass label_sep={other!r}"
                    )

    texts, label_lists, ids, dropped_empty = [], [], [], []
    for position, record in enumerate(frame.to_dict("records"), start=1):
        where = f"{path}: row {position}"
        text = record[text_col].strip()
        if not text:
            raise DataError(f"{where}, column {text_col!r}: empty text")
        labels = _parse_labels(record[labels_col], label_sep, f"{where}, column {labels_col!r}")
        if not labels:
            if empty_labels == "error":
                raise DataError(
                    f"{where}, column {labels_col!r}: no labels (pass empty_labels='drop' to skip)"
                )
            dropped_empty.append(position)
            continue
        texts.append(text)
        label_lists.append(labels)
        ids.append(record[id_col].strip() if id_col else str(position))

    if id_col:
        seen = {}
        for row_position, doc_id in enumerate(ids, start=1):
            if doc_id in seen:
                raise DataError(
                    f"{path}: column {id_col!r}: duplicate id {doc_id!r} (rows {seen[doc_id]} "
                    f"and {row_position} of the kept rows)"
                )
            seen[doc_id] = row_position

    counts = pd.Series([label for labels in label_lists for label in labels]).value_counts()
    rare = sorted(counts[counts < min_label_count].index)
    dropped_rare_rows = 0
    if rare:
        if rare_labels == "error":
            detail = ", ".join(f"{label!r} ({counts[label]})" for label in rare)
            raise DataError(
                f"{path}: column {labels_col!r}: labels seen in fewer than {min_label_count} rows: "
                f"{detail}; pass rare_labels='drop' to remove them"
            )
        keep_rows = []
        for index, labels in enumerate(label_lists):
            label_lists[index] = [label for label in labels if label not in rare]
            if label_lists[index]:
                keep_rows.append(index)
        dropped_rare_rows = len(label_lists) - len(keep_rows)
        texts = [texts[i] for i in keep_rows]
        ids = [ids[i] for i in keep_rows]
        label_lists = [label_lists[i] for i in keep_rows]

    label_names = tuple(sorted({label for labels in label_lists for label in labels}))
    if len(label_names) < 2:
        raise DataError(
            f"{path}: column {labels_col!r} has {len(label_names)} distinct label(s); "
            "multi-label classification needs at least two"
        )
    column_of = {name: j for j, name in enumerate(label_names)}
    Y = np.zeros((len(texts), len(label_names)), dtype=np.uint8)
    for row, labels in enumerate(label_lists):
        Y[row, [column_of[label] for label in labels]] = 1
    return Dataset(
        texts=tuple(texts),
        Y=Y,
        label_names=label_names,
        ids=tuple(ids),
        meta={
            "source": path.name,
            "path": str(path),
            "rows_read": len(frame),
            "dropped": {
                "no labels": len(dropped_empty),
                "only rare labels": dropped_rare_rows,
            },
            "dropped_labels": rare,
        },
    )


# --- Splits --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Splits:
    train: Dataset
    val: Dataset
    test: Dataset


def split(dataset: Dataset, test: float = 0.2, val: float = 0.1, seed: int = 0) -> Splits:
    """Train/validation/test by iterative multi-label stratification (Sechidis et al., 2011).

    Deterministic for a seed. Test is split off first, then validation from the
    rest, each preserving every label's share as closely as the method allows.
    """
    from iterstrat.ml_stratifiers import MultilabelStratifiedShuffleSplit

    if not (0 < test < 1 and 0 < val < 1 and test + val < 1):
        raise DataError(f"test={test} and val={val} must be positive and sum to less than one")
    if len(dataset) < 10:
        raise DataError(f"{len(dataset)} documents are too few to split")
    X = np.zeros((len(dataset), 1))
    first = MultilabelStratifiedShuffleSplit(n_splits=1, test_size=test, random_state=seed)
    rest, test_rows = next(first.split(X, dataset.Y))
    second = MultilabelStratifiedShuffleSplit(
        n_splits=1, test_size=val / (1 - test), random_state=seed + 1
    )
    train_in_rest, val_in_rest = next(second.split(X[rest], dataset.Y[rest]))
    return Splits(
        train=dataset.subset(np.sort(rest[train_in_rest])),
        val=dataset.subset(np.sort(rest[val_in_rest])),
        test=dataset.subset(np.sort(test_rows)),
    )
