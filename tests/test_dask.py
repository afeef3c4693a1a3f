"""The Dask backend: same results as a local run, no run lost to a dead worker, cache respected.

The cluster trains groups of runs in one pass (two heads per seed); the reference
trains every run alone in this process: grouping and backend change no number.

Runs against a real ``LocalCluster`` of two one-thread worker processes on
127.0.0.1 (the cluster extra is part of the dev install).
"""

import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

from genrebench.experiments.cache import ResultCache
from genrebench.experiments.grid import DaskBackend, LocalBackend, run_grid
from tests.helpers import tiny_config, tiny_prepared

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

SEEDS = range(6)
HEADS = ("sigmoid_bce", "softmax_cce")


def grid_configs():
    return [tiny_config(head=head, seed=seed) for seed in SEEDS for head in HEADS]


class OneAtATime(LocalBackend):
    """Splits every group: each run trains alone."""

    def map(self, tasks):
        for indices, configs, prepared in tasks:
            for index, config in zip(indices, configs, strict=True):
                yield from super().map([((index,), (config,), prepared)])


@pytest.fixture(scope="module")
def backend():
    backend = DaskBackend.local(n_workers=2)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def local_grid(tmp_path_factory):
    """The reference: the same configs trained in this process, one at a time."""
    cache = ResultCache(tmp_path_factory.mktemp("local-cache"))
    return run_grid(grid_configs(), tiny_prepared(), cache, progress=False, backend=OneAtATime())


def assert_same_runs(expected, actual):
    assert [run.key for run in actual.runs] == [run.key for run in expected.runs]
    for mine, theirs in zip(expected.runs, actual.runs, strict=True):
        pd.testing.assert_frame_equal(mine.metrics, theirs.metrics, check_exact=True)
        assert mine.scores.keys() == theirs.scores.keys()
        for name in mine.scores:
            assert np.array_equal(mine.scores[name], theirs.scores[name]), (mine.key, name)


def test_a_grid_on_the_cluster_equals_the_local_grid(backend, local_grid, tmp_path):
    configs = grid_configs()
    remote = run_grid(configs, tiny_prepared(), ResultCache(tmp_path), backend=backend)
    assert remote.computed == len(configs)
    assert_same_runs(local_grid, remote)
    # The results were written by this process into its cache, readable as usual.
    cache = ResultCache(tmp_path)
    assert all(cache.has(run.key) for run in remote.runs)


def kill_busy_workers(client, how_many: int) -> tuple[threading.Thread, list]:
    """Start a thread that SIGKILLs ``how_many`` workers once that many are busy."""
    pids = client.run(os.getpid)
    killed = []

    def kill():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [worker for worker, keys in client.processing().items() if keys]
            if len(busy) >= how_many:
                time.sleep(0.5)  # let them start training
                for worker in busy[:how_many]:
                    os.kill(pids[worker], signal.SIGKILL)
                    killed.append(worker)
                return
            time.sleep(0.02)

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread, killed


@pytest.fixture
def doomed_backend():
    """A cluster of its own for a test that kills its workers: whether the nannies bring
    them back in time is distributed's business (on a loaded machine one once gave up
    after a minute), and the other tests must not depend on it."""
    backend = DaskBackend.local(n_workers=2)
    yield backend
    backend.close()


