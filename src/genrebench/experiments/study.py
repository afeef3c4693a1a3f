"""The heads study as one function: search on validation, then every seed at the chosen settings.

This is the protocol of the chapter "The heads compared on the films"
(:mod:`genrebench.experiments.protocol`), packaged so the chapter, the benchmark and the
command line run exactly the same thing. Every run goes through the experiment cache.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.baselines import BaselineFit, baseline_with_metrics
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import GridResult, run_grid
from genrebench.experiments.runs import Prepared, RunResult, grid
from genrebench.experiments.selection import (
    DivergedError,
    grid_edges,
    restrict_to,
    select_settings,
    widen_grid,
)


@dataclass
class HeadsStudy:
    """Everything the heads chapter reports."""

    search: pd.DataFrame  # validation rows of the search runs
    selected: pd.DataFrame  # one row per head: chosen learning rate and epoch
    runs: list[RunResult]  # the reported runs (every head x seed, chosen settings)
    metrics: pd.DataFrame  # test rows of the reported runs, at the chosen epoch
    baseline: BaselineFit
    baseline_metrics: pd.DataFrame  # test rows of the scikit-learn baseline
    diverged: tuple[str, ...] = ()  # one line per run that diverged: which run, and why
    grid: dict = field(default_factory=dict)  # the grid searched last, and its extensions

    def scores(self, head: str, split: str = "test") -> dict[int, np.ndarray]:
        """Scores of ``head`` on ``split`` at its chosen epoch, by training seed."""
        epoch = int(self.selected.set_index("head").loc[head, "epoch"])
        return {
            run.record["config"]["budget"]["seed"]: run.score(split, epoch)
            for run in self.runs
            if run.record["config"]["head"] == head
        }


def run_heads_study(
    prepared: Prepared,
    cache: ResultCache | None = None,
    heads=protocol.HEADS,
    seeds=protocol.SEEDS,
    learning_rates=protocol.SEARCH_LEARNING_RATES,
    snapshot_epochs=protocol.SNAPSHOT_EPOCHS,
    batch_size: int | None = None,
    progress: bool | None = None,
    backend=None,
    label: str = "",
    extend: int = protocol.MAX_GRID_EXTENSIONS,
) -> HeadsStudy:
    """Run (or load from the cache) the search and the seeds; fit the baseline.

    ``batch_size`` defaults to :func:`~genrebench.experiments.protocol.batch_size_for` the
    training split (the protocol's batch size on the films, smaller on a small dataset).
    ``backend`` says where uncached runs train (:mod:`genrebench.experiments.grid`: this
    process by default, or a Dask cluster). ``label`` prefixes the progress lines.

    When a head's chosen setting lies on an edge of the grid, the grid grows for every head
    (:func:`~genrebench.experiments.selection.widen_grid`) and the search runs again, at
    most ``extend`` times; the study's ``grid`` records the grid searched last.
    """
    cache = cache or ResultCache()
    if batch_size is None:
        batch_size = protocol.batch_size_for(prepared.info["documents"]["train"])
    common = {"dataset": prepared.name, "split_seed": prepared.split_seed}
    rates, epochs_read = tuple(sorted(learning_rates)), tuple(sorted(snapshot_epochs))

    def budget(learning_rate, seed):
        return protocol.budget(learning_rate, seed, epochs=max(epochs_read), batch_size=batch_size)

    extensions = 0
    while True:
        search: GridResult = run_grid(
            grid(
                heads,
                [budget(lr, protocol.SEARCH_SEED) for lr in rates],
                snapshot_epochs=epochs_read,
                **common,
            ),
            prepared,
            cache,
            progress=progress,
            backend=backend,
            label=f"{label}search",
        )
        selected = select_settings(search.metrics)
        wider = widen_grid(selected, rates, epochs_read) if extensions < extend else None
        if wider is None:
            break
        (rates, epochs_read), extensions = wider, extensions + 1
    # The search seed's run at the chosen settings is the search's own. The other seeds train
    # as long (their validation curves are the chapter's), but are scored only at the epochs
    # chosen, whose metrics are all the study reports: one snapshot set for every head, so
    # the heads of one seed still train in one group.
    chosen_epochs = tuple(sorted({int(epoch) for epoch in selected["epoch"]}))
    final_configs = []
    for _, row in selected.iterrows():
        for seed in seeds:
            snapshots = epochs_read if seed == protocol.SEARCH_SEED else chosen_epochs
            final_configs += grid(
                [row["head"]],
                [budget(float(row["learning_rate"]), seed)],
                snapshot_epochs=snapshots,
                **common,
            )
    final = run_grid(
        final_configs, prepared, cache, progress=progress, backend=backend, label=f"{label}seeds"
    )
    reported = restrict_to(final.metrics, selected)
    # A seed that diverged at the chosen settings scores nothing: left out (and listed).
    lost = set(reported.loc[reported["value"].isna(), "run"])
    reported = reported[~reported["run"].isin(lost)]
    kept = [run for run in final.runs if run.key not in lost]
    for head in selected["head"]:
        seeds_left = sum(run.record["config"]["head"] == head for run in kept)
        if seeds_left < 2:
            raise DivergedError(
                f"{head} diverged on {len(seeds) - seeds_left} of {len(seeds)} seeds at its "
                "chosen learning rate, leaving fewer than 2; try smaller learning rates"
            )

    baseline, baseline_metrics = baseline_with_metrics(prepared, cache)
    baseline_metrics.insert(0, "head", "ovr_logreg")
    diverged = tuple(
        f"{run.record['config']['head']}, learning rate "
        f"{run.record['config']['budget']['learning_rate']:g}, seed "
        f"{run.record['config']['budget']['seed']}: {run.record['diverged']}"
        for run in (*search.runs, *final.runs)
        if run.record.get("diverged")
    )
    selected = selected.assign(
        edge=[
            grid_edges(rate, epoch, rates, epochs_read)
            for rate, epoch in zip(selected["learning_rate"], selected["epoch"], strict=True)
        ]
    )
    return HeadsStudy(
        grid={
            "learning_rates": rates,
            "snapshot_epochs": epochs_read,
            "extensions": extensions,
        },
        diverged=diverged,
        search=search.metrics[search.metrics["split"] == "val"].reset_index(drop=True),
        selected=selected,
        runs=kept,
        metrics=reported[reported["split"] == "test"].reset_index(drop=True),
        baseline=baseline,
        baseline_metrics=baseline_metrics[baseline_metrics["split"] == "test"].reset_index(
            drop=True
        ),
    )


def run_family_study(
    prepared: Prepared,
    primary: HeadsStudy,
    cache: ResultCache | None = None,
    heads=protocol.FAMILY,
    **options,
) -> HeadsStudy:
    """The loss family on the grid the primary heads' search settled on (``primary.grid``),
    not grown further: every family head gets that same search, and the secondary
    comparisons cost one grid, not one per head's edges. Choices on an edge are recorded
    in ``selected["edge"]``."""
    return run_heads_study(
        prepared,
        cache,
        heads=heads,
        learning_rates=primary.grid["learning_rates"],
        snapshot_epochs=primary.grid["snapshot_epochs"],
        extend=0,
        **options,
    )
