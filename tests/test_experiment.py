"""The experiment engine: cached, resumable, checksummed, deterministic runs."""

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
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


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip", "delete_manifest", "manifest_list", "manifest_empty", "plain_file", "key"],
)
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
    elif damage == "delete_manifest":
        (entry / "manifest.json").unlink()
    elif damage == "manifest_list":
        (entry / "manifest.json").write_text("[]")
    elif damage == "manifest_empty":
        (entry / "manifest.json").write_text("{}")
    elif damage == "plain_file":
        shutil.rmtree(entry)
        entry.write_text("not an entry")
    else:  # another run's entry under this key
        manifest = json.loads((entry / "manifest.json").read_text())
        (entry / "manifest.json").write_text(json.dumps({**manifest, "key": "0" * 24}))
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


def test_an_entry_stores_its_key_and_a_load_that_races_a_removal_is_a_miss(cache, monkeypatch):
    from genrebench.experiments.cache import CacheCorruptError

    result = experiment.execute(tiny_config(), tiny_prepared())
    cache.save(result)
    manifest = json.loads((cache.path(result.key) / "manifest.json").read_text())
    assert manifest["key"] == result.key

    def vanished(*args, **kwargs):
        raise FileNotFoundError("removed by another process")

    monkeypatch.setattr(experiment.pd, "read_csv", vanished)
    with pytest.raises(CacheCorruptError):
        cache.load(result.key)


def test_saving_a_run_already_stored_keeps_the_entry(cache):
    result = experiment.execute(tiny_config(), tiny_prepared())
    cache.save(result)
    cache.save(result)
    assert cache.has(result.key)
    assert [p.name for p in cache.root.iterdir()] == [result.key]


def test_clean_partials_leaves_live_processes_saves_alone(cache):
    from genrebench.experiments import cache as cache_module

    cache.root.mkdir(parents=True)
    host = cache_module._host()
    live = cache.root / f".abc.{host}.{os.getpid()}.1234.partial"
    dead_pid = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dead = cache.root / f".abc.{host}.{dead_pid}.5678.partial"
    fresh_unknown = cache.root / ".abc.deadbeef.partial"
    old_unknown = cache.root / ".abd.cafe.partial"
    for folder in (live, dead, fresh_unknown, old_unknown):
        folder.mkdir()
    old = time.time() - cache_module.STALE_PARTIAL_SECONDS - 60
    os.utime(old_unknown, (old, old))
    assert cache.clean_partials() == 2
    assert sorted(p.name for p in cache.root.iterdir()) == sorted([live.name, fresh_unknown.name])


_SHARED = {}


def _save_and_load_many(root: str, rounds: int) -> None:
    shared = ResultCache(root)
    result = _SHARED["result"]
    for _ in range(rounds):
        shared.save(result)
        if shared.has(result.key):
            try:
                shared.load(result.key)
            except Exception as error:  # only a miss is allowed
                from genrebench.experiments.cache import CacheCorruptError

                assert isinstance(error, CacheCorruptError), error
        shared.clean_partials()


def test_processes_sharing_a_cache_never_crash_and_leave_one_valid_entry(cache):
    result = experiment.execute(tiny_config(), tiny_prepared())
    _SHARED["result"] = result
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_save_and_load_many, args=(str(cache.root), 25)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert cache.has(result.key)
    assert [p.name for p in cache.root.iterdir()] == [result.key]
    loaded = cache.load(result.key)
    np.testing.assert_array_equal(loaded.score("test"), result.score("test"))


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


