"""The ``genrebench`` command: the heads x decoders study on the films or on your own CSV.

``genrebench check``  reads a dataset and prints what would be used (no training).
``genrebench run``    runs the study of the chapter "The heads compared on the films" on
                      several random splits of the data (chapter "Does the answer
                      travel?") and writes
                      results.csv, summary tables, the chapters' figures and a
                      self-contained report.html into ``--out``.

Exit status: 0 on success, 2 on bad input (one line on stderr naming the file,
row and column, or the option), 130 when interrupted (Ctrl-C), 141 when a ``run`` stops
because its output (stdout or stderr) was closed; an interrupted run resumes from its
cache when the same command is run again.

Every user string a line shows (a path, a column, a label) goes through
:mod:`genrebench.files`' :func:`visible`, :func:`quoted` or :func:`shown_path`.
"""

import logging
import os
import sys
import time
import warnings
from pathlib import Path

from genrebench.checks import LINE_LIMIT, UsageError, separate_folders, writable_folder
from genrebench.files import quoted, shown_path, visible
from genrebench.options import build_parser, help_text, search_grid

__all__ = ["EXIT_CLOSED", "EXIT_INPUT", "EXIT_INTERRUPTED", "build_parser", "help_text", "main"]

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130
#: A run whose output was closed (``genrebench run ... 2>&1 | head -1``): 128 + SIGPIPE, as a
#: shell reports a command that a closed pipe stopped. It did not finish, so it is not 0.
EXIT_CLOSED = 141


def _say(message: str, quiet: bool = False) -> None:
    """A progress line on stderr (none with ``--quiet``)."""
    if not quiet:
        print(f"genrebench: {visible(message)}", file=sys.stderr, flush=True)


def _load(args):
    from genrebench.data.sources import BUILT_IN, load_source

    if args.data in BUILT_IN:
        flags = ("text_col", "labels_col", "id_col", "features")
        given = [flag for flag in flags if getattr(args, flag)]
        if given:
            flags = ", ".join("--" + flag.replace("_", "-") for flag in given)
            raise UsageError(f"{flags} only apply to a CSV, not to --data {args.data}")
        from genrebench.experiments import protocol

        return protocol.load_built_in(args.data)
    return load_source(
        args.data,
        text_col=args.text_col,
        labels_col=args.labels_col,
        label_sep=args.label_sep,
        id_col=args.id_col,
        option_names={"text_col": "--text-col", "labels_col": "--labels-col"},
        features=args.features,
    )


def _describe(dataset) -> list[str]:
    """What was read: size and labels, then what was dropped, one line each."""
    dropped = {k: v for k, v in dict(dataset.meta.get("dropped", {})).items() if v}
    lines = [
        f"{visible(dataset.meta.get('source'))}: {len(dataset)} documents, "
        f"{len(dataset.label_names)} labels, "
        f"{dataset.cardinality().mean():.2f} labels per document"
    ]
    if dataset.meta.get("features_file"):
        features = dataset.meta["features_file"]
        lines.append(
            f"features: {features['columns']} numeric columns from {features['path']} "
            "(in place of TF-IDF; standardised on each training split)"
        )
    if dropped:
        lines.append("rows dropped: " + ", ".join(f"{n} ({why})" for why, n in dropped.items()))
    if dataset.meta.get("dropped_labels"):
        lines.append(
            "rare labels dropped: " + ", ".join(map(visible, dataset.meta["dropped_labels"]))
        )
    if dataset.meta.get("normalised_labels"):
        lines.append(
            "label names read in Unicode NFC form: "
            f"{dataset.meta['normalised_labels']} written in another form became their NFC twin"
        )
    return lines


def command_check(args) -> int:
    from genrebench.data import DataError, split

    dataset = _load(args)
    try:  # the first split a run makes (a run makes every one; see _prepare_splits)
        split(dataset, seed=0)
    except DataError as error:
        raise DataError(f"{shown_path(dataset.meta.get('path', args.data))}: {error}") from None
    print("\n".join(_describe(dataset)))
    frequencies = dataset.label_frequencies()
    names = [visible(label) for label in frequencies.index]
    width = max(map(len, names))
    for name, count in zip(names, frequencies, strict=True):
        print(f"  {name:<{width}}  {count:>7}  {count / len(dataset):7.2%}")
    return 0


def _backend(args):
    if not (args.scheduler or args.backend == "dask"):
        from genrebench.experiments.grid import LocalBackend

        return LocalBackend()
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(
            "the Dask backend needs the cluster extra: pip install -e '.[cluster]'"
        ) from None
    from genrebench.experiments.grid import DaskBackend

    if args.scheduler:
        try:
            return DaskBackend.connect(args.scheduler)
        except (OSError, TimeoutError, ValueError) as error:
            raise UsageError(
                f"cannot reach the Dask scheduler {visible(args.scheduler)} (--scheduler): {error}"
            ) from None
    return DaskBackend.local(args.workers)


