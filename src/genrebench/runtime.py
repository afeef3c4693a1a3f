"""TensorFlow's CPU tensors come from a pool, not from the C library one allocation at a time.

A training step (:mod:`genrebench.models.group`) gathers the input-layer rows a batch
touches, updates them and scatters them back: on the films, tensors of 20-60 MB made and
freed every step. glibc serves every block above 32 MB with a fresh ``mmap`` and returns it
on free, so each step pays a page fault for every 4 KB page it writes, and the kernel zeroes
each one. Measured on the films' search group (9 models, 10 epochs, two cores): 10.7 million
page faults and 31 s of system time in a 40 s process. TensorFlow's own best-fit pool on the
CPU (``TF_CPU_ALLOCATOR_USE_BFC``) keeps the blocks and hands them out again: 0.3 million
faults, 2 s of system time, the group trained in 19 s instead of 33 s (plain Adam, whose step
writes every row: 24 s instead of 71 s). Two such processes side by side no longer queue on
the kernel's page-fault path. Logits are bit-identical either way; ``benchmarks/
bench_allocator.py`` measures both in one run.

The setting is read when TensorFlow makes its first CPU tensor, so it must be in the
environment before ``import tensorflow``: importing :mod:`genrebench` applies it (a value
already set wins, so ``TF_CPU_ALLOCATOR_USE_BFC=false`` turns it off).
"""

import os

#: Environment defaults for TensorFlow's process-wide settings.
RUNTIME_ENV = {"TF_CPU_ALLOCATOR_USE_BFC": "true"}


def pool_cpu_memory() -> None:
    """Ask TensorFlow for its pooled CPU allocator unless the environment already says."""
    for name, value in RUNTIME_ENV.items():
        os.environ.setdefault(name, value)
