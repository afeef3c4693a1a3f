"""Benchmark: the command at the scales users bring, from an empty cache.

Two runs of ``genrebench run`` with the default protocol (5 data splits x 3 training seeds,
the three primary heads, the search grown past its edges), each in its own process, timed
wall-clock with its peak resident memory (GNU time):

- ``text``: a CSV of 1,000 short synthetic documents, features by TF-IDF;
- ``features``: 10,000 documents with 384-dimensional dense features given with
  ``--features`` (the size of a small sentence encoder's embeddings; here a random
  projection of each document's word counts, so the labels are learnable from them).

Writes ``benchmarks/command_scale.json``. Budgets (issue "Your features, your decoders,
your report"): under 2 minutes and under 10 minutes on the 2-core machine, peak memory
under 2 GB. Run: ``.venv/bin/python benchmarks/bench_command_scale.py``.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.data.synthetic import make_synthetic

HERE = Path(__file__).resolve().parent
COMMAND = Path(sys.executable).with_name("genrebench")


def write_labels(dataset, path: Path, texts: bool) -> None:
    """The dataset as a CSV: id, labels as a JSON list, and the text if asked."""
    labels = [
        json.dumps([dataset.label_names[j] for j in np.flatnonzero(row)]) for row in dataset.Y
    ]
    frame = pd.DataFrame({"id": dataset.ids, "labels": labels})
    if texts:
        frame["text"] = dataset.texts
    frame.to_csv(path, index=False)


def timed_run(arguments: list, folder: Path) -> dict:
    """Wall seconds and peak resident MB of one ``genrebench run`` from an empty cache."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", str(COMMAND), "run", *map(str, arguments), "--quiet",
         "--out", str(folder / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return {"seconds": round(float(seconds), 1), "peak_mb": round(int(kilobytes) / 1024)}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="genrebench-scale-"))
    record = {}
    try:
        small = make_synthetic(n_docs=1000, n_labels=8, mean_cardinality=2.0, seed=0).dataset
        write_labels(small, work / "text.csv", texts=True)
        record["text: 1,000 documents, TF-IDF"] = timed_run(
            ["--data", work / "text.csv", "--text-col", "text", "--labels-col", "labels"],
            work / "text",
        )
        print(record, flush=True)

        large = make_synthetic(n_docs=10_000, n_labels=12, mean_cardinality=2.0, seed=1)
        dataset = large.dataset
        write_labels(dataset, work / "labels.csv", texts=False)
        words = sorted({word for text in dataset.texts for word in text.split()})
        column = {word: j for j, word in enumerate(words)}
        counts = np.zeros((len(dataset), len(words)), dtype=np.float32)
        for row, text in enumerate(dataset.texts):
            for word in text.split():
                counts[row, column[word]] += 1
        projection = np.random.default_rng(2).normal(size=(len(words), 384)).astype(np.float32)
        np.save(work / "vectors.npy", counts @ projection / np.sqrt(len(words)))
        record["features: 10,000 documents x 384 dimensions"] = timed_run(
            ["--data", work / "labels.csv", "--labels-col", "labels", "--features",
             work / "vectors.npy"],
            work / "features",
        )  # fmt: skip
        print(record, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (HERE / "command_scale.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
