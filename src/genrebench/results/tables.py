"""Tables of a heads study, as the chapters and the command's report show them.

Everything here reads a :class:`~genrebench.experiments.study.HeadsStudy` (its
cached scores and tidy metrics); nothing trains.
"""

import hashlib
import re

import numpy as np
import pandas as pd

from genrebench.decode import DECODER_DISPLAY, DECODER_NAMES, get_decoder, threshold_decode
from genrebench.experiments import protocol
from genrebench.experiments.runs import Prepared
from genrebench.experiments.study import HeadsStudy
from genrebench.heads import HEADS
from genrebench.metrics import bootstrap_ci, f1_modes
from genrebench.results.statistics import (
    format_interval,
    holm,
    seed_summary,
    split_differences,
    verdicts,
)

#: The F1 averages every table reports, in order.
F1_METRICS = ("f1_micro", "f1_macro", "f1_weighted", "f1_samples")
#: How tables name the F1 averages.
AVERAGE_NAMES = {
    "f1_micro": "micro-F1",
    "f1_macro": "macro-F1",
    "f1_weighted": "weighted F1",
    "f1_samples": "samples-F1",
}
#: Decoders in the order tables list them (the oracle last: a reference, not a method).
DECODERS = DECODER_NAMES

#: Every code name a table may carry in its index or header -> its name in words: heads,
#: decoders, F1 averages and the ranking metrics.
DISPLAY_NAMES = {
    **{name: head.display for name, head in HEADS.items()},
    "ovr_logreg": "logistic regression (one-vs-rest)",
    **DECODER_DISPLAY,
    **AVERAGE_NAMES,
    "binary_accuracy": "binary accuracy",
    "bayes": "Bayes ceiling",
    "bayes_normalised": "Bayes, ranked by E[y/|y|]",
    "mean_cardinality": "mean labels per document",
    "movielens": "MovieLens",
    **{f"p@{k}": f"precision@{k}" for k in (1, 3, 5)},
    **{f"r@{k}": f"recall@{k}" for k in (1, 3, 5)},
    "head": "head",
    "decoder": "decoder",
    "metric": "metric",
}


#: Names that are also plain words, left alone inside a sentence or a cell.
_PLAIN_WORDS = {"head", "decoder", "metric", "matched", "natural", "consistent", "sparsemax"}
#: A code name as a whole token, longest first (``sigmoid_bce_norm`` before ``sigmoid_bce``),
#: with the backticks around it if it has them.
_CODE_NAME = re.compile(
    r"(?<![\w@.])(`)?({})(?(1)`)(?![\w@])".format(
        "|".join(map(re.escape, sorted(set(DISPLAY_NAMES) - _PLAIN_WORDS, key=len, reverse=True)))
    )
)


def in_words(text: str) -> str:
    """``text`` with every code name of a head, decoder or metric in it replaced by its name
    in words: "sigmoid_bce − softmax_cce_norm" reads "sigmoid + BCE − softmax + CCE on
    normalised targets"."""
    return _CODE_NAME.sub(lambda match: DISPLAY_NAMES[match.group(2)], text)


_INTERVAL = re.compile(r"-?\d+(?:\.\d+)? \[-?\d+(?:\.\d+)?, -?\d+(?:\.\d+)?\]")


def unbroken(value):
    """A cell whose intervals ("0.082 [0.056, 0.108]") hold no-break spaces, so that a page
    never wraps an interval over lines; any other value as it is."""
    if not isinstance(value, str):
        return value
    return _INTERVAL.sub(lambda match: match.group().replace(" ", "\u00a0"), value)


def _words(value):
    """A label or a cell in words: a code name, or text that holds some."""
    if not isinstance(value, str):
        return value
    return DISPLAY_NAMES.get(value) or in_words(value)