def _name(args) -> str:
    """The dataset's name in tables: a built-in one's, or the CSV file's."""
    from genrebench.data.sources import BUILT_IN

    return args.data if args.data in BUILT_IN else visible(Path(args.data).name)


def _features_text(args, dataset, columns: int) -> str:
    """What the models read: the user's features, TF-IDF of a text column, or a built-in's."""
    given = dataset.meta.get("features_file")
    if given:
        return f"{columns} numeric columns from {given['path']}, standardised on training"
    if dataset.features is not None:
        return f"{columns} numeric columns, standardised on training"
    column = f" of column {quoted(args.text_col)}" if args.text_col else ""
    return f"{columns} TF-IDF terms{column}"


def _run_info(args, dataset, prepared, split_study, searched: tuple) -> dict:
    """What the run used, for run.json and the report's first table."""
    from genrebench import __version__
    from genrebench.experiments import protocol

    rates, epochs, extend = searched
    documents = prepared.info["documents"]
    return {
        "data": visible(dataset.meta.get("path", dataset.meta.get("source"))),
        "data fingerprint": dataset.fingerprint[:16],
        "documents per split (train / validation / test)": " / ".join(
            str(n) for n in documents.values()
        ),
        "labels": len(prepared.label_names),
        "features (split 0)": _features_text(args, dataset, prepared.info["features"]),
        "heads": ", ".join(args.heads),
        "data splits": args.splits,
        "split seeds": list(split_study.splits),
        "training seeds per split": args.seeds,
        "search grid": f"the protocol's, grown past its edges at most {extend} times"
        if extend
        else "as given (--learning-rates, --epochs), never grown",
        "learning rates searched first": list(rates),
        "epochs scored first": list(epochs),
        "final grids": {
            f"split {split}": {
                "learning rates": list(study.grid["learning_rates"]),
                "epochs": list(study.grid["snapshot_epochs"]),
                "times grown": study.grid["extensions"],
            }
            for split, study in split_study.studies.items()
        },
        "batch size": args.batch_size or protocol.batch_size_for(documents["train"]),
        "diverged runs": "; ".join(split_study.diverged) or "none",
        "genrebench": __version__,
    }


#: scikit-learn's words when a split's training texts leave TF-IDF no word to keep.
_NO_VOCABULARY = ("empty vocabulary", "no terms remain")


def _prepare_splits(args, dataset, cache, splits):
    """Every split's features (cached for the study; every split must be possible), or a
    refusal that leaves the cache as it was."""
    from genrebench.data import DataError
    from genrebench.experiments.cache import prepare_cached

    where = shown_path(dataset.meta.get("path", args.data))
    before = _entries(cache.root)
    try:
        return [prepare_cached(dataset, split_seed=split, cache=cache) for split in splits]
    except DataError as error:
        _remove_new(cache.root, before)
        raise DataError(f"{where}: {error}") from None
    except ValueError as error:
        if not any(words in str(error) for words in _NO_VOCABULARY):
            raise
        _remove_new(cache.root, before)
        raise DataError(
            f"{where}: column {quoted(args.text_col)}: the texts leave no word for the features "
            "(words of two or more letters or digits that at least 2 training documents "
            "share); give texts of real words"
        ) from None


def _entries(root: Path) -> set[Path] | None:
    """What the cache folder holds now, its ``prepared/`` folder's entries included (``None``:
    the folder does not exist)."""
    from genrebench.experiments.cache import PREPARED_FOLDER

    if not root.is_dir():
        return None
    prepared = root / PREPARED_FOLDER
    return {*root.iterdir(), *(prepared.iterdir() if prepared.is_dir() else ())}


def _remove_new(root: Path, before: set[Path] | None) -> None:
    """Remove what this command added to the cache folder (the folder itself, if it made it)."""
    import shutil

    if before is None:
        shutil.rmtree(root, ignore_errors=True)
        return
    added = (_entries(root) or set()) - before
    for entry in sorted(added, key=lambda path: len(path.parts), reverse=True):  # deepest first
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _check_paths(args, cache_dir: Path) -> None:
    """``--out``, the staging folder beside it and the cache: each must be creatable, tried
    for real (a probe folder made and removed), and the cache must not be where the results
    are written."""
    from genrebench.report import OUTPUT_NAMES

    writable_folder(args.out, "--out", beside=True)
    writable_folder(cache_dir, "--cache" if args.cache else "--out")
    if args.cache:
        separate_folders(args.out, args.cache, OUTPUT_NAMES)


