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

TensorFlow also runs every op on one thread (``TF_NUM_INTRAOP_THREADS`` and
``TF_NUM_INTEROP_THREADS``, set whatever the environment says). The models are small: on the
films' search group (9 models, 10 epochs, every decoder evaluated) one thread trained and
evaluated in 48 s where TensorFlow's default pool of two took 66 s alone, and two such
processes side by side (the book executes two chapters at once) took 46 s each instead of
63 s. The thread count changes the order of some sums, hence the logits' last bits, so it is
part of what a run computes: fixed here, it gives the same numbers in the book, the command,
the tests and a Dask worker (genrebench must be imported before TensorFlow, as for its quiet
start-up).
"""

import os

#: Environment defaults for TensorFlow's process-wide settings.
RUNTIME_ENV = {"TF_CPU_ALLOCATOR_USE_BFC": "true"}
#: Settings that decide a run's numbers: applied whatever the environment says.
FIXED_ENV = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}


def pool_cpu_memory() -> None:
    """Ask TensorFlow for its pooled CPU allocator unless the environment already says, and
    for one thread per op (always)."""
    for name, value in RUNTIME_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.update(FIXED_ENV)
