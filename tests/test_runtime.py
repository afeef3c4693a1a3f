"""Importing genrebench makes TensorFlow draw CPU tensors from its pool (genrebench.runtime):
without it a films training step spends most of its time in page faults."""

import os
import subprocess
import sys

# TensorFlow keeps allocation statistics only for a pooled allocator; the C library's
# allocator has none and says so.
SCRIPT = """
import genrebench
import tensorflow as tf
tf.ones([256, 256])
try:
    tf.config.experimental.get_memory_info("CPU:0")
    print("pooled")
except ValueError:
    print("malloc")
"""


def _allocator(env_overrides) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPU_ALLOCATOR_USE_BFC"}
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_genrebench_pools_tensorflows_cpu_memory():
    assert _allocator({}) == "pooled"


def test_a_choice_the_user_made_wins():
    assert _allocator({"TF_CPU_ALLOCATOR_USE_BFC": "false"}) == "malloc"