def readable(table: pd.DataFrame, axes=("index", "columns"), cells: bool = True) -> pd.DataFrame:
    """``table`` with every head, decoder and metric in its index and header (every level)
    and, with ``cells``, in its text cells called by its name in words
    (:data:`DISPLAY_NAMES`), for the book's and the report's readers. An index of label names
    (which a user may have named like a head) is left out of ``axes``."""
    table = table.copy()
    for axis in axes:
        labels = getattr(table, axis)
        if isinstance(labels, pd.MultiIndex):
            words = pd.MultiIndex.from_tuples(
                [tuple(map(_words, key)) for key in labels], names=list(map(_words, labels.names))
            )
        else:
            words = pd.Index(list(map(_words, labels)), name=_words(labels.name))
        setattr(table, axis, words)
    if cells:
        for column in range(table.shape[1]):
            values = table.iloc[:, column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                table.iloc[:, column] = values.map(_words)
    return table


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
    return table.rename_axis(index=["head", "learning rate"])


def results_summary(study: HeadsStudy) -> pd.DataFrame:
    """Mean and 95% t-interval over seeds for every head x decoder x metric on test."""
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


class _SharedReports:
    """:func:`f1_modes` of each resample, computed once for every mode.

    Each mode's interval resamples the same documents (one seed), so the report of a
    resample is looked up by its content instead of being computed once per mode: the
    same numbers, a quarter of the work.
    """

    def __init__(self):
        self.reports = {}

    def __call__(self, Y_true: np.ndarray, Y_pred: np.ndarray):
        digest = hashlib.blake2b(digest_size=16)
        for array in (Y_true, Y_pred):
            digest.update(str(array.shape).encode())
            digest.update(np.packbits(array).tobytes())  # 0/1 arrays: a bit each is all
        key = digest.digest()
        if key not in self.reports:
            self.reports[key] = f1_modes(Y_true, Y_pred)
        return self.reports[key]


def baseline_summary(
    study: HeadsStudy,
    prepared: Prepared,
    decoders=("threshold_0.5", "global_tuned", "per_label_tuned"),
    modes=("micro", "macro", "weighted", "samples"),
    n_boot: int = protocol.N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """The baseline's test F1 per decoder with a bootstrap interval over test documents."""
    rows = []
    # 0/1 as bool: the metrics' input check has nothing to convert, and the values are the same.
    Y_test = np.asarray(prepared.Y_test).astype(bool)
    for name in decoders:
        fitted = get_decoder(name).fit(prepared.Y_val, study.baseline.val_scores)
        predicted = fitted.apply(study.baseline.test_scores, Y_true=prepared.Y_test).astype(bool)
        reports = _SharedReports()
        for mode in modes:
            estimate, low, high = bootstrap_ci(
                lambda y, p, mode=mode, reports=reports: reports(y, p)[mode],
                Y_test,
                predicted,
                n_boot=n_boot,
                seed=seed,
            )
            rows.append(("ovr_logreg", name, f"f1_{mode}", estimate, low, high))
    return pd.DataFrame(rows, columns=["head", "decoder", "metric", "mean", "low", "high"])


def per_label_f1(study: HeadsStudy, prepared: Prepared, decoder: str = "per_label_tuned"):
    """Test F1 of every label for every head, averaged over seeds (decoder fitted on validation)."""
    template = get_decoder(decoder)
    columns = {}
    for head in study.selected["head"]:
        val_scores, test_scores = study.scores(head, "val"), study.scores(head, "test")
        per_seed = []
        for seed, scores in test_scores.items():
            fitted = template.fit(prepared.Y_val, val_scores[seed])
            predicted = fitted.apply(scores, Y_true=prepared.Y_test)
            report = f1_modes(prepared.Y_test, predicted, label_names=prepared.label_names)
            per_seed.append(report.per_label["f1"].to_numpy())
        columns[head] = np.mean(per_seed, axis=0)
    table = pd.DataFrame(columns, index=pd.Index(prepared.label_names, name="label"))
    table["train_share"] = prepared.Y_train.mean(axis=0)
    return table


def training_curves(study: HeadsStudy) -> pd.DataFrame:
    """Validation and training loss per epoch for every reported run (tidy), with the epoch
    the search selected for the run's head."""
    selected = study.selected.set_index("head")["epoch"]
    rows = []
    for run in study.runs:
        config = run.record["config"]
        for epoch, (train_loss, val_loss) in enumerate(
            zip(run.record["train_loss"], run.record["eval_loss"]["val"], strict=True), start=1
        ):
            rows.append((config["head"], config["budget"]["seed"], epoch, train_loss, val_loss))
    curves = pd.DataFrame(rows, columns=["head", "train_seed", "epoch", "train_loss", "val_loss"])
    curves["selected_epoch"] = curves["head"].map(selected).astype(int)
    return curves


def curve_minima(curves: pd.DataFrame) -> pd.DataFrame:
    """Per head: the epoch of lowest validation loss (median over seeds, and its range), the
    selected epoch, and the validation loss there relative to the lowest (median over seeds).
    ``curves``: :func:`training_curves`."""
    rows = []
    for head, group in curves.groupby("head", sort=False):
        lowest = group.loc[group.groupby("train_seed")["val_loss"].idxmin()]
        selected = int(group["selected_epoch"].iloc[0])
        at_selected = group[group["epoch"] == selected].set_index("train_seed")["val_loss"]
        excess = at_selected / lowest.set_index("train_seed")["val_loss"] - 1
        rows.append(
            (
                head,
                float(lowest["epoch"].median()),
                int(lowest["epoch"].min()),
                int(lowest["epoch"].max()),
                selected,
                float(excess.median()),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "head",
            "lowest_epoch",
            "lowest_epoch_min",
            "lowest_epoch_max",
            "selected_epoch",
            "loss_above_lowest",
        ],
    ).set_index("head")


#: Each F1 average under the decoder fitted for it (the comparisons of the optimiser).
MATCHED_DECODERS = (("f1_micro", "global_tuned"), ("f1_macro", "per_label_tuned"))


def optimiser_differences(comparison: pd.DataFrame, test_to_train: float) -> pd.DataFrame:
    """The protocol's optimiser minus plain Adam per head, F1 average (under its matched
    decoder), paired by data split, with the split-aware interval over splits (the random
    splits share training documents; :func:`~genrebench.results.statistics.split_interval`)
    (:func:`genrebench.experiments.optimisers.compare_optimisers` makes ``comparison``)."""
    rows = pd.concat(
        [
            comparison[(comparison["metric"] == metric) & (comparison["decoder"] == decoder)]
            for metric, decoder in MATCHED_DECODERS
        ]
    )
    return split_differences(
        rows,
        reference=protocol.OPTIMISER,
        others=[protocol.BASELINE_OPTIMISER],
        test_to_train=test_to_train,
        by=("head", "metric", "decoder"),
        column="optimiser",
    )


def optimiser_primary(comparison: pd.DataFrame, test_to_train: float) -> pd.DataFrame:
    """The practice question under each optimiser: the reference head minus the thread's
    softmax head in micro-F1 under one tuned threshold, paired by split with the split-aware
    interval (the comparison's one training seed per split), Holm-adjusted over the
    optimisers, with a four-state verdict at the protocol's margin: does the optimiser change
    the primary verdict?"""
    rows = comparison.query("metric == 'f1_micro' and decoder == 'global_tuned'")
    tables = []
    for optimiser, group in rows.groupby("optimiser", sort=False):
        found = split_differences(
            group, protocol.REFERENCE_HEAD, [protocol.HEADS[1]], test_to_train, by=("metric",)
        )
        tables.append(found.assign(optimiser=optimiser))
    table = pd.concat(tables, ignore_index=True)
    table["p_holm"] = holm(table["p"])
    table["verdict"] = verdicts(table, protocol.EQUIVALENCE_MARGIN)
    return table


def optimiser_table(comparison: pd.DataFrame, test_to_train: float) -> pd.DataFrame:
    """Rows head x F1 average: each optimiser's mean over splits and the paired difference."""
    differences = optimiser_differences(comparison, test_to_train).set_index(["head", "metric"])
    means = comparison.groupby(["head", "metric", "decoder", "optimiser"])["value"].mean()
    heads = list(dict.fromkeys(comparison["head"]))  # in the order the study lists them
    order = [(head, metric) for head in heads for metric, _ in MATCHED_DECODERS]
    rows = []
    for (head, metric), row in differences.loc[order].iterrows():
        rows.append(
            {
                "head": head,
                "F1": f"{metric.removeprefix('f1_')}, {row['decoder']}",
                "plain": f"{means[head, metric, row['decoder'], protocol.BASELINE_OPTIMISER]:.3f}",
                "lazy": f"{means[head, metric, row['decoder'], protocol.OPTIMISER]:.3f}",
                "lazy − plain": format_interval(row["mean_difference"], row["low"], row["high"]),
                "splits with lazy higher": f"{row['splits_won']} of {row['splits']}",
            }
        )
    return pd.DataFrame(rows).set_index(["head", "F1"])


def paired_table(differences: pd.DataFrame, reference: str, decoder: str) -> pd.DataFrame:
    """The paired differences of every F1 average under ``decoder``, each head's in the figures'
    order (micro, macro, weighted, samples), for the page: ``reference`` minus each head as
    "mean [low, high]", and on how many seeds ``reference`` scored higher."""
    rows = differences[
        (differences["decoder"] == decoder) & differences["metric"].isin(AVERAGE_NAMES)
    ]
    order = {name: i for i, name in enumerate([*dict.fromkeys(rows["versus"]), *AVERAGE_NAMES])}
    rows = rows.sort_values(["versus", "metric"], key=lambda c: c.map(order), kind="stable")
    return pd.DataFrame(
        {
            "other head": rows["versus"],
            "F1 average": rows["metric"].map(AVERAGE_NAMES),
            f"{reference} minus head": [
                format_interval(*values)
                for values in rows[["mean_difference", "low", "high"]].to_numpy()
            ],
            f"seeds where {reference} scores higher": [
                f"{won} of {seeds}"
                for won, seeds in zip(rows["seeds_won"], rows["seeds"], strict=True)
            ],
        }
    ).set_index(["other head", "F1 average"])


def curve_table(minima: pd.DataFrame) -> pd.DataFrame:
    """:func:`curve_minima` for the page: epochs as written ("5", not "5.0"), the range over
    seeds in words, the loss at the selected epoch above its lowest as a percentage."""
    return pd.DataFrame(
        {
            "lowest loss at epoch (median)": [f"{e:g}" for e in minima["lowest_epoch"]],
            "range over seeds": [
                f"{low:g} to {high:g}" if low != high else f"{low:g}"
                for low, high in zip(
                    minima["lowest_epoch_min"], minima["lowest_epoch_max"], strict=True
                )
            ],
            "selected epoch": minima["selected_epoch"].astype(int),
            "loss there above its lowest": [f"{v:.1%}" for v in minima["loss_above_lowest"]],
        },
        index=minima.index,
    )


def difference_table(differences: pd.DataFrame, reference: str, metrics=F1_METRICS) -> pd.DataFrame:
    """Rows other head x decoder, columns metrics, cells ``"difference [low, high]"``
    (``reference`` minus the other head)."""
    rows = differences[differences["metric"].isin(metrics)]
    cells = rows.assign(
        cell=[
            format_interval(*values)
            for values in rows[["mean_difference", "low", "high"]].to_numpy()
        ]
    )
    table = cells.pivot_table(
        index=["versus", "decoder"], columns="metric", values="cell", aggfunc="first"
    )
    order = [d for d in DECODERS if d in set(rows["decoder"])]
    versus = list(dict.fromkeys(rows["versus"]))
    index = pd.MultiIndex.from_product([versus, order], names=[f"{reference} minus", "decoder"])
    return table.reindex(index)[list(metrics)]
