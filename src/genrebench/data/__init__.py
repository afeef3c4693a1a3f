"""Data: one :class:`Dataset` type, its loaders and splits; nothing here knows of models.

``films`` (the built-in films), ``csv_file`` (your own CSV), ``features_file`` (your own
feature matrix for that CSV), ``synthetic`` (a generator with exact posteriors), ``thread``
(the question's own vectors) and ``sources`` (a dataset named on the command line).
"""

from genrebench.data.csv_file import load_csv
from genrebench.data.dataset import DataError, Dataset, Splits, split
from genrebench.data.films import load_films

__all__ = ["DataError", "Dataset", "Splits", "load_csv", "load_films", "split"]