@pytest.mark.parametrize("how_many", [1, 2], ids=["one worker", "every worker"])
def test_workers_killed_mid_grid_lose_nothing(doomed_backend, local_grid, tmp_path, how_many):
    """One dead worker: the scheduler reruns its run elsewhere. Every worker dead: the
    scattered data died too, so the backend scatters it again and resubmits."""
    backend = doomed_backend
    client = backend.client
    killer, killed = kill_busy_workers(client, how_many)
    configs = grid_configs()
    remote = run_grid(configs, tiny_prepared(), ResultCache(tmp_path), backend=backend)
    killer.join()
    assert len(killed) == how_many, "workers were not busy: the test did not kill anything"
    # The grid can finish before the scheduler notices a death: asking the workers then
    # (client.run) reached the dead one and failed. Wait for the scheduler to drop them.
    deadline = time.monotonic() + 60
    while set(killed) & set(client.scheduler_info()["workers"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not set(killed) & set(client.scheduler_info()["workers"]), (
        "a killed worker is still there"
    )
    assert len(remote.runs) == len(configs)
    assert_same_runs(local_grid, remote)


def lose_gathers(monkeypatch, times: int) -> dict:
    """Make the first ``times`` gathers of each group raise the cancellation a worker's
    death between finishing and gathering causes. Returns the count per group."""
    from distributed import Future
    from distributed.client import FutureCancelledError

    gather = Future.result
    lost: dict = {}

    def result(future, *args, **kwargs):
        group = future.key.rsplit("-", 1)[0]  # a resubmitted group keeps its name
        if lost.get(group, 0) < times:
            lost[group] = lost.get(group, 0) + 1
            raise FutureCancelledError(future.key, "the worker holding it died")
        return gather(future, *args, **kwargs)

    monkeypatch.setattr(Future, "result", result)
    return lost


def test_a_result_lost_before_it_is_gathered_is_trained_again(
    backend, local_grid, tmp_path, monkeypatch
):
    """A worker can die after finishing a group but before this process gathers it: the
    future looked finished, the gather raises a cancellation. The backend resubmits the
    group like one lost mid-training (this race once failed a CI run)."""
    lost = lose_gathers(monkeypatch, times=1)
    configs = grid_configs()
    remote = run_grid(configs, tiny_prepared(), ResultCache(tmp_path), backend=backend)
    assert sorted(lost.values()) == [1] * len(SEEDS)  # one group per seed, each lost once
    assert_same_runs(local_grid, remote)


def test_a_group_lost_on_every_attempt_is_not_retried_forever(backend, tmp_path, monkeypatch):
    from distributed.client import FutureCancelledError

    lost = lose_gathers(monkeypatch, times=10)
    with pytest.raises(FutureCancelledError):
        run_grid([tiny_config()], tiny_prepared(), ResultCache(tmp_path), backend=backend)
    assert list(lost.values()) == [backend.attempts]


def test_runs_already_cached_are_never_sent_to_the_cluster(backend, tmp_path):
    from distributed import get_task_stream

    cache = ResultCache(tmp_path)
    configs = [tiny_config(seed=seed) for seed in range(4)]
    run_grid(configs[:2], tiny_prepared(), cache, progress=False)  # cached locally first
    with get_task_stream(client=backend.client) as stream:
        grid = run_grid(configs, tiny_prepared(), cache, backend=backend)
    trained = [task for task in stream.data if "genrebench-" in task["key"]]
    assert len(trained) == 2
    assert {task["key"].split("-")[2] for task in trained} == {"seed2", "seed3"}
    assert grid.sent == [run.key for run in grid.runs[2:]]
    assert [run.cached for run in grid.runs] == [True, True, False, False]


def test_a_busy_default_dashboard_port_prints_no_warning(recwarn):
    """Another cluster (or anything) on port 8787 must not make the command warn."""
    import socket
    import warnings

    with socket.socket() as taken:
        try:
            taken.bind(("", 8787))
            taken.listen()
        except OSError:
            pass  # already taken by something else: the same situation
        warnings.simplefilter("always")
        backend = DaskBackend.local(n_workers=1)
        backend.close()
    moved = [w for w in recwarn if "already in use" in str(w.message)]
    assert not moved, [str(w.message) for w in moved]


def test_a_scatter_that_fails_while_workers_die_is_sent_again(
    backend, local_grid, tmp_path, monkeypatch
):
    """Every worker dead: the backend scatters the data again, and the scheduler, still
    listing a dead worker, can fail that broadcast (a KeyError on the worker's address
    once failed a fresh-clone test run). The backend waits for a live worker and retries."""
    scatter = backend.client.scatter
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the first scatter after a lost group
            raise KeyError("tcp://127.0.0.1:1")
        return scatter(*args, **kwargs)

    monkeypatch.setattr(backend.client, "scatter", flaky)
    lost = lose_gathers(monkeypatch, times=1)
    configs = grid_configs()
    remote = run_grid(configs, tiny_prepared(), ResultCache(tmp_path), backend=backend)
    assert sum(lost.values()) == len(SEEDS) and len(calls) >= 3
    assert_same_runs(local_grid, remote)


def test_a_scatter_that_always_fails_is_not_retried_forever(backend, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("tcp://127.0.0.1:1")

    monkeypatch.setattr(backend.client, "scatter", broken)
    monkeypatch.setattr("genrebench.experiments.grid.time.sleep", lambda seconds: None)
    with pytest.raises(KeyError):
        run_grid([tiny_config()], tiny_prepared(), ResultCache(tmp_path), backend=backend)
