"""The ``genrebench`` command: the heads x decoders study on the films or on your own CSV.

``genrebench check``  reads a dataset and prints what would be used (no training).
``genrebench run``    runs the study of the chapter "Sigmoid or softmax?" on several random
                      splits of the data (chapter "Does the answer travel?") and writes
                      results.csv, summary tables, the chapters' figures and a
                      self-contained report.html into ``--out``.

Exit status: 0 on success, 2 on bad input (one line on stderr naming the file,
row and column, or the option), 130 when interrupted (Ctrl-C); an interrupted
run resumes from its cache when the same command is run again.
"""

import sys
import time
from pathlib import Path

from genrebench.checks import UsageError, printable, writable_folder
from genrebench.options import build_parser, help_text, search_grid

__all__ = ["EXIT_INPUT", "EXIT_INTERRUPTED", "build_parser", "help_text", "main"]

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


def _say(message: str) -> None:
    print(f"genrebench: {message}", file=sys.stderr, flush=True)


def _load(args):
    from genrebench.data.sources import BUILT_IN, load_source

    if args.data in BUILT_IN:
        given = [flag for flag in ("text_col", "labels_col", "id_col") if getattr(args, flag)]
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
    )


def _describe(dataset) -> list[str]:
    """What was read: size and labels, then what was dropped, one line each."""
    dropped = {k: v for k, v in dict(dataset.meta.get("dropped", {})).items() if v}
    lines = [
        f"{printable(dataset.meta.get('source'))}: {len(dataset)} documents, "
        f"{len(dataset.label_names)} labels, "
        f"{dataset.cardinality().mean():.2f} labels per document"
    ]
    if dropped:
        lines.append("rows dropped: " + ", ".join(f"{n} ({why})" for why, n in dropped.items()))
    if dataset.meta.get("dropped_labels"):
        lines.append(
            "rare labels dropped: " + ", ".join(map(printable, dataset.meta["dropped_labels"]))
        )
    return lines


def command_check(args) -> int:
    dataset = _load(args)
    print("\n".join(_describe(dataset)))
    frequencies = dataset.label_frequencies()
    names = [printable(label) for label in frequencies.index]
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
            raise UsageError(f"cannot reach the Dask scheduler {args.scheduler}: {error}") from None
    return DaskBackend.local(args.workers)


def _name(args) -> str:
    """The dataset's name in tables: a built-in one's, or the CSV file's."""
    from genrebench.data.sources import BUILT_IN

    return args.data if args.data in BUILT_IN else Path(args.data).name


def _run_info(args, dataset, prepared, split_study, searched: tuple) -> dict:
    """What the run used, for run.json and the report's first table."""
    from genrebench import __version__
    from genrebench.experiments import protocol

    rates, epochs, extend = searched
    documents = prepared.info["documents"]
    return {
        "data": dataset.meta.get("path", dataset.meta.get("source")),
        "data fingerprint": dataset.fingerprint[:16],
        "documents per split (train / validation / test)": " / ".join(
            str(n) for n in documents.values()
        ),
        "labels": len(prepared.label_names),
        "features (split 0)": prepared.info["features"],
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


def command_run(args) -> int:
    from genrebench.data import DataError
    from genrebench.experiments.cache import ResultCache, prepare_cached
    from genrebench.experiments.selection import DivergedError
    from genrebench.experiments.splits import run_split_study
    from genrebench.report import write_outputs

    out = args.out
    cache_dir = args.cache or out / "cache"
    if args.backend == "local" and args.scheduler:
        raise UsageError("--scheduler needs --backend dask (or no --backend)")
    writable_folder(out, "--out")
    writable_folder(out.absolute().parent, "--out")  # results are staged beside it
    writable_folder(cache_dir, "--cache" if args.cache else "--out")
    dataset = _load(args)
    cache = ResultCache(cache_dir)
    splits = tuple(range(args.splits))
    try:  # split before saying anything, so a refusal stays one line
        first = prepare_cached(dataset, split_seed=splits[0], cache=cache)
        for split in splits[1:]:  # cached for the study; every split must be possible
            prepare_cached(dataset, split_seed=split, cache=cache)
    except DataError as error:
        raise DataError(f"{dataset.meta.get('path', args.data)}: {error}") from None
    _say("; ".join(_describe(dataset)))
    searched = search_grid(args)
    backend = _backend(args)
    started = time.monotonic()
    try:
        _say(
            f"{args.splits} data splits x {args.seeds} training seeds, training in "
            f"{backend.describe()}; cache {cache_dir}"
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
            + "; ".join(split_study.diverged)
        )
    _say("writing tables, figures and the report")
    run_info = _run_info(args, dataset, first, split_study, searched)
    written = write_outputs(split_study, first, dataset, out, run_info)
    _say(f"done in {time.monotonic() - started:.0f} s")
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def _cached_runs(args) -> str:
    from genrebench.experiments.cache import PREPARED_FOLDER

    folder = args.cache or args.out / "cache"
    if not folder.is_dir():
        return "no runs are cached yet"
    entries = [
        p for p in folder.iterdir() if not p.name.startswith(".") and p.name != PREPARED_FOLDER
    ]
    return f"{len(entries)} finished runs are cached in {folder}"


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


def main(argv=None) -> int:
    """Entry point of the ``genrebench`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from genrebench.data import DataError

    handlers = {"check": command_check, "run": command_run}
    try:
        return handlers[args.command](args)
    except (DataError, UsageError) as error:
        message = _in_command_words(str(error))
        print(f"genrebench {args.command}: error: {message}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. `genrebench check ... | head`: the reader stopped reading
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(file=sys.stderr)
        note = _cached_runs(args) if args.command == "run" else "nothing was written"
        _say(f"interrupted; {note}; run the same command again to resume")
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover - python -m genrebench.cli
    sys.exit(main())
