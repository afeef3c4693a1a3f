"""The ``genrebench`` command: the heads x decoders study on the films or on your own CSV.

``genrebench check``  reads a dataset and prints what would be used (no training).
``genrebench run``    runs the study of the chapter "Sigmoid or softmax?" and writes
                      results.csv, summary tables, the chapter's figures and a
                      self-contained report.html into ``--out``.

Exit status: 0 on success, 2 on bad input (one line on stderr naming the file,
row and column, or the option), 130 when interrupted (Ctrl-C); an interrupted
run resumes from its cache when the same command is run again.
"""

import argparse
import sys
import time
from pathlib import Path

from genrebench.checks import (
    OneLineParser,
    UsageError,
    folder,
    head_names,
    non_empty,
    non_empty_separator,
    number_list,
    printable,
    writable_folder,
)

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


_positive_floats = number_list(float, lambda value: value > 0, "positive", "numbers")
_positive_ints = number_list(int, lambda value: value >= 1, "at least 1", "integers")


def _at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    from genrebench import __version__
    from genrebench.experiments import protocol

    parser = OneLineParser(
        prog="genrebench",
        description=(
            "Sigmoid or softmax for multi-label targets, and which F1 to report, measured "
            "on the built-in films or on your own CSV."
        ),
        epilog="Run 'genrebench COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"genrebench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = OneLineParser(add_help=False)
    group = data.add_argument_group("data")
    group.add_argument(
        "--data",
        required=True,
        type=non_empty,
        metavar="CSV|films|movielens|yeast",
        help="path of a CSV file with one document per row, or a built-in dataset: 'films', "
        "'movielens' (MovieLens genres) or 'yeast' (genes; these two need the datasets extra)",
    )
    group.add_argument("--text-col", metavar="NAME", help="column holding the text (CSV only)")
    group.add_argument(
        "--labels-col",
        metavar="NAME",
        help="column holding the labels, separated by --label-sep or as a JSON list (CSV only)",
    )
    group.add_argument(
        "--label-sep",
        default=",",
        type=non_empty_separator,
        metavar="SEP",
        help="separator between labels (default: ,)",
    )
    group.add_argument("--id-col", metavar="NAME", help="optional column of unique document ids")

    check = commands.add_parser(
        "check",
        parents=[data],
        help="read a dataset and print what a run would use (no training)",
        description=(
            "Read a dataset the way 'run' does and print its size, labels and what was "
            "dropped (rows without labels, labels on fewer than 3 rows). Nothing is written."
        ),
    )

    run = commands.add_parser(
        "run",
        parents=[data],
        help="run the heads x decoders study and write tables, figures and a report",
        description=(
            "Train the heads (by default sigmoid + binary cross-entropy, softmax + categorical "
            "cross-entropy, softmax on normalised targets; --heads for others) on one backbone "
            "with the book's protocol: learning rate and epoch chosen on validation with seed "
            "0, then every seed at the chosen settings, every decoder fitted on validation, "
            "test scores with 95% intervals over seeds. Runs are cached: rerunning resumes."
        ),
    )
    study = run.add_argument_group("study")
    study.add_argument(
        "--heads",
        type=head_names,
        default=protocol.HEADS,
        metavar="H,H",
        help="heads compared, comma-separated, or 'all' for the whole loss family (default: "
        + ",".join(protocol.HEADS)
        + "; sigmoid_bce, when named, is the reference the others are compared with)",
    )
    study.add_argument(
        "--seeds",
        type=_at_least(2),
        default=len(protocol.SEEDS),
        metavar="N",
        help=f"training seeds 0..N-1 per head (default: {len(protocol.SEEDS)}; at least 2)",
    )
    study.add_argument(
        "--learning-rates",
        type=_positive_floats,
        default=protocol.SEARCH_LEARNING_RATES,
        metavar="LR,LR",
        help="learning rates searched on validation (default: "
        + ",".join(f"{lr:g}" for lr in protocol.SEARCH_LEARNING_RATES)
        + ")",
    )
    study.add_argument(
        "--epochs",
        type=_positive_ints,
        default=protocol.SNAPSHOT_EPOCHS,
        metavar="E,E",
        help="epochs at which runs are scored; the last is the training length (default: "
        + ",".join(map(str, protocol.SNAPSHOT_EPOCHS))
        + ")",
    )
    study.add_argument(
        "--batch-size",
        type=_at_least(1),
        metavar="B",
        help=f"training batch size (default: {protocol.BATCH_SIZE}, halved on small data until "
        f"an epoch has at least {protocol.MIN_STEPS_PER_EPOCH} steps)",
    )
    output = run.add_argument_group("output")
    output.add_argument(
        "--out",
        type=folder,
        default=Path("genrebench-results"),
        metavar="DIR",
        help="folder for results.csv, the figures and report.html (default: genrebench-results)",
    )
    output.add_argument(
        "--cache",
        type=folder,
        metavar="DIR",
        help="run cache; a rerun with the same cache resumes (default: cache/ in --out)",
    )
    output.add_argument(
        "--quiet", action="store_true", help="no progress lines on stderr (errors still shown)"
    )
    where = run.add_argument_group("where runs train")
    where.add_argument(
        "--backend",
        choices=("local", "dask"),
        default=None,
        help="'local': in this process (default); 'dask': on a Dask cluster "
        "(needs pip install -e '.[cluster]')",
    )
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="address of a running Dask scheduler (implies --backend dask)",
    )
    where.add_argument(
        "--workers",
        type=_at_least(1),
        default=2,
        metavar="N",
        help="with --backend dask and no --scheduler: start a local cluster of N one-thread "
        "worker processes (default: 2)",
    )
    parser.commands = {"check": check, "run": run}  # for help_text
    return parser


