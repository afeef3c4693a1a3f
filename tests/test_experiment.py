"""The experiment engine: cached, resumable, checksummed, deterministic runs."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from genrebench.experiments import runs as experiment
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import run_grid
from genrebench.experiments.runs import Prepared, RunConfig, run_key
from tests.helpers import tiny_config, tiny_prepared

pytestmark = pytest.mark.slow


def run(config: RunConfig, prepared: Prepared, cache: ResultCache):
    """One run through the grid: from the cache if there, else computed and stored."""
    return run_grid([config], prepared, cache, progress=False).runs[0]


@pytest.fixture
def cache(tmp_path):
    return ResultCache(tmp_path / "cache")


def test_a_run_is_stored_then_reused_bit_for_bit(cache):
    prepared = tiny_prepared()
    first = run(tiny_config(), prepared, cache)
    second = run(tiny_config(), prepared, cache)
    assert not first.cached and second.cached
    for name, scores in first.scores.items():
        np.testing.assert_array_equal(scores, second.scores[name])
    assert sorted(first.scores) == ["test_2", "test_3", "val_2", "val_3"]
    table = second.metrics
    assert {"run", "head", "train_seed", "epoch", "split", "decoder", "metric", "value"} <= set(
        table.columns
    )
    assert set(table["split"]) == {"val", "test"}
    assert {"threshold_0.5", "global_tuned", "oracle_topk", "scores"} <= set(table["decoder"])
    assert table["value"].notna().all()


def test_changing_the_config_or_the_data_changes_the_key():
    prepared = tiny_prepared()
    base = run_key(tiny_config(), prepared)
    assert run_key(tiny_config(), prepared) == base
    assert run_key(tiny_config(learning_rate=3e-2), prepared) != base
    assert run_key(tiny_config(head="softmax_cce"), prepared) != base
    assert run_key(tiny_config(), tiny_prepared(seed=1)) != base


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete_manifest"])
def test_a_corrupt_entry_is_detected_and_recomputed(cache, damage):
    prepared = tiny_prepared()
    original = run(tiny_config(), prepared, cache)
    entry = cache.path(original.key)
    if damage == "truncate":
        path = entry / "scores.npz"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "flip":
        path = entry / "metrics.csv"
        data = bytearray(path.read_bytes())
        data[-3] = ord("7") if data[-3] != ord("7") else ord("8")
        path.write_bytes(bytes(data))
    else:
        (entry / "manifest.json").unlink()
    assert not cache.has(original.key)
    again = run(tiny_config(), prepared, cache)
    assert not again.cached
    np.testing.assert_array_equal(again.score("test"), original.score("test"))
    assert cache.has(original.key)


def test_a_failed_write_leaves_nothing_behind(cache, monkeypatch):
    prepared = tiny_prepared()
    result = experiment.execute(tiny_config(), prepared)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(experiment.pd.DataFrame, "to_csv", explode)
    with pytest.raises(OSError, match="disk full"):
        cache.save(result)
    assert list(cache.root.iterdir()) == []


GRID_SCRIPT = """
import sys
from tests.helpers import tiny_config, tiny_prepared
from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import run_grid
configs = [tiny_config(seed=seed) for seed in range(6)]
run_grid(configs, tiny_prepared(), ResultCache(sys.argv[1]), progress=False)
"""


def test_a_killed_grid_loses_at_most_the_run_in_flight_and_resumes(cache, root):
    process = subprocess.Popen(
        [sys.executable, "-c", GRID_SCRIPT, str(cache.root)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            done = [p for p in cache.root.glob("*") if not p.name.startswith(".")]
            if len(done) >= 2:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the grid did not produce two entries in time")
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finished = [p.name for p in cache.root.glob("*") if not p.name.startswith(".")]
    assert all(cache.has(key) for key in finished), "a killed run left a half-written entry"
    configs = [tiny_config(seed=seed) for seed in range(6)]
    resumed = run_grid(configs, tiny_prepared(), cache, progress=False)
    assert resumed.computed == 6 - len(finished)
    assert not list(cache.root.glob(".*.partial"))
    assert len(resumed.metrics["run"].unique()) == 6


def test_progress_bar_stays_off_the_book(cache, capsys):
    run_grid([tiny_config()], tiny_prepared(), cache)  # stderr is not a terminal here
    assert capsys.readouterr().err == ""


FINGERPRINT_SCRIPT = """
import sys
from tests.helpers import tiny_config, tiny_prepared
before = {name for name in sys.modules if name.startswith("genrebench")}
from genrebench.experiments.runs import execute
execute(tiny_config(), tiny_prepared())
print("\\n".join(sorted(name for name in sys.modules if name.startswith("genrebench"))))
"""


def test_the_code_fingerprint_covers_every_module_a_run_executes(root):
    """Every genrebench module loaded while a run computes is in the run's code fingerprint
    (so editing it recomputes the run); summaries and drawings are not (editing them must not)."""
    loaded = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    loaded = {name for name in loaded if not name.startswith("genrebench.tests")}
    assert loaded, "the script listed no module"
    missing = loaded - set(experiment.run_modules())
    assert not missing, f"modules that compute a run but are not fingerprinted: {missing}"
    for outside in ("genrebench.plots", "genrebench.results", "genrebench.experiments.study"):
        assert not any(m.startswith(outside) for m in experiment.run_modules()), outside


def test_a_run_records_the_split_its_data_come_from(cache):
    prepared = replace(tiny_prepared(), split_seed=3)
    result = run(replace(tiny_config(), split_seed=3), prepared, cache)
    assert set(result.metrics["split_seed"]) == {3}
    with pytest.raises(ValueError, match="split 0 but the data come from split 3"):
        experiment.execute(tiny_config(), prepared)
