"""The one dataset type of every source, and its train/validation/test splits.

A :class:`Dataset` holds texts (or, for numeric data such as yeast, a feature
matrix instead), a multi-hot label matrix, label names, document ids and
metadata (source, version, what was dropped and why, a fingerprint).
Loaders (:mod:`genrebench.data.films`, :mod:`genrebench.data.csv_file`,
:mod:`genrebench.data.synthetic`) never write anything; on bad input they raise
:class:`DataError`, whose message names the file and, where it applies, the row
and column.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd


class DataError(ValueError):
    """Input data that cannot become a :class:`Dataset`; the message says where and what to do."""


def read_input(path, name: str, kind: str) -> bytes:
    """The bytes of the input file at ``path`` (shown as ``name``; ``kind`` says what it
    should be, "a CSV file"), or a :class:`DataError` saying why not."""
    try:  # a name too long raises even from is_dir()
        if path.is_dir():
            raise DataError(f"{name}: is a folder, not {kind}")
        if not path.is_file():
            raise DataError(f"{name}: file not found")
        return path.read_bytes()
    except OSError as error:
        raise DataError(f"{name}: cannot be read ({error.strerror or error})") from None


@dataclass(frozen=True)
class Dataset:
    """Texts (or numeric features) with multi-hot labels. ``Y`` is a read-only uint8 array
    (documents x labels).

    A numeric dataset passes ``features`` (documents x features, read-only float64) and no
    texts; :func:`genrebench.features.featurize` then standardises the features instead of
    fitting TF-IDF.
    """

    texts: tuple[str, ...]
    Y: np.ndarray
    label_names: tuple[str, ...]
    ids: tuple[str, ...]
    meta: Mapping = field(default_factory=dict)
    features: np.ndarray | None = None

    def __post_init__(self):
        object.__setattr__(self, "texts", tuple(self.texts))
        if self.features is not None:
            self._check_features()
        Y = np.array(self.Y, dtype=np.uint8)
        rows = len(self.texts) if self.features is None else len(self.ids)
        if Y.ndim != 2 or Y.shape != (rows, len(self.label_names)):
            raise DataError(f"Y has shape {Y.shape}, expected ({rows}, {len(self.label_names)})")
        if len(self.ids) != rows:
            raise DataError(f"{len(self.ids)} ids for {rows} texts")
        if not np.isin(Y, (0, 1)).all():
            raise DataError("Y must be multi-hot (0/1)")
        Y.setflags(write=False)
        object.__setattr__(self, "Y", Y)
        object.__setattr__(self, "label_names", tuple(self.label_names))
        object.__setattr__(self, "ids", tuple(str(i) for i in self.ids))
        meta = dict(self.meta)
        meta.setdefault("fingerprint", self._compute_fingerprint())
        object.__setattr__(self, "meta", MappingProxyType(meta))

    def _check_features(self) -> None:
        features = np.array(self.features, dtype=np.float64, order="C")
        if self.texts:
            raise DataError("a dataset holds texts or features, not both")
        if features.ndim != 2 or features.shape[0] != len(self.ids):
            raise DataError(f"features have shape {features.shape}, expected ({len(self.ids)}, n)")
        if not np.isfinite(features).all():
            raise DataError("features must be finite (no NaN or infinity)")
        features.setflags(write=False)
        object.__setattr__(self, "features", features)

    def _compute_fingerprint(self) -> str:
        digest = hashlib.sha256()
        for part in (self.ids, self.label_names, self.texts):
            digest.update(json.dumps(part, ensure_ascii=False).encode())
        digest.update(self.Y.tobytes())
        if self.features is not None:  # text datasets keep the fingerprint they always had
            digest.update(json.dumps(["features", *self.features.shape]).encode())
            digest.update(self.features.tobytes())
        return digest.hexdigest()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of ids, label names, texts (or features) and labels: which data a result was
        computed on."""
        return self.meta["fingerprint"]

    @property
    def nouns(self) -> tuple[str, str]:
        """What one document and one label are called in words (``("film", "genre")`` for the
        films; ``("document", "label")`` unless the loader says otherwise)."""
        return (
            str(self.meta.get("document_noun", "document")),
            str(self.meta.get("label_noun", "label")),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, indices: Sequence[int]) -> "Dataset":
        """The documents at ``indices`` (same labels), remembering the parent's fingerprint."""
        indices = np.asarray(indices, dtype=np.int64)
        meta = {k: v for k, v in self.meta.items() if k != "fingerprint"}
        meta["parent_fingerprint"] = self.fingerprint
        return Dataset(
            texts=tuple(self.texts[i] for i in indices) if self.features is None else (),
            Y=self.Y[indices],
            label_names=self.label_names,
            ids=tuple(self.ids[i] for i in indices),
            meta=meta,
            features=None if self.features is None else self.features[indices],
        )

    def sample(self, n: int, seed: int = 0, min_label_count: int = 3) -> "Dataset":
        """A subsample of about ``n`` documents (iterative stratification lands within a few
        percent) that keeps every label's share as closely as the method allows
        (deterministic for a seed); the whole dataset if it holds no more than ``n``.

        Labels left on fewer than ``min_label_count`` documents (too rare for every split to
        see one) are dropped, then documents left without a label; ``meta["subsample"]``
        records what was asked and what was dropped."""
        from iterstrat.ml_stratifiers import MultilabelStratifiedShuffleSplit

        if n >= len(self):
            return self
        if n < 10:
            raise DataError(f"a subsample of {n} documents is too small to split")
        splitter = MultilabelStratifiedShuffleSplit(
            n_splits=1, train_size=n, test_size=len(self) - n, random_state=seed
        )
        rows, _ = next(splitter.split(np.zeros((len(self), 1)), self.Y))
        rows = np.sort(rows)
        keep = np.flatnonzero(self.Y[rows].sum(axis=0) >= min_label_count)
        rows = rows[self.Y[np.ix_(rows, keep)].any(axis=1)]
        meta = {k: v for k, v in self.meta.items() if k != "fingerprint"}
        meta["parent_fingerprint"] = self.fingerprint
        meta["subsample"] = {
            "documents": int(n),
            "seed": int(seed),
            "labels_dropped": [
                self.label_names[j]
                for j in range(len(self.label_names))
                if j not in set(keep.tolist())
            ],
        }
        return Dataset(
            texts=tuple(self.texts[i] for i in rows) if self.features is None else (),
            Y=self.Y[np.ix_(rows, keep)],
            label_names=tuple(self.label_names[j] for j in keep),
            ids=tuple(self.ids[i] for i in rows),
            meta=meta,
            features=None if self.features is None else self.features[rows],
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


# --- Splits --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Splits:
    train: Dataset
    val: Dataset
    test: Dataset


def plural(noun: str) -> str:
    """The plural of a document or label noun (:attr:`Dataset.nouns`): "films", "genres",
    "classes", "categories"."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


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
    parts = {"training": train_in_rest, "validation": val_in_rest, "test": test_rows}
    empty = [part for part, rows in parts.items() if len(rows) == 0]
    if empty:  # stratifying many rare labels over few documents can leave a part empty
        raise DataError(
            f"split {seed} leaves the {empty[0]} part without documents: "
            f"{len(dataset)} documents are too few for {len(dataset.label_names)} labels; "
            "give more documents or fewer labels"
        )
    return Splits(
        train=dataset.subset(np.sort(rest[train_in_rest])),
        val=dataset.subset(np.sort(rest[val_in_rest])),
        test=dataset.subset(np.sort(test_rows)),
    )
