"""genrebench: sigmoid or softmax for multi-label targets, and which F1 to report, measured.

Importing the package silences TensorFlow's C++ start-up logging *before* TensorFlow
is imported anywhere (see :mod:`genrebench.quiet`), so notebooks that start with
``import genrebench`` render without framework noise.
"""

from importlib.metadata import PackageNotFoundError, version

from genrebench.quiet import quiet_frameworks

quiet_frameworks()

from genrebench.seeding import seed_everything  # noqa: E402

try:
    __version__ = version("genrebench")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

__all__ = ["__version__", "seed_everything"]
