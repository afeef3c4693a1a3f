"""genrebench: sigmoid or softmax for multi-label targets, and which F1 to report, measured.

Importing the package silences TensorFlow's C++ start-up logging *before* TensorFlow
is imported anywhere (see :mod:`genrebench.quiet`), so notebooks that start with
``import genrebench`` render without framework noise, and asks TensorFlow for its pooled
CPU allocator (:mod:`genrebench.runtime`), which halves a training step's time here.
"""

from importlib.metadata import PackageNotFoundError, version

from genrebench.quiet import quiet_frameworks
from genrebench.runtime import pool_cpu_memory

quiet_frameworks()
pool_cpu_memory()

from genrebench.seeding import seed_everything  # noqa: E402

try:
    __version__ = version("genrebench")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0+unknown"

__all__ = ["__version__", "seed_everything"]
