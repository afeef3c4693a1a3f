"""Does the sparse optimiser cost accuracy? The protocol's optimiser against plain Adam.

Lazy Adam (:data:`~genrebench.experiments.protocol.OPTIMISER`) moves only the
input-layer rows of the features present in a batch; plain Adam moves every row
at every step. Everything else is the same for both arms: on each data split of
:data:`~genrebench.experiments.protocol.OPTIMISER_SPLITS`, each optimiser gets the
protocol's search (every head x every search learning rate, the search seed) and
each head's setting is chosen on validation, per optimiser. The test rows at the
chosen settings are paired by split.
"""

from collections.abc import Sequence

import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.cache import ResultCache, prepare_cached
from genrebench.experiments.grid import run_grid
from genrebench.experiments.runs import grid
from genrebench.experiments.selection import restrict_to, select_settings


def compare_optimisers(
    dataset,
    cache: ResultCache | None = None,
    split_seeds: Sequence[int] = protocol.OPTIMISER_SPLITS,
    optimisers: Sequence[str] = (protocol.BASELINE_OPTIMISER, protocol.OPTIMISER),
    heads: Sequence[str] = protocol.HEADS,
    learning_rates: Sequence[float] = protocol.SEARCH_LEARNING_RATES,
    snapshot_epochs: Sequence[int] = protocol.SNAPSHOT_EPOCHS,
    progress: bool | None = None,
    backend=None,
) -> pd.DataFrame:
    """Test rows of every head at its settings chosen on validation, per optimiser and split.

    The protocol's optimiser on the protocol's split is the heads study's own search
    (same configs, so the same cached runs).
    """
    cache = cache or ResultCache()
    # Every split of one optimiser before the next: the protocol's optimiser (last) trains
    # what the split studies also train, so a book building both side by side finds those
    # runs cached by the time it reaches them. The rows come back split by split all the same.
    tables = {}
    for optimiser in optimisers:
        for split_seed in split_seeds:
            data = prepare_cached(dataset, split_seed=split_seed, cache=cache)  # one at a time
            batch_size = protocol.batch_size_for(data.info["documents"]["train"])
            budgets = [
                protocol.budget(
                    rate,
                    protocol.SEARCH_SEED,
                    epochs=max(snapshot_epochs),
                    batch_size=batch_size,
                    optimiser=optimiser,
                )
                for rate in learning_rates
            ]
            configs = grid(
                heads,
                budgets,
                snapshot_epochs=tuple(snapshot_epochs),
                dataset=data.name,
                split_seed=split_seed,
            )
            search = run_grid(
                configs,
                data,
                cache,
                progress=progress,
                backend=backend,
                label=f"optimiser {optimiser}, split {split_seed}",
            )
            chosen = restrict_to(search.metrics, select_settings(search.metrics))
            tables[split_seed, optimiser] = chosen[chosen["split"] == "test"]
    tables = [
        tables[split_seed, optimiser] for split_seed in split_seeds for optimiser in optimisers
    ]
    return pd.concat(tables, ignore_index=True)