def help_text(command: str | None = None) -> str:
    """What ``genrebench [COMMAND] --help`` prints."""
    parser = build_parser()
    return parser.format_help() if command is None else parser.commands[command].format_help()


def _say(message: str) -> None:
    print(f"genrebench: {message}", file=sys.stderr, flush=True)


def _load(args):
    from genrebench.data.sources import BUILT_IN, load_source

    if args.data in BUILT_IN:
        given = [flag for flag in ("text_col", "labels_col", "id_col") if getattr(args, flag)]
        if given:
            flags = ", ".join("--" + flag.replace("_", "-") for flag in given)
            raise UsageError(f"{flags} only apply to a CSV, not to --data {args.data}")
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


def command_run(args) -> int:
    from genrebench import __version__
    from genrebench.data import DataError
    from genrebench.experiments import protocol
    from genrebench.experiments.cache import ResultCache, prepare_cached
    from genrebench.experiments.selection import DivergedError
    from genrebench.experiments.study import run_heads_study
    from genrebench.report import write_outputs

    out = args.out
    cache_dir = args.cache or out / "cache"
    if args.backend == "local" and args.scheduler:
        raise UsageError("--scheduler needs --backend dask (or no --backend)")
    writable_folder(out, "--out")
    writable_folder(out.absolute().parent, "--out")  # results are staged beside it
    writable_folder(cache_dir, "--cache" if args.cache else "--out")
    dataset = _load(args)
    try:  # split before saying anything, so a refusal stays one line
        prepared = prepare_cached(
            dataset, split_seed=protocol.SPLIT_SEED, cache=ResultCache(cache_dir)
        )
    except DataError as error:
        raise DataError(f"{dataset.meta.get('path', args.data)}: {error}") from None
    _say("; ".join(_describe(dataset)))
    batch_size = args.batch_size or protocol.batch_size_for(prepared.info["documents"]["train"])
    backend = _backend(args)
    cache = ResultCache(cache_dir)
    started = time.monotonic()
    try:
        _say(f"training in {backend.describe()}; cache {cache_dir}")
        try:
            study = run_heads_study(
                prepared,
                cache,
                heads=args.heads,
                seeds=tuple(range(args.seeds)),
                learning_rates=tuple(args.learning_rates),
                snapshot_epochs=tuple(args.epochs),
                batch_size=batch_size,
                progress=not args.quiet,
                backend=backend,
            )
        except DivergedError as error:
            raise UsageError(str(error).replace("learning rates", "--learning-rates")) from None
    finally:
        if hasattr(backend, "close"):
            backend.close()
    run_info = {
        "data": dataset.meta.get("path", dataset.meta.get("source")),
        "data fingerprint": dataset.fingerprint[:16],
        "documents (train / validation / test)": " / ".join(
            str(n) for n in prepared.info["documents"].values()
        ),
        "labels": len(prepared.label_names),
        "features": prepared.info["features"],
        "heads": ", ".join(args.heads),
        "training seeds": args.seeds,
        "learning rates searched": ", ".join(f"{lr:g}" for lr in args.learning_rates),
        "epochs scored": ", ".join(map(str, args.epochs)),
        "batch size": batch_size,
        "diverged runs": "; ".join(study.diverged) or "none",
        "genrebench": __version__,
    }
    if study.diverged:
        _say(f"{len(study.diverged)} runs diverged (see the report): " + "; ".join(study.diverged))
    _say("writing tables, figures and the report")
    written = write_outputs(study, prepared, dataset, out, run_info)
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