def test_a_diverging_run_is_recorded_as_diverged_and_the_grid_goes_on(cache):
    from genrebench.experiments.selection import DivergedError, select_settings

    prepared = tiny_prepared()
    configs = [tiny_config(learning_rate=1e-2), tiny_config(learning_rate=1e20)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # diverging is recorded, quietly
        result = run_grid(configs, prepared, cache, progress=False)
    fine, diverged = result.runs
    assert fine.record["diverged"] is None and fine.metrics["value"].notna().all()
    # The two trained in one pass (same seed): the fine run is the one trained alone.
    alone = experiment.execute(configs[0], prepared)
    assert all(np.array_equal(alone.scores[k], fine.scores[k]) for k in alone.scores)
    assert "NaN or infinite" in diverged.record["diverged"]
    assert diverged.metrics["value"].isna().any()
    assert set(diverged.metrics.columns) == set(fine.metrics.columns)
    assert len(diverged.metrics) == len(fine.metrics)
    selected = select_settings(result.metrics)
    assert selected["learning_rate"].tolist() == [1e-2]
    again = run_grid(configs, prepared, cache, progress=False)  # diverged runs are cached too
    assert all(run.cached for run in again.runs)
    with pytest.raises(DivergedError, match="every run of sigmoid_bce diverged"):
        select_settings(diverged.metrics)


class _DivergingSeed:
    """A local backend whose runs of one head and seed diverge (their metrics NaN)."""

    def __init__(self, head: str, seeds: tuple):
        self.head, self.seeds = head, seeds

    def describe(self) -> str:
        return "this process, some seeds diverging"

    def map(self, tasks):
        for indices, configs, prepared in tasks:
            results = experiment.execute_group(configs, prepared)
            for config, result in zip(configs, results, strict=True):
                if config.head == self.head and config.budget.seed in self.seeds:
                    result.metrics["value"] = np.nan
                    result.record["diverged"] = "scores NaN or infinite from epoch 2 (test)"
            yield indices, results


@pytest.mark.parametrize("seeds_lost", [(1,), (1, 2)])
def test_a_seed_diverging_at_the_chosen_settings_is_left_out_and_listed(cache, seeds_lost):
    from genrebench.experiments.selection import DivergedError
    from genrebench.experiments.study import run_heads_study

    def study():
        return run_heads_study(
            tiny_prepared(),
            cache,
            seeds=(0, 1, 2),
            learning_rates=(1e-2,),
            snapshot_epochs=(2,),
            batch_size=64,
            progress=False,
            backend=_DivergingSeed("softmax_cce", seeds_lost),
        )

    if len(seeds_lost) == 2:
        with pytest.raises(DivergedError, match="softmax_cce diverged on 2 of 3 seeds"):
            study()
        return
    result = study()
    assert result.metrics["value"].notna().all()
    assert sorted(result.scores("softmax_cce")) == [0, 2]
    assert len(result.diverged) == 1 and result.diverged[0].startswith("softmax_cce")


def test_the_seeds_reuse_the_search_run_and_are_scored_only_at_the_chosen_epochs(cache):
    """The search seed's reported run is the search's own run (trained once, every epoch
    scored); every other seed is scored only at the epochs the heads chose, trains as long
    (its validation curve is complete), and scores at its chosen epoch exactly as a run
    scored at every epoch would."""
    from genrebench.experiments import protocol
    from genrebench.experiments.study import run_heads_study

    prepared = tiny_prepared()
    options = dict(learning_rates=(1e-2, 3e-2), snapshot_epochs=(1, 2, 3), batch_size=64)
    study = run_heads_study(prepared, cache, seeds=(0, 1), progress=False, extend=0, **options)
    chosen = tuple(sorted(set(study.selected["epoch"])))
    search_keys = set(study.search["run"])
    for run in study.runs:
        config = run.record["config"]
        if config["budget"]["seed"] == protocol.SEARCH_SEED:
            assert run.key in search_keys
            assert run.record["epochs_recorded"] == [1, 2, 3]
        else:
            assert run.record["epochs_recorded"] == list(chosen)
            assert len(run.record["eval_loss"]["val"]) == 3
    # The same seed scored at every epoch: the reported scores do not change.
    row = study.selected.iloc[0]
    every_epoch = RunConfig(
        head=row["head"],
        budget=protocol.budget(float(row["learning_rate"]), 1, epochs=3, batch_size=64),
        snapshot_epochs=(1, 2, 3),
        dataset=prepared.name,
        split_seed=prepared.split_seed,
    )
    full = experiment.execute(every_epoch, prepared)
    epoch = int(row["epoch"])
    np.testing.assert_array_equal(full.score("test", epoch), study.scores(row["head"])[1])
