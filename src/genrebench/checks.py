"""The command's checks of its arguments: one-line option errors, and paths checked before work.

Everything here runs before any data is read or any model trained, so a typo in an
option or an unwritable folder costs a second, not a training run.
"""

import argparse
import math
import os
from pathlib import Path


class UsageError(Exception):
    """Bad input the user can fix; printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (``prog: error: ...``), status 2.

    ``--help`` still prints the full usage; only errors drop argparse's usage block.
    """

    def error(self, message: str):
        message = " ".join(str(message).split())
        self.exit(2, f"{self.prog}: error: {message}\n")


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
                f"not a comma-separated list of {noun}: {text!r}"
            ) from None
        if not all(math.isfinite(value) for value in values):
            raise argparse.ArgumentTypeError(f"every value must be a finite number: {text!r}")
        if not all(valid(value) for value in values):
            raise argparse.ArgumentTypeError(f"every value must be {requirement}: {text!r}")
        return values

    return parse


def _nearest_existing(path: Path) -> Path:
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            return folder
    return Path.cwd()


def writable_folder(path: Path, option: str) -> None:
    """Refuse ``path`` unless it is a folder, or can be created as one, that we may write into."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: exists and is not a folder")
    existing = _nearest_existing(path.absolute())
    if not existing.is_dir():
        raise UsageError(f"{option} {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: cannot write into {existing} (permission denied)")


def printable(value) -> str:
    """``value`` as text safe to print on a terminal: control characters (ANSI escapes,
    carriage returns, newlines) written as Python escapes, the rest as is."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in str(value)
    )


def head_names(text: str) -> tuple[str, ...]:
    """An argparse type: two or more distinct head names, comma-separated (``all``: every head)."""
    from genrebench.heads import HEADS

    names = tuple(part.strip() for part in text.split(","))
    if names == ("all",):
        return tuple(HEADS)
    unknown = [name for name in names if name not in HEADS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown head {unknown[0]!r}; choose from {', '.join(HEADS)} (or all)"
        )
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"a head is named twice: {text!r}")
    if len(names) < 2:
        raise argparse.ArgumentTypeError(f"name at least two heads to compare: {text!r}")
    return names


def at_least(minimum: int):
    """An argparse type for an integer option that must be at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse
