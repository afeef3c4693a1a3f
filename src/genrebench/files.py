"""Files: the one atomic-write helper and the one project-root finder."""

import os
import uuid
from pathlib import Path


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
