"""Invalidate Jupyter Book's execution cache when the code behind the notebooks changes.

Jupyter Book's ``execute_notebooks: cache`` re-executes a notebook only when the
notebook's own code cells change. The notebooks call into ``genrebench``, so a
change in ``src/``, in ``pyproject.toml`` (the pinned dependencies) or in the
installed packages must also force re-execution: stale outputs are worse than
slow builds. ``make book`` runs ``python -m genrebench.book.cache`` before
building; it compares a fingerprint of those inputs with the one stored beside
the cache and deletes the cache when they differ. Sphinx's own environment
(``_build/.doctrees``) must go too: Sphinx re-reads, and so re-executes, only
documents whose source changed, and would otherwise keep serving the old
outputs.
"""

import argparse
import hashlib
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

from genrebench.files import atomic_write

#: Files, relative to the project root, whose content keys the cache.
TRACKED_GLOBS = (
    "src/**/*.py",
    "pyproject.toml",
    "benchmarks/*.json",
)  # the cost note reads the JSON


def code_fingerprint(root: str | Path) -> str:
    """SHA-256 of the tracked files, the GENREBENCH_* settings and the installed packages."""
    root = Path(root)
    digest = hashlib.sha256()
    paths = sorted({path for pattern in TRACKED_GLOBS for path in root.glob(pattern)})
    if not paths:
        raise FileNotFoundError(f"no files matching {TRACKED_GLOBS} under {root}: wrong --root?")
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    # The protocol's profile (and any other GENREBENCH_* setting) changes what the chapters
    # compute; the profile is keyed by the name it resolves to, set or not.
    from genrebench.experiments import protocol

    digest.update(f"profile={protocol.PROFILE}\0".encode())
    for name in sorted(os.environ):
        if name.startswith("GENREBENCH_") and name not in ("GENREBENCH_CACHE",):
            digest.update(f"{name}={os.environ[name]}".encode())
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}".lower() for dist in metadata.distributions()
    )
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()


def key_path(cache_dir: Path) -> Path:
    return cache_dir.with_name(cache_dir.name + ".key")


def ensure_fresh(cache_dir: str | Path, root: str | Path, also: tuple = ()) -> bool:
    """Delete ``cache_dir`` (and the folders in ``also``) if the code fingerprint changed
    since the cache was filled; True if it changed."""
    cache_dir = Path(cache_dir)
    key_file = key_path(cache_dir)
    current = code_fingerprint(root)
    stored = key_file.read_text().strip() if key_file.exists() else None
    stale = stored != current
    if stale:
        for folder in (cache_dir, *map(Path, also)):
            if folder.exists():
                shutil.rmtree(folder)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(key_file, current + "\n")
    return stale and stored is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m genrebench.book.cache",
        description="Clear the book's execution cache if src/ or the dependencies changed.",
    )
    parser.add_argument("cache_dir", type=Path, help="the Jupyter Book execution cache folder")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: .)")
    parser.add_argument(
        "--also", type=Path, action="append", default=[], help="another folder to clear with it"
    )
    args = parser.parse_args(argv)
    if ensure_fresh(args.cache_dir, args.root, also=tuple(args.also)):
        print(f"genrebench: code changed, cleared the execution cache {args.cache_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
