"""Files: the atomic-write and staged-folder helpers, the one project-root finder, and the
one way a user's string (a file name, a column, a label, an id) is shown: in a terminal line
(:func:`visible`, :func:`quoted`, :func:`shown_path`) and in HTML or SVG (:func:`markup`)."""

import html
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Characters of a quoted value (quotes included) a terminal line shows before an ellipsis.
QUOTED_LIMIT = 48
#: Characters of a path an error line shows; a longer one keeps its end (the file's name).
PATH_LIMIT = 96


def visible(value) -> str:
    """``value`` as text that neither a terminal nor an XML parser acts on: every character
    that is not printable (control characters such as ESC, CR and NUL, bidirectional and
    other format characters, lone surrogates, a file name's undecodable bytes) written as its
    Python escape (``\\x1b``, ``\\u202e``, ``\\udcff``); the rest as is."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in str(value)
    )


def quoted(value, limit: int = QUOTED_LIMIT) -> str:
    """A user's value in quotes, as an error line shows it: escaped as :func:`repr` does
    (which escapes what :func:`visible` escapes), cut to ``limit`` characters with an
    ellipsis."""
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 2] + "\u2026" + text[-1]


def shown_path(path, limit: int | None = PATH_LIMIT) -> str:
    """A path as a terminal line shows it: :func:`visible`, and when longer than ``limit``
    (``None``: never cut) its last characters after an ellipsis."""
    text = visible(path)
    if limit is None or len(text) <= limit:
        return text
    return "\u2026" + text[-(limit - 1) :]


def markup(value) -> str:
    """A user's value as HTML or SVG text: :func:`visible` (XML forbids control characters
    and lone surrogates even when escaped), then ``&``, ``<``, ``>`` and quotes escaped."""
    return html.escape(visible(value))


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all: into a hidden sibling, then renamed.

    The sibling's name is unique per call, so two processes writing the same
    file never write into each other's partial file.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.partial")
    try:
        if isinstance(data, str):
            partial.write_text(data, encoding="utf-8")
        else:
            partial.write_bytes(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def project_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder from ``start`` (default: the current one) upwards holding
    ``_toc.yml``: the book's root (the notebooks execute in its ``notebooks/``), or ``None``."""
    start = Path.cwd() if start is None else Path(start)
    for folder in (start, *start.resolve().parents):
        if (folder / "_toc.yml").is_file():
            return folder
    return None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine is running (someone else's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_abandoned(out: Path) -> None:
    """Staging folders beside ``out`` left by processes of this machine that are gone."""
    if not out.parent.is_dir():
        return
    for sibling in out.parent.glob(f".{out.name}.*.*.partial"):
        pid = sibling.name[len(out.name) + 2 :].split(".")[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(sibling, ignore_errors=True)
    for sibling in out.parent.glob(f".{out.name}.*.*.previous"):
        pid = sibling.name[len(out.name) + 2 :].split(".")[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(sibling, ignore_errors=True)


@contextmanager
def staged_folder(out: str | Path, names: tuple[str, ...]) -> Iterator[Path]:
    """A hidden folder beside ``out`` to write a result set into; moved into place on success.

    ``names`` are the entries the result set consists of. If ``out`` does not exist, the
    staging folder is renamed to it in one step. If it does, only those entries are
    replaced (the previous ones are renamed aside, the new ones renamed in, then the
    previous ones removed), so anything else in ``out`` (a cache, the user's files) stays.
    If the block raises, the staging folder is removed and ``out`` is left as it was.
    """
    out = Path(out).absolute()
    _remove_abandoned(out)
    token = f"{os.getpid()}.{uuid.uuid4().hex[:12]}"
    staging = out.with_name(f".{out.name}.{token}.partial")
    staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not out.exists():
        staging.rename(out)
        return
    previous = out.with_name(f".{out.name}.{token}.previous")
    previous.mkdir()
    for name in names:
        if (out / name).exists() or (out / name).is_symlink():
            (out / name).rename(previous / name)
    for entry in staging.iterdir():
        entry.rename(out / entry.name)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