def command_run(args) -> int:
    from genrebench.experiments.cache import ResultCache
    from genrebench.experiments.selection import DivergedError
    from genrebench.experiments.splits import run_split_study
    from genrebench.report import write_outputs

    if args.quiet:  # nothing but errors: scikit-learn's and matplotlib's warnings included
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
    out = args.out
    cache_dir = args.cache or out / "cache"
    if args.backend == "local" and args.scheduler:
        raise UsageError("--scheduler needs --backend dask (or no --backend)")
    backend = _backend(args) if args.scheduler else None  # a scheduler is checked first
    try:
        _check_paths(args, cache_dir)
        dataset = _load(args)
        cache = ResultCache(cache_dir)
        splits = tuple(range(args.splits))
        first = _prepare_splits(args, dataset, cache, splits)[0]  # before saying anything
        _say("; ".join(_describe(dataset)), args.quiet)
        searched = search_grid(args)
        backend = backend or _backend(args)
        started = time.monotonic()
        _say(
            f"{args.splits} data splits x {args.seeds} training seeds, training in "
            f"{backend.describe()}; cache {cache_dir}",
            args.quiet,
        )
        try:
            split_study = run_split_study(
                dataset,
                cache,
                splits=splits,
                seeds=tuple(range(args.seeds)),
                heads=args.heads,
                learning_rates=searched[0],
                snapshot_epochs=searched[1],
                extend=searched[2],
                batch_size=args.batch_size,
                name=_name(args),
                progress=not args.quiet,
                backend=backend,
            )
        except DivergedError as error:
            raise UsageError(str(error).replace("learning rates", "--learning-rates")) from None
    finally:
        if hasattr(backend, "close"):
            backend.close()
    if split_study.diverged:
        _say(
            f"{len(split_study.diverged)} runs diverged (see the report): "
            + "; ".join(split_study.diverged),
            args.quiet,
        )
    _say("writing tables, figures and the report", args.quiet)
    run_info = _run_info(args, dataset, first, split_study, searched)
    written = write_outputs(split_study, first, dataset, out, run_info)
    args.finished = True
    _say(f"done in {time.monotonic() - started:.0f} s", args.quiet)
    if not args.quiet:
        for name, path in written.items():
            print(f"{name}: {shown_path(path, limit=None)}")
    return 0


def _cached_runs(args) -> str:
    from genrebench.experiments.cache import PREPARED_FOLDER

    folder = args.cache or args.out / "cache"
    if not folder.is_dir():
        return "no runs are cached yet"
    entries = [
        p for p in folder.iterdir() if not p.name.startswith(".") and p.name != PREPARED_FOLDER
    ]
    return f"{len(entries)} finished runs are cached in {shown_path(folder, limit=None)}"


#: Parameter names in genrebench.data's messages, as this command spells them.
_OPTION_WORDS = {
    "label_sep=": "--label-sep ",
    "(text_col)": "(--text-col)",
    "(labels_col)": "(--labels-col)",
    "(id_col)": "(--id-col)",
}


def _in_command_words(message: str) -> str:
    for library, command in _OPTION_WORDS.items():
        message = message.replace(library, command)
    return message.replace("\n", " ")


def _error_line(command: str, message: str) -> str:
    """The one error line: control characters escaped, at most :data:`LINE_LIMIT`
    characters (messages cut their quoted values; this cut is the last resort)."""
    line = f"genrebench {command}: error: {visible(_in_command_words(message))}"
    return line if len(line) <= LINE_LIMIT else line[: LINE_LIMIT - 1] + "\u2026"


def _emit(line: str) -> None:
    """A last line on stderr; nothing if stderr is closed (the exit status still says it)."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (BrokenPipeError, OSError):
        _silence_closed_streams()


def _silence_closed_streams() -> None:
    """Point stdout and stderr at /dev/null, so that nothing more (not even Python's flush at
    exit) writes into a closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass


def main(argv=None) -> int:
    """Entry point of the ``genrebench`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from genrebench.data import DataError

    handlers = {"check": command_check, "run": command_run}
    args.finished = args.command == "check"  # check is done once it prints; run once written
    try:
        return handlers[args.command](args)
    except (DataError, UsageError) as error:
        _emit(_error_line(args.command, str(error)))
        return EXIT_INPUT
    except BrokenPipeError:  # the reader stopped reading (`genrebench check ... | head`)
        _silence_closed_streams()
        return 0 if args.finished else EXIT_CLOSED
    except KeyboardInterrupt:
        note = _cached_runs(args) if args.command == "run" else "nothing was written"
        _emit(f"\ngenrebench: interrupted; {note}; run the same command again to resume")
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover - python -m genrebench.cli
    sys.exit(main())
