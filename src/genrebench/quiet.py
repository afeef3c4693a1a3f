"""Keep TensorFlow and Keras quiet at the source, not by discarding stderr.

Two kinds of noise reach a notebook when TensorFlow starts:

* log lines of its C++ runtime, governed by ``TF_CPP_MIN_LOG_LEVEL``, which must
  be set before the first ``import tensorflow``;
* a few INFO lines that the runtime writes while its libraries load, *before*
  its logging is initialised, which no setting suppresses (absl's pre-init
  messages ignore the threshold: abseil/abseil-cpp pull request 1957). They are
  the absl preamble, the CUDA-driver probe and the oneDNN notice.

:func:`quiet_frameworks` sets the environment defaults and installs an import
hook that, during ``import tensorflow`` only, captures file descriptor 2 and
writes back every line except those known start-up lines. A value a user has
set for ``TF_CPP_MIN_LOG_LEVEL`` wins, and with it set below 3 nothing is
filtered, so anyone debugging sees everything.
"""

import importlib.abc
import importlib.util
import logging
import os
import re
import sys
import tempfile
from contextlib import contextmanager

#: Environment defaults applied before TensorFlow is imported.
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # 3 drops INFO, WARNING and ERROR lines of the C++ runtime
    "KERAS_BACKEND": "tensorflow",
}

#: Lines TensorFlow writes while loading, before its log threshold applies.
STARTUP_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I\d{4} [\d:.]+\s+\d+ (cudart_stub|port|cpu_feature_guard)\.cc:\d+\] .*)$"
)


def filter_startup_noise(text: str) -> str:
    """Drop TensorFlow's known pre-initialisation lines from ``text``; keep everything else."""
    kept = [
        line for line in text.splitlines(keepends=True) if not STARTUP_NOISE.match(line.strip())
    ]
    return "".join(kept)


@contextmanager
def _filtered_fd2():
    """Capture file descriptor 2 for the duration, then re-emit it without start-up noise."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            remainder = filter_startup_noise(capture.read().decode("utf-8", "replace"))
            if remainder:
                sys.stderr.write(remainder)
                sys.stderr.flush()


class _QuietLoader(importlib.abc.Loader):
    def __init__(self, wrapped):
        self.wrapped = wrapped

    def create_module(self, spec):
        return self.wrapped.create_module(spec)

    def exec_module(self, module):
        with _filtered_fd2():
            self.wrapped.exec_module(module)


class _QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """Wraps the first ``import tensorflow`` in :func:`_filtered_fd2`, then steps aside."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_frameworks() -> None:
    """Set the quiet defaults and the import hook; idempotent and cheap (imports no framework)."""
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
    wants_quiet = os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    hooked = any(isinstance(finder, _QuietTensorFlowFinder) for finder in sys.meta_path)
    if wants_quiet and "tensorflow" not in sys.modules and not hooked:
        sys.meta_path.insert(0, _QuietTensorFlowFinder())
