"""The heads study on several random data splits of one dataset: what the verdicts rest on.

One split and several training seeds measure how much a result moves when only the
initialisation and the batch order change. A different split also changes which
documents train, tune and test the models, and which settings the search picks. The
protocol (:mod:`genrebench.experiments.protocol`) therefore runs the whole heads study,
search included, on every split of :data:`~genrebench.experiments.protocol.SPLITS`, with the
training seeds of :data:`~genrebench.experiments.protocol.SPLIT_SEEDS` on each: each split
chooses its own settings on its own validation part, with the same search for every head.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.cache import ResultCache, prepare_cached
from genrebench.experiments.study import HeadsStudy, run_family_study, run_heads_study


@dataclass
class SplitStudy:
    """The heads study of every split of one dataset. Only the first split's study keeps its
    runs' scores (for the figures drawn from one study); on the others each run keeps its
    record and metrics (a chapter holding three datasets x five splits of scores passed
    the 2 GB memory budget)."""

    dataset: str  # the dataset's name (a built-in one, or the CSV's)
    studies: dict[int, HeadsStudy]  # by split seed
    documents: dict[str, int]  # documents in train, val and test (split 0; the others match)

    @property
    def splits(self) -> tuple[int, ...]:
        return tuple(self.studies)

    @property
    def test_to_train(self) -> float:
        """Test documents per training document: the correction of the split interval."""
        return self.documents["test"] / self.documents["train"]

    @property
    def metrics(self) -> pd.DataFrame:
        """Test rows of every split's reported runs (column ``split_seed`` says which)."""
        return pd.concat([study.metrics for study in self.studies.values()], ignore_index=True)

    @property
    def baseline_metrics(self) -> pd.DataFrame:
        """Test rows of the scikit-learn baseline on every split."""
        return pd.concat(
            [
                study.baseline_metrics.assign(split_seed=split, train_seed=0)
                for split, study in self.studies.items()
            ],
            ignore_index=True,
        )

    @property
    def selected(self) -> pd.DataFrame:
        """Each split's chosen settings: one row per split and head, with ``edge`` naming the
        edges of the (final) grid the choice lies on and ``on_edge`` true when there is one,
        and ``extensions`` the number of times the split's grid grew."""
        return pd.concat(
            [
                study.selected.assign(
                    split_seed=split,
                    on_edge=study.selected["edge"] != "",
                    extensions=study.grid.get("extensions", 0),
                )
                for split, study in self.studies.items()
            ],
            ignore_index=True,
        )

    @property
    def diverged(self) -> tuple[str, ...]:
        return tuple(
            f"split {split}: {line}"
            for split, study in self.studies.items()
            for line in study.diverged
        )


def run_split_study(
    dataset,
    cache: ResultCache | None = None,
    splits: Sequence[int] = protocol.SPLITS,
    seeds: Sequence[int] = protocol.SPLIT_SEEDS,
    heads: Sequence[str] = protocol.HEADS,
    learning_rates: Sequence[float] = protocol.SEARCH_LEARNING_RATES,
    snapshot_epochs: Sequence[int] = protocol.SNAPSHOT_EPOCHS,
    name: str | None = None,
    progress: bool | None = None,
    backend=None,
    extend: int = protocol.MAX_GRID_EXTENSIONS,
    batch_size: int | None = None,
) -> SplitStudy:
    """Run (or read from the cache) the heads study on every split of ``dataset``.

    Each split is prepared (features fitted on its own training part), searched and
    trained with every seed exactly as :func:`~genrebench.experiments.study.run_heads_study`
    does on one; ``name`` (default: the dataset's source) names the dataset in tables.
    ``batch_size`` defaults to the protocol's for the size of the training part.
    """
    splits, seeds = tuple(splits), tuple(seeds)
    if len(splits) < 2 or len(set(splits)) != len(splits):
        raise ValueError(f"need at least two distinct data splits, got {list(splits)}")
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"need at least two distinct training seeds, got {list(seeds)}")
    cache = cache or ResultCache()
    studies, documents = {}, None
    for split in splits:
        prepared = prepare_cached(dataset, split_seed=split, cache=cache)
        documents = documents or dict(prepared.info["documents"])
        study = run_heads_study(
            prepared,
            cache,
            heads=heads,
            seeds=seeds,
            learning_rates=learning_rates,
            snapshot_epochs=snapshot_epochs,
            batch_size=batch_size,
            progress=progress,
            backend=backend,
            label=f"split {split}: ",
            extend=extend,
        )
        if studies:  # not the first split: its metrics are all that is read
            study = replace(study, runs=[replace(run, scores={}) for run in study.runs])
        studies[split] = study
    return SplitStudy(
        dataset=name or str(dataset.meta.get("source", "dataset")),
        studies=studies,
        documents=documents,
    )


def run_family_split_study(
    dataset,
    primary: SplitStudy,
    cache: ResultCache | None = None,
    heads: Sequence[str] = protocol.FAMILY,
    seeds: Sequence[int] = protocol.SPLIT_SEEDS,
    progress: bool | None = None,
    backend=None,
) -> SplitStudy:
    """The loss family on every split of ``primary`` (a split study of ``dataset``): on each
    split, :func:`~genrebench.experiments.study.run_family_study` on the grid that split's
    primary search settled on, with the same seeds. Runs the primary study already made are
    read from the cache, not trained again. Only metrics are kept (no scores)."""
    cache = cache or ResultCache()
    studies = {}
    for split, study in primary.studies.items():
        prepared = prepare_cached(dataset, split_seed=split, cache=cache)
        family = run_family_study(
            prepared,
            study,
            cache,
            heads=heads,
            seeds=seeds,
            progress=progress,
            backend=backend,
            label=f"split {split}, family: ",
        )
        studies[split] = replace(family, runs=[replace(run, scores={}) for run in family.runs])
    return SplitStudy(dataset=primary.dataset, studies=studies, documents=primary.documents)


def run_built_in_studies(
    names=protocol.TRAVEL_DATASETS, cache: ResultCache | None = None, **options
) -> tuple[dict, dict[str, SplitStudy]]:
    """The split study of every built-in dataset in ``names``: ``({name: dataset},
    {name: study})``, in that order."""
    datasets = {name: protocol.load_built_in(name) for name in names}
    studies = {
        name: run_split_study(dataset, cache, name=name, **options)
        for name, dataset in datasets.items()
    }
    return datasets, studies
