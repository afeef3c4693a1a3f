"""Benchmark: what a run costs, side by side in one process (ratios, not absolute times).

On the films data, the same sparse TF-IDF features, one run of this script:

1. One training run of the sigmoid head against scikit-learn's tuned baseline. The
   Keras run uses exactly the protocol's headline configuration (the learning rate and
   epoch count the heads chapter selects on validation for ``sigmoid_bce``); the baseline
   is ``OneVsRestClassifier(LogisticRegression)`` with C chosen on validation, on all
   cores, timed including that search. Both are scored by test micro-F1 under a global
   threshold tuned on validation.
2. Many models per pass: the protocol's search group (every head x every search
   learning rate, one seed: K models that share a batch order) trained in one pass
   (:func:`genrebench.models.train_group`) against the same K models trained one after
   the other (:func:`genrebench.models.train`, compiled steps reused), both with the
   same evaluation sets and snapshots. Both are warmed up once (compiling), then timed;
   the script checks that the two give bit-identical logits.

Run: ``.venv/bin/python benchmarks/bench_heads_vs_sklearn.py [--repeats 5]``.
It also writes ``benchmarks/heads_vs_sklearn.json``, which the book's cost note
reads (commit it after a run on the reference machine). The last lines read
``keras/sklearn fit-time ratio: R (keras micro-F1 A, sklearn micro-F1 B)``,
``fused/sequential time per model: R (K models, ...)`` and ``peak RSS: M MB``.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import time
from pathlib import Path

import genrebench  # noqa: F401  (quiet TensorFlow before it loads)
from genrebench.data import load_films
from genrebench.decode import GlobalThreshold
from genrebench.experiments import protocol
from genrebench.experiments.baselines import fit_ovr_logreg
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import run_grid
from genrebench.experiments.runs import grid, prepare
from genrebench.experiments.selection import select_settings
from genrebench.heads import get_head
from genrebench.metrics import micro_f1
from genrebench.models import TrainBudget, train, train_group


def headline_budget(prepared) -> TrainBudget:
    """The sigmoid head's selected settings, from the protocol's (cached) search."""
    budgets = [protocol.budget(lr, protocol.SEARCH_SEED) for lr in protocol.SEARCH_LEARNING_RATES]
    configs = grid(["sigmoid_bce"], budgets, snapshot_epochs=protocol.SNAPSHOT_EPOCHS)
    results = run_grid(configs, prepared, ResultCache(), progress=False)
    best = select_settings(results.metrics).iloc[0]
    return protocol.budget(
        float(best["learning_rate"]),
        protocol.SEARCH_SEED,
        epochs=int(best["epoch"]),
        batch_size=int(best["batch_size"]),
        hidden_units=int(best["hidden_units"]),
    )


def time_fused_and_sequential(prepared, repeats: int) -> dict:
    """Seconds per model of the search group trained in one pass and one model at a time."""
    members = [
        (get_head(head), protocol.budget(rate, protocol.SEARCH_SEED))
        for head in protocol.HEADS
        for rate in protocol.SEARCH_LEARNING_RATES
    ]
    data = (prepared.X_train, prepared.Y_train)
    eval_sets = {
        "val": (prepared.X_val, prepared.Y_val),
        "test": (prepared.X_test, prepared.Y_test),
    }

    def fused():
        return train_group(members, *data, eval_sets, protocol.SNAPSHOT_EPOCHS)

    def sequential():
        return [train(h, *data, b, eval_sets, protocol.SNAPSHOT_EPOCHS) for h, b in members]

    timings = {"fused": [], "sequential": []}
    outputs = {"fused": fused(), "sequential": sequential()}  # warm-up: compiles each shape
    for _ in range(repeats):
        for name, function in (("sequential", sequential), ("fused", fused)):
            started = time.perf_counter()
            outputs[name] = function()
            timings[name].append((time.perf_counter() - started) / len(members))
    identical = all(
        (a.logits[e][s] == b.logits[e][s]).all()
        for a, b in zip(outputs["fused"], outputs["sequential"], strict=True)
        for e in protocol.SNAPSHOT_EPOCHS
        for s in eval_sets
    )
    return {
        "models": len(members),
        "fused_seconds_per_model": timings["fused"],
        "sequential_seconds_per_model": timings["sequential"],
        "fused_ratio": statistics.median(timings["fused"])
        / statistics.median(timings["sequential"]),
        "fused_identical": bool(identical),
    }


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    prepared = prepare(load_films(), split_seed=protocol.SPLIT_SEED)
    budget = headline_budget(prepared)
    head = get_head("sigmoid_bce")
    print(f"films: {prepared.info['documents']}, {prepared.info['features']} features")
    print(f"keras headline budget: {budget}")

    keras_times, sklearn_times = [], []
    keras_f1 = sklearn_f1 = None
    for _ in range(args.repeats):
        started = time.perf_counter()
        result = train(
            head,
            prepared.X_train,
            prepared.Y_train,
            budget,
            eval_sets={
                "val": (prepared.X_val, prepared.Y_val),
                "test": (prepared.X_test, prepared.Y_test),
            },
        )
        keras_times.append(time.perf_counter() - started)
        S_val = head.scores(result.logits[budget.epochs]["val"])
        S_test = head.scores(result.logits[budget.epochs]["test"])
        decoder = GlobalThreshold().fit(prepared.Y_val, S_val)
        keras_f1 = micro_f1(prepared.Y_test, decoder.apply(S_test))

        baseline = fit_ovr_logreg(prepared)
        sklearn_times.append(baseline.seconds)
        decoder = GlobalThreshold().fit(prepared.Y_val, baseline.val_scores)
        sklearn_f1 = micro_f1(prepared.Y_test, decoder.apply(baseline.test_scores))

    after_single = _peak_mb()
    grouping = time_fused_and_sequential(prepared, repeats=max(1, args.repeats // 2))
    print(f"peak RSS: {after_single:.0f} MB after the single runs, {_peak_mb():.0f} MB after")
    keras_median = statistics.median(keras_times)
    sklearn_median = statistics.median(sklearn_times)
    # The largest resident set of this process or of any worker scikit-learn started.
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    print(f"keras fit seconds: {[round(t, 2) for t in keras_times]} (median {keras_median:.2f})")
    print(
        f"sklearn fit seconds: {[round(t, 2) for t in sklearn_times]} "
        f"(median {sklearn_median:.2f}, C={baseline.C})"
    )
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "repeats": args.repeats,
        "keras_budget": str(budget),
        "keras_seconds": keras_times,
        "sklearn_seconds": sklearn_times,
        "sklearn_C": baseline.C,
        "ratio": keras_median / sklearn_median,
        "keras_micro_f1": float(keras_f1),
        "sklearn_micro_f1": float(sklearn_f1),
        "peak_rss_mb": peak_mb,
        **grouping,
    }
    output = Path(__file__).with_name("heads_vs_sklearn.json")
    output.write_text(json.dumps(record, indent=1) + "\n")
    print(
        f"keras/sklearn fit-time ratio: {keras_median / sklearn_median:.2f} "
        f"(keras micro-F1 {keras_f1:.4f}, sklearn micro-F1 {sklearn_f1:.4f})"
    )
    fused = statistics.median(grouping["fused_seconds_per_model"])
    sequential = statistics.median(grouping["sequential_seconds_per_model"])
    print(
        f"fused/sequential time per model: {grouping['fused_ratio']:.2f} "
        f"({grouping['models']} models: {len(protocol.HEADS)} heads x "
        f"{len(protocol.SEARCH_LEARNING_RATES)} learning rates, one seed; "
        f"{fused:.2f} s vs {sequential:.2f} s per model; logits "
        f"{'bit-identical' if grouping['fused_identical'] else 'DIFFERENT'})"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
