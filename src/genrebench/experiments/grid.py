"""Running a grid of configs: cache first, then one process or a Dask cluster, with progress.

:func:`run_grid` loads every config already in the cache, gathers the others
into groups that train in one pass (same data, seed and budget but for the head
and learning rate: :func:`~genrebench.experiments.runs.group_key`), and hands
the groups to a backend: :class:`LocalBackend` trains them one after the other in
this process; :class:`DaskBackend` sends them to ``dask.distributed`` workers
(``pip install -e '.[cluster]'``). Either way the results come back to this
process, which alone writes the cache, as each run finishes: the cache stays
the single source of truth, a run already cached is never sent anywhere, and
an interrupted grid resumes where it stopped.

A run computes the same numbers wherever it executes (seeded, TensorFlow op
determinism), so a grid run on a cluster gives the same table as a local one.
This module only orchestrates: it is not part of the code fingerprint of a run
(:func:`genrebench.experiments.runs.run_modules`).
"""

import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from typing import TextIO

import pandas as pd

from genrebench.experiments.cache import CacheCorruptError, ResultCache
from genrebench.experiments.runs import (
    Prepared,
    RunConfig,
    RunResult,
    execute_group,
    group_key,
    run_key,
)
from genrebench.models import pass_bytes

#: Runs to compute in one pass: their positions in the grid, their configs and their data.
Task = tuple[tuple[int, ...], tuple[RunConfig, ...], Prepared]


@dataclass
class GridResult:
    """All runs of a grid, in the order of its configs, and their metrics in one tidy table."""

    runs: list[RunResult]
    sent: list[str] = field(default_factory=list)  # keys of the runs handed to the backend

    @property
    def metrics(self) -> pd.DataFrame:
        return pd.concat([r.metrics for r in self.runs], ignore_index=True)

    @property
    def computed(self) -> int:
        return sum(not r.cached for r in self.runs)


