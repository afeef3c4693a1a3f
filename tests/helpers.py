"""Helpers the tests share: the command, small CSVs, tiny prepared data and configs,
notebook execution. Fixtures live in ``conftest.py``."""

import csv
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import scipy.sparse as sp
from nbclient import NotebookClient

from genrebench.experiments.runs import Prepared, RunConfig
from genrebench.models import TrainBudget

COMMAND = Path(sys.executable).parent / "genrebench"


LABELS = ("Drama", "Comedy", "Horror", "Sci-Fi", "Western", "Noir")


SHARES = (0.5, 0.35, 0.2, 0.12, 0.06, 0.04)


#: A small study: two data splits, two seeds on each, one learning rate, four epochs.
SMALL = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "2,4"]


def write_csv(path: Path, n: int = 400, seed: int = 0, sep: str = ",") -> Path:
    """Documents whose words give their labels away (with noise), labels of uneven frequency."""
    rng = np.random.default_rng(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "synopsis", "genres"])
        for row in range(n):
            chosen = [label for label, p in zip(LABELS, SHARES, strict=True) if rng.random() < p]
            chosen = chosen or [LABELS[rng.integers(len(LABELS))]]
            words = [f"{label.lower()}{rng.integers(8)}" for label in chosen for _ in range(4)]
            words += [f"noise{rng.integers(200)}" for _ in range(10)]
            rng.shuffle(words)
            writer.writerow([f"doc{row}", " ".join(words), sep.join(chosen)])
    return path


def interruptible():
    """For ``subprocess.Popen(preexec_fn=...)``: the child starts with Ctrl-C's default
    action, as from a terminal, even when this session inherited SIGINT ignored (a job put
    in the background by a script does): Python then turns SIGINT into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def genrebench(*args, cwd=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def data_args(path) -> list:
    return ["--data", path, "--text-col", "synopsis", "--labels-col", "genres", "--id-col", "id"]


def tiny_prepared(seed=0, n=240, features=120, labels=4) -> Prepared:
    rng = np.random.default_rng(seed)
    X = sp.random(n, features, density=0.08, format="csr", dtype=np.float32, random_state=seed)
    Y = (X @ rng.normal(size=(features, labels)) > 0.1).astype(np.uint8)
    Y[Y.sum(axis=1) == 0, 0] = 1
    a, b = int(n * 0.6), int(n * 0.8)
    return Prepared(
        name="tiny",
        X_train=X[:a],
        X_val=X[a:b],
        X_test=X[b:],
        Y_train=Y[:a],
        Y_val=Y[a:b],
        Y_test=Y[b:],
        label_names=tuple(f"l{j}" for j in range(labels)),
        fingerprint=f"tiny-{seed}",
    )


def tiny_config(head="sigmoid_bce", seed=0, learning_rate=1e-2) -> RunConfig:
    budget = TrainBudget(
        hidden_units=8,
        dropout=0.5,
        learning_rate=learning_rate,
        batch_size=64,
        epochs=3,
        seed=seed,
        optimiser="lazy_adam",
    )
    return RunConfig(head=head, budget=budget, snapshot_epochs=(2, 3), dataset="tiny")


def execute(folder, name):
    notebook = nbformat.read(folder / "notebooks" / f"{name}.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder / "notebooks")}},
    ).execute()
    return notebook


GLUE_PREFIX = "application/papermill.record/"


def is_glue(output) -> bool:
    return "scrapbook" in output.get("metadata", {})


def outputs(notebook) -> list:
    """Every output of every code cell but the glued values, execution counts left out; cells
    are numbered among code cells (an execution cache keeps only those)."""
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for index, cell in enumerate(code_cells):
        for output in cell.get("outputs", []):
            if is_glue(output):
                continue
            found.append((index, output.get("output_type"), output.get("name"), output.get("text")))
            for mime, data in sorted(output.get("data", {}).items()):
                found.append((index, mime, data))
    return found


def glue_values(notebook) -> dict[str, dict]:
    """Every value the notebook glued: name -> {mime type: data}."""
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if is_glue(output):
                name = output["metadata"]["scrapbook"]["name"]
                values[name] = {
                    mime.removeprefix(GLUE_PREFIX): data for mime, data in output["data"].items()
                }
    return values
