"""The heads study as one function: search on validation, then every seed at the chosen settings.

This is the protocol of the chapter "Sigmoid or softmax?" (:mod:`genrebench.protocol`),
packaged so the chapter, the benchmark and the command line run exactly the same
thing. Every run goes through the experiment cache.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genrebench import protocol
from genrebench.analysis import restrict_to, select_settings
from genrebench.baselines import BaselineFit, fit_ovr_logreg
from genrebench.decode import threshold_decode
from genrebench.experiment import Prepared, ResultCache, RunResult, evaluate, grid
from genrebench.runner import GridResult, run_grid


@dataclass
class HeadsStudy:
    """Everything the heads chapter reports."""

    search: pd.DataFrame  # validation rows of the search runs
    selected: pd.DataFrame  # one row per head: chosen learning rate and epoch
    runs: list[RunResult]  # the reported runs (every head x seed, chosen settings)
    metrics: pd.DataFrame  # test rows of the reported runs, at the chosen epoch
    baseline: BaselineFit
    baseline_metrics: pd.DataFrame  # test rows of the scikit-learn baseline

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
) -> HeadsStudy:
    """Run (or load from the cache) the search and the seeds; fit the baseline.

    ``batch_size`` defaults to :func:`genrebench.protocol.batch_size_for` the training split
    (the protocol's batch size on the films, smaller on a small dataset). ``backend`` says
    where uncached runs train (:mod:`genrebench.runner`: this process by default, or a Dask
    cluster).
    """
    cache = cache or ResultCache()
    if batch_size is None:
        batch_size = protocol.batch_size_for(prepared.info["documents"]["train"])
    common = {"snapshot_epochs": snapshot_epochs, "dataset": prepared.name}
    epochs = max(snapshot_epochs)

    def budget(learning_rate, seed):
        return protocol.budget(learning_rate, seed, epochs=epochs, batch_size=batch_size)

    search_budgets = [budget(lr, protocol.SEARCH_SEED) for lr in learning_rates]
    search: GridResult = run_grid(
        grid(heads, search_budgets, **common),
        prepared,
        cache,
        progress=progress,
        backend=backend,
        label="search",
    )
    selected = select_settings(search.metrics)

    final_configs = []
    for _, row in selected.iterrows():
        budgets = [budget(float(row["learning_rate"]), seed) for seed in seeds]
        final_configs += grid([row["head"]], budgets, **common)
    final = run_grid(
        final_configs, prepared, cache, progress=progress, backend=backend, label="seeds"
    )
    reported = restrict_to(final.metrics, selected)

    baseline = fit_ovr_logreg(prepared, Cs=protocol.BASELINE_CS)
    baseline_metrics = evaluate(
        prepared.Y_val, baseline.val_scores, prepared.Y_test, baseline.test_scores
    )
    baseline_metrics.insert(0, "head", "ovr_logreg")
    return HeadsStudy(
        search=search.metrics[search.metrics["split"] == "val"].reset_index(drop=True),
        selected=selected,
        runs=final.runs,
        metrics=reported[reported["split"] == "test"].reset_index(drop=True),
        baseline=baseline,
        baseline_metrics=baseline_metrics[baseline_metrics["split"] == "test"].reset_index(
            drop=True
        ),
    )


# --- What the chapter shows ------------------------------------------------------------------

#: The F1 averages every table reports, in order.
F1_METRICS = ("f1_micro", "f1_macro", "f1_weighted", "f1_samples")
#: Decoders in the order tables list them (the oracle last: an upper bound).
DECODERS = ("threshold_0.5", "global_tuned", "per_label_tuned", "top1", "topk_mass", "oracle_topk")


def format_interval(mean: float, low: float, high: float, digits: int = 3) -> str:
    """``"mean [low, high]"`` with ``digits`` decimals; values that round to zero print unsigned."""

    def fixed(value: float) -> str:
        return f"{round(float(value), digits) + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0

    return f"{fixed(mean)} [{fixed(low)}, {fixed(high)}]"


def empty_share(study: HeadsStudy, head: str, threshold: float = 0.5) -> pd.Series:
    """Share of test documents to which ``threshold`` gives no label at all, by training seed."""
    return pd.Series(
        {
            seed: float((threshold_decode(scores, threshold).sum(axis=1) == 0).mean())
            for seed, scores in sorted(study.scores(head, "test").items())
        },
        name="empty_share",
    )


def search_table(study: HeadsStudy, metric: str = "f1_micro") -> pd.DataFrame:
    """Validation ``metric`` per head x learning rate (rows) and epoch (columns), best decoder."""
    rows = study.search[
        (study.search["metric"] == metric) & (study.search["decoder"] != "oracle_topk")
    ]
    table = rows.groupby(["head", "learning_rate", "epoch"])["value"].max().unstack("epoch")
    table.columns = [f"epoch {epoch}" for epoch in table.columns]
    return table


def results_summary(study: HeadsStudy) -> pd.DataFrame:
    """Mean and 95% t-interval over seeds for every head x decoder x metric on test."""
    from genrebench.analysis import seed_summary

    return seed_summary(study.metrics)


def interval_table(
    summary: pd.DataFrame, heads, decoders=DECODERS, metrics=F1_METRICS
) -> pd.DataFrame:
    """Rows head x decoder, columns metrics, cells ``"mean [low, high]"``."""
    cells = summary.assign(
        cell=[format_interval(*values) for values in summary[["mean", "low", "high"]].to_numpy()]
    )
    table = cells.pivot_table(
        index=["head", "decoder"], columns="metric", values="cell", aggfunc="first"
    )
    index = pd.MultiIndex.from_product([list(heads), list(decoders)], names=["head", "decoder"])
    return table.reindex(index)[list(metrics)]


def baseline_summary(
    study: HeadsStudy,
    prepared: Prepared,
    decoders=("threshold_0.5", "global_tuned", "per_label_tuned"),
    modes=("micro", "macro", "weighted", "samples"),
    n_boot: int = protocol.N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """The baseline's test F1 per decoder with a bootstrap interval over test documents."""
    from genrebench.decode import make_decoders
    from genrebench.metrics import bootstrap_ci, f1_modes

    by_name = {decoder.name: decoder for decoder in make_decoders()}
    rows = []
    for name in decoders:
        fitted = by_name[name].fit(prepared.Y_val, study.baseline.val_scores)
        predicted = fitted.apply(study.baseline.test_scores)
        for mode in modes:
            estimate, low, high = bootstrap_ci(
                lambda y, p, mode=mode: f1_modes(y, p)[mode],
                prepared.Y_test,
                predicted,
                n_boot=n_boot,
                seed=seed,
            )
            rows.append(("ovr_logreg", name, f"f1_{mode}", estimate, low, high))
    return pd.DataFrame(rows, columns=["head", "decoder", "metric", "mean", "low", "high"])


def per_label_f1(study: HeadsStudy, prepared: Prepared, decoder: str = "per_label_tuned"):
    """Test F1 of every label for every head, averaged over seeds (decoder fitted on validation)."""
    from genrebench.decode import make_decoders
    from genrebench.metrics import f1_modes

    template = {d.name: d for d in make_decoders()}[decoder]
    columns = {}
    for head in study.selected["head"]:
        val_scores, test_scores = study.scores(head, "val"), study.scores(head, "test")
        per_seed = []
        for seed, scores in test_scores.items():
            fitted = template.fit(prepared.Y_val, val_scores[seed])
            if decoder == "oracle_topk":
                predicted = fitted.apply(scores, Y_true=prepared.Y_test)
            else:
                predicted = fitted.apply(scores)
            report = f1_modes(prepared.Y_test, predicted, label_names=prepared.label_names)
            per_seed.append(report.per_label["f1"].to_numpy())
        columns[head] = np.mean(per_seed, axis=0)
    table = pd.DataFrame(columns, index=pd.Index(prepared.label_names, name="label"))
    table["train_share"] = prepared.Y_train.mean(axis=0)
    return table


def training_curves(study: HeadsStudy) -> pd.DataFrame:
    """Validation and training loss per epoch for every reported run (tidy)."""
    rows = []
    for run in study.runs:
        config = run.record["config"]
        for epoch, (train_loss, val_loss) in enumerate(
            zip(run.record["train_loss"], run.record["eval_loss"]["val"], strict=True), start=1
        ):
            rows.append((config["head"], config["budget"]["seed"], epoch, train_loss, val_loss))
    return pd.DataFrame(rows, columns=["head", "train_seed", "epoch", "train_loss", "val_loss"])