# --- Progress -----------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """How far a grid has got: runs done of those to compute, elapsed time and an ETA.

    The ETA is the remaining number of runs times the mean wall-clock time per
    run so far (so it accounts for several workers in parallel). On a terminal
    the line is redrawn in place; elsewhere (a log file, a pipe) each finished
    run prints one line. ``enabled=False`` prints nothing.
    """

    def __init__(
        self,
        total: int,
        cached: int = 0,
        label: str = "runs",
        stream: TextIO | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.total, self.cached, self.label = total, cached, label
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.clock = clock
        self.done = 0
        self.started = clock()
        self.tty = enabled and getattr(self.stream, "isatty", lambda: False)()
        if enabled:
            self._write(self._line())

    def eta(self) -> float | None:
        """Seconds left, or ``None`` before the first run has finished."""
        if self.done == 0:
            return None
        return (self.clock() - self.started) / self.done * (self.total - self.done)

    def _line(self, note: str = "") -> str:
        eta = self.eta()
        parts = [
            f"{self.label}: {self.done}/{self.total} runs trained",
            f"{self.cached} from the cache",
            f"elapsed {_clock(self.clock() - self.started)}",
            "ETA " + ("--:--" if eta is None else _clock(eta)),
        ]
        return ", ".join(parts) + (f" ({note})" if note else "")

    def _write(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def advance(self, note: str = "", runs: int = 1) -> None:
        """``runs`` more runs finished (a group trained in one pass finishes together)."""
        self.done += runs
        if self.enabled:
            self._write(self._line(note))

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# --- Backends -----------------------------------------------------------------------------------


class LocalBackend:
    """Train each group of runs in this process, one group after the other."""

    def map(self, tasks: list[Task]) -> Iterator[tuple[tuple[int, ...], list[RunResult]]]:
        for indices, configs, prepared in tasks:
            yield indices, execute_group(configs, prepared)

    def describe(self) -> str:
        return "this process, one group of runs at a time"


#: Serialises runs inside one worker process: seeding and TensorFlow's determinism
#: switch are process-wide, so two runs must never train at the same time in one process.
_RUN_LOCK = threading.Lock()


def execute_exclusively(configs: tuple[RunConfig, ...], prepared: Prepared) -> list[RunResult]:
    """:func:`~genrebench.experiments.runs.execute_group`, one group at a time per process
    (what workers call)."""
    with _RUN_LOCK:
        return execute_group(configs, prepared)


class DaskBackend:
    """Send groups of runs to the workers of a ``dask.distributed`` cluster (a group is one
    task: it trains in one pass).

    Each distinct data bundle is scattered to every worker once. If a worker
    dies, the scheduler gives its runs to another worker; if the data it held
    was lost with it, the run is resubmitted with the data scattered again, up
    to ``attempts`` times. Results come back to this process as they finish.
    Workers should have one thread each (``--nthreads 1``); a worker with more
    still trains one run at a time (:func:`execute_exclusively`).
    """

    def __init__(self, client, attempts: int = 3):
        self.client = client
        self.attempts = attempts

    @classmethod
    def connect(cls, address: str, **options) -> "DaskBackend":
        """A backend on the scheduler at ``address`` (``tcp://host:port``)."""
        from distributed import Client

        return cls(Client(address, timeout="10s"), **options)

    @classmethod
    def local(cls, n_workers: int = 2, **options) -> "DaskBackend":
        """A backend on a new cluster of ``n_workers`` one-thread processes on this machine."""
        import logging
        import signal

        from distributed import Client, LocalCluster

        # Ctrl-C in a terminal reaches the whole process group. The workers start
        # with SIGINT ignored (they inherit it), so only this process handles it
        # and shuts them down, instead of each printing its own traceback.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                # Any free port: the default (8787) may be taken, and distributed then
                # warns on the user's terminal that it moved.
                dashboard_address="127.0.0.1:0",
                # A worker still training when this process closes the cluster (after
                # Ctrl-C) logs a failed heartbeat with a traceback; a real failure of a
                # run reaches this process as the task's exception instead.
                silence_logs=logging.CRITICAL,
            )
        finally:
            signal.signal(signal.SIGINT, previous)
        return cls(Client(cluster), **options)

    def describe(self) -> str:
        try:
            info = self.client.scheduler_info(n_workers=-1)  # newer releases list 5 by default
        except TypeError:
            info = self.client.scheduler_info()
        workers = info["workers"]
        return f"Dask scheduler {self.client.scheduler.address} ({len(workers)} workers)"

    def close(self) -> None:
        import logging

        # Closing cuts whatever the scheduler was doing for us (after Ctrl-C, a scatter
        # half-way); its complaints about that are not news to the user.
        # (The event loop's own logger reports the same cut-off tasks.)
        for name in [*logging.root.manager.loggerDict, "distributed", "asyncio", "tornado"]:
            if name.split(".")[0] in ("distributed", "asyncio", "tornado"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()

    def _scatter(self, prepared: Prepared):
        """``prepared`` sent to every worker. Right after workers died, the scheduler can
        still list one of them and fail the broadcast to it (``KeyError`` on its address):
        wait for a live worker and send again, at most ``attempts`` times."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self.client.scatter(prepared, broadcast=True, hash=False)
            except Exception:
                if attempt == self.attempts:
                    raise
                time.sleep(0.5 * attempt)
                self.client.wait_for_workers(1, timeout=60)

    def _submit(self, task: Task, scattered: dict, attempt: int):
        _, configs, prepared = task
        if prepared.fingerprint not in scattered:
            scattered[prepared.fingerprint] = self._scatter(prepared)
        heads = "+".join(config.head for config in configs)
        key = f"genrebench-{heads}-seed{configs[0].budget.seed}-{uuid.uuid4().hex[:12]}"
        return self.client.submit(
            execute_exclusively, configs, scattered[prepared.fingerprint], key=key, pure=False
        )

    def map(self, tasks: list[Task]) -> Iterator[tuple[tuple[int, ...], list[RunResult]]]:
        from distributed import as_completed

        scattered: dict = {}
        pending = {self._submit(task, scattered, 1): (task, 1) for task in tasks}
        queue = as_completed(list(pending))
        try:
            for future in queue:
                task, attempt = pending.pop(future)
                try:
                    if future.status in ("cancelled", "lost"):
                        raise CancelledError(future.key)
                    # A result computed on a worker that dies before it is gathered is
                    # lost too: gathering it then raises a cancellation.
                    results = future.result()
                except CancelledError:
                    if attempt >= self.attempts:
                        raise
                    # The scattered data died with a worker: scatter it again, resubmit.
                    scattered.pop(task[2].fingerprint, None)
                    retry = self._submit(task, scattered, attempt + 1)
                    pending[retry] = (task, attempt + 1)
                    queue.add(retry)
                    continue
                yield task[0], results
        finally:
            for future in pending:
                future.cancel()


# --- The grid -----------------------------------------------------------------------------------


def _describe(group: list[RunConfig]) -> str:
    """What a finished group was, for the progress line: "sigmoid_bce, seed 0" for one run,
    "3 heads x 3 learning rates, seed 0" for a group."""
    seed = f"seed {group[0].budget.seed}"
    if len(group) == 1:
        return f"{group[0].head}, {seed}"
    heads = len({config.head for config in group})
    rates = len({config.budget.learning_rate for config in group})
    parts = [f"{heads} heads" if heads > 1 else group[0].head]
    if rates > 1:
        parts.append(f"{rates} learning rates")
    return " x ".join(parts) + f", {seed}"


#: At most this many models train in one pass (a unit of work small enough to spread over
#: Dask workers).
MAX_GROUP_MODELS = 9
#: And at most this many bytes of input layers and their moments: 12 bytes per feature x
#: hidden unit x model, 38 MB per model on the films, so five of them. The step's
#: temporaries grow with the models too: on one films split, a search pass of nine held
#: 1.56 GB and took 18.7 s, passes of five 1.26 GB and 19.8 s, passes of three 1.15 GB and
#: 20.9 s. Grouping never changes a number, only time and memory.
MAX_GROUP_BYTES = 200 * 2**20
#: Plain Adam touches every input-layer row at every step, so its step's temporaries grow
#: with the whole layer times the models: its passes hold a third as many (rounded up).
PLAIN_ADAM_SHARE = 3


def _limit(config: RunConfig, bundle: Prepared, max_group: int) -> int:
    """Models per pass for runs like ``config`` on ``bundle``."""
    budget = config.budget
    per_model = pass_bytes(1, bundle.X_train.shape[1], budget.hidden_units)
    limit = min(max_group, max(1, MAX_GROUP_BYTES // per_model))
    if budget.optimiser == "adam":
        return -(-limit // PLAIN_ADAM_SHARE)
    return limit


def _passes(runs: list, limit: int) -> list[list]:
    """``runs`` cut into as few passes of at most ``limit`` as possible, as even as possible
    (nine models at most four at a time: three passes of three, not 4 + 4 + 1)."""
    size = -(-len(runs) // -(-len(runs) // limit))
    return [runs[start : start + size] for start in range(0, len(runs), size)]


def run_grid(
    configs: Iterable[RunConfig],
    prepared: Prepared | Callable[[RunConfig], Prepared],
    cache: ResultCache | None = None,
    progress: bool | None = None,
    backend: LocalBackend | DaskBackend | None = None,
    label: str = "runs",
    stream: TextIO | None = None,
    max_group: int = MAX_GROUP_MODELS,
) -> GridResult:
    """Every config's result: loaded from ``cache`` if there, else computed by ``backend``.

    Missing runs that share a batch order train together, ``max_group`` models and
    :data:`MAX_GROUP_BYTES` per pass at most (a third of that with plain Adam), in passes as
    even as possible. ``prepared`` is one bundle for all configs or a function from config
    to bundle. Each computed run is saved to the cache as soon as it arrives, so an
    interrupted grid resumes with what finished. Progress goes to ``stream`` (stderr) and is
    shown only on a terminal unless ``progress`` says otherwise, so it never lands in the
    built book.
    """
    configs = list(configs)
    cache = cache or ResultCache()
    backend = backend or LocalBackend()
    stream = sys.stderr if stream is None else stream
    if progress is None:
        progress = stream.isatty()
    cache.clean_partials()

    results: list[RunResult | None] = [None] * len(configs)
    missing: dict[tuple, list] = {}  # group key -> [(index, config, bundle)], in grid order
    for index, config in enumerate(configs):
        bundle = prepared(config) if callable(prepared) else prepared
        key = run_key(config, bundle)
        try:
            results[index] = cache.load(key)
        except CacheCorruptError:
            cache.discard(key)  # missing or damaged: compute it again
            missing.setdefault(group_key(config, bundle), []).append((index, config, bundle))
    chunks = [
        chunk
        for runs in missing.values()
        for chunk in _passes(runs, _limit(runs[0][1], runs[0][2], max_group))
    ]
    todo: list[Task] = [
        (tuple(i for i, _, _ in runs), tuple(c for _, c, _ in runs), runs[0][2]) for runs in chunks
    ]
    n_todo = sum(len(indices) for indices, _, _ in todo)

    bar = Progress(n_todo, len(configs) - n_todo, label=label, stream=stream, enabled=progress)
    try:
        for indices, group in backend.map(todo):
            for index, result in zip(indices, group, strict=True):
                cache.save(result)
                results[index] = result
            bar.advance(_describe([configs[index] for index in indices]), runs=len(indices))
    finally:
        bar.close()
    sent = [run_key(config, bundle) for _, group, bundle in todo for config in group]
    return GridResult([r for r in results if r is not None], sent=sent)
