"""Benchmark: TensorFlow's pooled CPU allocator against the C library's, in one run (ratios).

The films' search group (every primary head x every search learning rate, one seed, the
protocol's batch size and snapshots) is trained in a fresh process with
``TF_CPU_ALLOCATOR_USE_BFC=false`` and in one with ``true`` (what importing genrebench
sets, :mod:`genrebench.runtime`), one after the other on an idle machine, then as two
pooled processes side by side (the book executes two chapters at once). Each process
reports its training seconds, its user and system CPU seconds, its minor page faults and
its peak memory, and a digest of every logit; the script checks the digests agree.

Run: ``.venv/bin/python benchmarks/bench_allocator.py [--epochs 10] [--optimiser lazy_adam]``.
It writes ``benchmarks/allocator.json``; the last line reads
``pooled/malloc training time: R (page faults A -> B, logits identical)``.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

CHILD = """
import hashlib, json, resource, sys, time
import genrebench
from genrebench.experiments import protocol
from genrebench.experiments.cache import prepare_cached
from genrebench.heads import get_head
from genrebench.models import train_group

epochs, optimiser = int(sys.argv[1]), sys.argv[2]
prepared = prepare_cached(protocol.load_built_in("films"), 0)
members = [
    (get_head(head), protocol.budget(rate, protocol.SEARCH_SEED, epochs=epochs,
                                     optimiser=optimiser))
    for head in protocol.HEADS
    for rate in protocol.SEARCH_LEARNING_RATES
]
eval_sets = {"val": (prepared.X_val, prepared.Y_val), "test": (prepared.X_test, prepared.Y_test)}
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
results = train_group(members, prepared.X_train, prepared.Y_train, eval_sets,
                      tuple(e for e in protocol.SNAPSHOT_EPOCHS if e <= epochs))
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
digest = hashlib.sha256()
for result in results:
    for epoch in sorted(result.logits):
        for name in sorted(result.logits[epoch]):
            digest.update(result.logits[epoch][name].tobytes())
print(json.dumps({
    "seconds": seconds,
    "user_seconds": after.ru_utime - before.ru_utime,
    "system_seconds": after.ru_stime - before.ru_stime,
    "page_faults": after.ru_minflt - before.ru_minflt,
    "peak_rss_mb": after.ru_maxrss / 1024,
    "digest": digest.hexdigest(),
}))
"""


def child(pooled: bool, epochs: int, optimiser: str) -> subprocess.Popen:
    env = {**os.environ, "TF_CPU_ALLOCATOR_USE_BFC": "true" if pooled else "false"}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(epochs), optimiser],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def report(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"a benchmark process failed (status {process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--optimiser", default="lazy_adam", choices=("lazy_adam", "adam"))
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("allocator.json"))
    args = parser.parse_args()

    malloc = report(child(False, args.epochs, args.optimiser))
    pooled = report(child(True, args.epochs, args.optimiser))
    pair = [child(True, args.epochs, args.optimiser) for _ in range(2)]
    side_by_side = [report(process) for process in pair]
    digests = {malloc["digest"], pooled["digest"], *(r["digest"] for r in side_by_side)}
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "epochs": args.epochs,
        "optimiser": args.optimiser,
        "models": 9,
        "malloc": malloc,
        "pooled": pooled,
        "pooled_side_by_side": side_by_side,
        "ratio": pooled["seconds"] / malloc["seconds"],
        "logits_identical": len(digests) == 1,
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n")
    for name in ("malloc", "pooled"):
        r = record[name]
        print(
            f"{name}: {r['seconds']:.1f} s training ({r['user_seconds']:.1f} s user, "
            f"{r['system_seconds']:.1f} s system, {r['page_faults']:,} page faults, "
            f"peak {r['peak_rss_mb']:.0f} MB)"
        )
    print(
        "two pooled side by side: "
        + ", ".join(f"{r['seconds']:.1f} s" for r in side_by_side)
        + f" (alone {pooled['seconds']:.1f} s)"
    )
    print(
        f"pooled/malloc training time: {record['ratio']:.2f} (page faults "
        f"{malloc['page_faults']:,} -> {pooled['page_faults']:,}, logits "
        f"{'identical' if record['logits_identical'] else 'DIFFERENT'})"
    )
    if not record["logits_identical"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
