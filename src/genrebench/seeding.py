"""One helper seeds every random number generator the project touches."""

import os
import random

import numpy as np


def seed_everything(seed: int, *, deterministic_ops: bool = True) -> np.random.Generator:
    """Seed Python, NumPy and (if installed and wanted) Keras/TensorFlow; return a NumPy Generator.

    Keras is imported only here and only when ``deterministic_ops`` is true, so
    framework-free code (metrics, data) can call this without loading TensorFlow.
    TensorFlow op determinism makes repeated training runs bit-identical on CPU.
    """
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global state that third-party code may use
    if deterministic_ops:
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
    return np.random.default_rng(seed)
