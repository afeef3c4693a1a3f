"""Importing genrebench makes TensorFlow draw CPU tensors from its pool (genrebench.runtime):
without it a films training step spends most of its time in page faults; and run every op
on one thread."""

import os
import subprocess
import sys

# What TensorFlow reads when it starts: the allocator setting in the environment of a fresh
# process after importing genrebench and then TensorFlow. (TensorFlow 2.21 keeps allocation
# statistics under either allocator, so they cannot tell the two apart; the benchmark
# ``benchmarks/bench_allocator.py`` measures what the pool is for.)
SCRIPT = """
import os
import genrebench
import tensorflow as tf
tf.ones([256, 256])
print(os.environ["TF_CPU_ALLOCATOR_USE_BFC"])
"""


def _allocator(env_overrides) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPU_ALLOCATOR_USE_BFC"}
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return {"true": "pooled", "false": "malloc"}.get(result.stdout.strip(), result.stdout)


def test_importing_genrebench_pools_tensorflows_cpu_memory():
    assert _allocator({}) == "pooled"


def test_a_choice_the_user_made_wins():
    assert _allocator({"TF_CPU_ALLOCATOR_USE_BFC": "false"}) == "malloc"


def test_tensorflow_runs_every_op_on_one_thread_whatever_the_environment_asked():
    """The thread count changes the logits' last bits, so importing genrebench fixes it at
    one, even over a value the environment set."""
    script = (
        "import os, genrebench; print(os.environ['TF_NUM_INTRAOP_THREADS'], "
        "os.environ['TF_NUM_INTEROP_THREADS'])"
    )
    env = {**os.environ, "TF_NUM_INTRAOP_THREADS": "4", "TF_NUM_INTEROP_THREADS": "4"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]
