"""Yeast: 2,417 genes, 103 numeric features, 14 functional classes (Elisseeff and Weston, 2001).

Micro-array expression and phylogenetic profiles of yeast genes, each annotated
with about 4.2 of 14 functional classes: the high-cardinality regime. The MULAN
version (OpenML 40597) ships in ``river`` (BSD-3) as ``river/datasets/yeast.csv.gz``.
Its documents have no text: the dataset carries the feature matrix, which
:func:`genrebench.features.featurize` standardises on the training split.
"""

from functools import lru_cache

import numpy as np

from genrebench.data.dataset import DataError, Dataset
from genrebench.data.packaged import packaged_file

YEAST_SOURCE = "river datasets/yeast.csv.gz (MULAN yeast, OpenML 40597; Elisseeff and Weston 2001)"
FEATURE_COLUMNS = tuple(f"Att{i}" for i in range(1, 104))
CLASS_COLUMNS = tuple(f"Class{i}" for i in range(1, 15))


@lru_cache(maxsize=1)
def load_yeast() -> Dataset:
    """The yeast genes: 103 numeric features each, their functional classes as labels.

    Loaded once per process; the returned dataset is immutable.
    """
    import pandas as pd

    path, version = packaged_file("yeast", "river", "river/datasets/yeast.csv.gz")
    table = pd.read_csv(path)
    missing = [c for c in (*FEATURE_COLUMNS, *CLASS_COLUMNS) if c not in table.columns]
    if missing:
        raise DataError(f"{path}: no column {missing[0]!r}; install river {version} again")
    return Dataset(
        texts=(),
        Y=table[list(CLASS_COLUMNS)].to_numpy(),  # 0/1 integers; Dataset checks them
        label_names=CLASS_COLUMNS,
        # The file names no genes: a gene is its row.
        ids=tuple(f"gene{row:04d}" for row in range(len(table))),
        features=table[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float64),
        meta={
            "source": "yeast",
            "document_noun": "gene",
            "label_noun": "class",
            "description": YEAST_SOURCE,
            "licence": (
                "river package: BSD-3-Clause; data: Elisseeff and Weston (2001), "
                "distributed by MULAN for research"
            ),
            "version": f"river {version}",
            "rows_read": len(table),
            "features": len(FEATURE_COLUMNS),
            "dropped": {},
        },
    )
