"""Execute the book's chapters side by side into Jupyter Book's execution cache.

Jupyter Book executes the chapters one after the other while Sphinx reads them. Most
of a chapter's time is its own kernel's (one core), so ``make book`` first runs the
chapters that the cache lacks in parallel, one kernel per core, exactly as MyST-NB
would (same working folder, timeout and errors policy), and stores each result in the
same cache. Jupyter Book then finds every chapter cached. A chapter that fails here is
not stored: the build executes it again and fails on it with the usual report, so a
failing cell still fails ``make book``.
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import nbformat
import yaml


def toc_notebooks(root: Path) -> list[Path]:
    """The ``.ipynb`` files that ``_toc.yml`` lists (its root first), in its order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    files.append(toc["root"])  # the first page: a notebook too (it reads the runs' results)
    walk(toc)
    return [root / f"{name}.ipynb" for name in files if (root / f"{name}.ipynb").is_file()]


#: Chapters that train the runs other chapters read (the heads study and the loss family;
#: the split studies; the sweeps). On a cold build they start first, heaviest first. The
#: appendix's optimiser comparison is not waited for: it trains plain Adam first, and its
#: lazy-Adam runs are the films split studies' own, mostly cached by the time it gets there.
PRODUCERS = ("04_heads_compared", "05_travel", "07_synthetic_sweeps")
#: Chapters that read what producers train, and which producers: each starts only once
#: those have finished (a chapter that read a study while it was still training would
#: train the same runs again in its own kernel). Any other chapter starts as soon as a
#: kernel is free, so the light chapters fill a core while the last producer runs.
READERS = {
    "00_the_answer": ("05_travel",),
    "06_decoding_calibration": ("04_heads_compared",),
    "08_answers": PRODUCERS,
}


def _ordered(missing: list[Path]) -> list[Path]:
    """The order chapters start in: producers first, then the rest, heaviest (last in the
    book) first, to balance the kernels."""
    first = sorted(
        (path for path in missing if path.stem in PRODUCERS),
        key=lambda path: PRODUCERS.index(path.stem),
    )
    then = sorted((p for p in missing if p.stem not in PRODUCERS), key=lambda p: p.name)[::-1]
    return first + then


def _next_ready(queue: list[Path], waiting_for: set[str]) -> Path | None:
    """The first chapter of ``queue`` whose producers are not in ``waiting_for`` (those
    still to run or running), or None."""
    for path in queue:
        if not waiting_for.intersection(READERS.get(path.stem, ())):
            return path
    return None


def _execute(path: str, timeout: int, allow_errors: bool):
    """Run one notebook as MyST-NB's cache mode does; return (notebook, seconds, error)."""
    from jupyter_cache.executors.utils import single_nb_execution
    from traitlets.config import Config

    notebook = nbformat.read(path, as_version=4)
    # The kernel talks to this process over local sockets, not TCP (which ipykernel warns
    # is unencrypted on every kernel start); each kernel's in a folder of its own, since
    # kernels started side by side would otherwise race for the same socket names.
    with tempfile.TemporaryDirectory(prefix="genrebench-kernel-") as sockets:
        result = single_nb_execution(
            notebook,
            cwd=str(Path(path).parent),
            allow_errors=allow_errors,
            timeout=timeout,
            meta_override=True,
            config=Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"}}),
            # Every output is in by then: stopping the kernel outright spares the log its
            # exit-time noise (asyncio's "Task was destroyed but it is pending!").
            shutdown_kernel="immediate",
        )
    error = None if result.err is None else result.exc_string or repr(result.err)
    return result.nb, result.time, error


def _say(message: str) -> None:
    print(f"genrebench: {message}", flush=True)


def execute_missing(
    cache_dir: Path,
    root: Path,
    timeout: int,
    allow_errors: bool,
    workers: int | None = None,
    progress=_say,
) -> dict[str, str]:
    """Execute the listed chapters the cache lacks, ``workers`` at a time; store those that
    succeed. Returns ``{chapter: outcome}``. ``progress`` receives a line as each chapter
    starts and as it finishes (its time, and how many are still to finish)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    missing = []
    for path in toc_notebooks(root):
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            missing.append(path)
    outcomes = {}
    if not missing:
        return outcomes
    queue = _ordered(missing)
    workers = min(workers or os.cpu_count() or 1, len(missing))
    progress(f"executing {len(missing)} chapters, {workers} at a time")
    started = time.monotonic()
    futures, running, began = {}, {}, {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        while queue or running:
            unfinished = {path.stem for path in (*queue, *running.values())}
            while len(running) < workers:
                path = _next_ready(queue, unfinished)
                if path is None:
                    break
                queue.remove(path)
                running[pool.submit(_execute, str(path), timeout, allow_errors)] = path
                began[path] = time.monotonic()
                progress(f"[{time.monotonic() - started:4.0f} s] started {path.stem}")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                path = running.pop(future)
                futures[path] = future
                left = len(missing) - len(futures)
                failed = future.exception() is not None or future.result()[2] is not None
                state = "failed" if failed else "finished"
                progress(
                    f"[{time.monotonic() - started:4.0f} s] {state} {path.stem} in "
                    f"{time.monotonic() - began[path]:.0f} s; {left} left"
                )
        for path, future in futures.items():
            executed, seconds, error = future.result()
            if error is not None:
                outcomes[path.stem] = "failed (the build runs it again and reports why)"
                continue
            record = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            outcomes[path.stem] = f"{seconds:.1f} s"
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genrebench.book.execute",
        description="Execute the chapters missing from the book's execution cache, in parallel.",
    )
    parser.add_argument("cache_dir", type=Path, help="the Jupyter Book execution cache folder")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: .)")
    parser.add_argument("--workers", type=int, default=None, help="kernels at a time (cores)")
    args = parser.parse_args(argv)
    config = yaml.safe_load((args.root / "_config.yml").read_text(encoding="utf-8"))
    execute = config.get("execute", {})
    if execute.get("execute_notebooks") != "cache":
        return 0  # only the cache mode reads what this stores
    started = time.monotonic()
    outcomes = execute_missing(
        args.cache_dir,
        args.root,
        timeout=int(execute.get("timeout", 30)),
        allow_errors=bool(execute.get("allow_errors", False)),
        workers=args.workers,
    )
    if outcomes:
        summary = ", ".join(f"{name} {outcome}" for name, outcome in outcomes.items())
        print(f"genrebench: executed in {time.monotonic() - started:.0f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
