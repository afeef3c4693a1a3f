"""The command's checks of its arguments: one-line option errors, and paths checked before work.

Everything here runs before any data is read or any model trained, so a typo in an
option or an unwritable folder costs a second, not a training run.
"""

import argparse
import math
import os
import re
import uuid
from pathlib import Path

from genrebench.files import quoted, shown_path, visible

#: The longest error line the command prints.
LINE_LIMIT = 300


class UsageError(Exception):
    """Bad input the user can fix; printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (``prog: error: ...``), status 2.

    ``--help`` still prints the full usage; only errors drop argparse's usage block.
    """

    def error(self, message: str):
        line = f"{self.prog}: error: " + visible(" ".join(str(message).split()))
        if len(line) > LINE_LIMIT:  # argparse quotes an unknown option whole
            line = line[: LINE_LIMIT - 1] + "\u2026"
        self.exit(2, line + "\n")


def non_empty(text: str) -> str:
    """An argparse type for a string option that must not be empty (nor only spaces)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def non_empty_separator(text: str) -> str:
    """``--label-sep``: any non-empty string (a tab or a space is a separator)."""
    if text == "":
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def folder(text: str) -> Path:
    """An argparse type for a folder option: a non-empty path (``''`` is not the current one)."""
    return Path(non_empty(text))


def number_list(convert, valid, requirement: str, noun: str):
    """An argparse type for a comma-separated list of finite ``noun`` that all satisfy ``valid``."""

    def parse(text: str) -> tuple:
        try:
            values = tuple(convert(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"not a comma-separated list of {noun}: {quoted(text)}"
            ) from None
        if not all(math.isfinite(value) for value in values):
            raise argparse.ArgumentTypeError(f"every value must be a finite number: {quoted(text)}")
        if not all(valid(value) for value in values):
            raise argparse.ArgumentTypeError(f"every value must be {requirement}: {quoted(text)}")
        return values

    return parse


def _nearest_existing(path: Path) -> Path:
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            return folder
    return Path.cwd()


def _try_making(folder: Path) -> str | None:
    """Make ``folder`` (and its missing parents), then remove what was made: ``None`` if that
    worked, else why not. An existing folder gets a hidden folder made and removed inside it.
    Asking (``os.access``) is not enough: root is told yes for ``/proc`` and ``/sys``, and a
    name may be too long only once the folder beside it is named."""
    try:  # a name too long raises even from is_dir()
        if folder.is_dir():
            folder = folder / f".genrebench-probe.{os.getpid()}.{uuid.uuid4().hex[:12]}"
        existing = _nearest_existing(folder)
        if not existing.is_dir():
            return f"{shown_path(existing)} is a file, not a folder"
        made = [folder, *folder.parents[: len(folder.parents) - len(existing.parents) - 1]]
        folder.mkdir(parents=True)
    except OSError as error:
        return error.strerror or type(error).__name__
    try:
        for path in made:  # deepest first
            path.rmdir()
    except OSError as error:  # pragma: no cover - made but not removable
        return error.strerror or type(error).__name__
    return None


def writable_folder(path: Path, option: str, beside: bool = False) -> None:
    """Refuse ``path`` unless it is a folder, or can be created as one, that we may write
    into; with ``beside``, also the folder a result set is staged in beside it (named as
    :func:`genrebench.files.staged_folder` names it). Both are tried, not asked about, and
    nothing is left behind."""
    shown = shown_path(path)
    absolute = Path(os.path.abspath(path))
    if beside and absolute.parent == absolute:
        raise UsageError(f"{option} {shown}: the root folder has no folder beside it; name one")
    try:
        is_file = path.exists() and not path.is_dir()
    except OSError as error:
        raise UsageError(f"{option} {shown}: cannot be created ({error.strerror})") from None
    if is_file:
        raise UsageError(f"{option} {shown}: exists and is not a folder")
    why = _try_making(absolute)
    if why:
        raise UsageError(f"{option} {shown}: cannot be created ({why})")
    if beside:
        token = f"{os.getpid()}.{uuid.uuid4().hex[:12]}"
        why = _try_making(absolute.with_name(f".{absolute.name}.{token}.previous"))
        if why:
            raise UsageError(f"{option} {shown}: no folder can be made beside it ({why})")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def separate_folders(out: Path, cache: Path, replaced: tuple[str, ...]) -> None:
    """Refuse a cache that a run would destroy or mix with its results: ``--out`` itself, a
    folder inside ``--out`` that every run replaces (``figures``), or a folder holding
    ``--out``. Elsewhere inside ``--out`` (the default ``--out/cache``) it is kept."""
    out_path, cache_path = out.resolve(), cache.resolve()
    where = f"--cache {shown_path(cache)}"
    if _inside(out_path, cache_path):
        raise UsageError(
            f"{where}: holds --out {shown_path(out)}; give the results and the cache "
            "separate folders"
        )
    for name in replaced:
        if _inside(cache_path, out_path / name):
            raise UsageError(
                f"{where}: is inside --out's {quoted(name)}, which every run replaces; "
                "choose a cache outside it"
            )


#: A Dask scheduler's address: ``tcp://HOST:PORT`` (or another of Dask's protocols).
_SCHEDULER = re.compile(
    r"(tcp|tls|inproc|ucx|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)(:\d{1,5})?(/\S*)?"
)


def scheduler_address(text: str) -> str:
    """An argparse type for ``--scheduler``: an address such as ``tcp://HOST:8786``."""
    if not _SCHEDULER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"not a scheduler address such as tcp://HOST:8786: {quoted(text)}"
        )
    return text


def head_names(text: str) -> tuple[str, ...]:
    """An argparse type: two or more distinct head names, comma-separated (``all``: every head)."""
    from genrebench.heads import HEADS

    names = tuple(part.strip() for part in text.split(","))
    if names == ("all",):
        return tuple(HEADS)
    unknown = [name for name in names if name not in HEADS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown head {quoted(unknown[0])}; choose from {', '.join(HEADS)} (or all)"
        )
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"a head is named twice: {quoted(text)}")
    if len(names) < 2:
        raise argparse.ArgumentTypeError(f"name at least two heads to compare: {quoted(text)}")
    return names


def at_least(minimum: int):
    """An argparse type for an integer option that must be at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {quoted(text)}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse
