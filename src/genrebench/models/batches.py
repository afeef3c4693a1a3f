"""Sparse batches as the compiled step takes them, and seeded initial weights."""

import numpy as np
import scipy.sparse as sp


def glorot_uniform(fan_in: int, fan_out: int, seed: int, stream: int) -> np.ndarray:
    """Glorot/Xavier uniform weights, drawn from their own seeded stream (never from the
    process-wide generators another thread may draw from)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    rng = np.random.default_rng([seed, stream])
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


def _bucket(n: int) -> int:
    """``n`` rounded up to 2^k times 1, 1.25, 1.5 or 1.75: few distinct shapes, under 25% waste."""
    if n <= 64:
        return 64
    power = 1 << (int(n).bit_length() - 3)
    return -(-n // power) * power


def _coo(X: sp.csr_matrix):
    """Row/column index pairs of a canonical CSR matrix (rows in order, columns sorted)."""
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    return np.stack([rows, X.indices.astype(np.int64)], axis=1)


def _local_batch(X: sp.csr_matrix, padding_row: int, every_row: bool = False):
    """A batch as (indices, values, its transpose's indices and values, rows, columns).

    Its columns are renumbered 0..u-1 over the ``u`` features present in it, listed in
    ``columns``; ``columns`` is padded with ``padding_row`` (a spare input-layer row no
    document uses) to a bucketed length, so the compiled update sees few shapes. With
    ``every_row`` every feature counts as present (plain Adam: every row moves). The
    transpose is built here rather than by the product's adjoint, whose kernel sums in an
    order that depends on the width of the other factor (a model trained in a group would
    then differ from the same model trained alone).
    """
    present = np.zeros(padding_row + 1, dtype=bool)
    present[X.indices] = True
    if every_row:
        present[:padding_row] = True
    columns = np.flatnonzero(present)
    local = sp.csr_matrix(
        (X.data, (np.cumsum(present) - 1)[X.indices], X.indptr), shape=(X.shape[0], len(columns))
    )
    local_t = local.T.tocsr()
    local_t.sort_indices()
    padded = np.full(_bucket(len(columns)), padding_row, dtype=np.int64)
    padded[: len(columns)] = columns
    return (
        _coo(local),
        local.data,
        _coo(local_t),
        local_t.data,
        np.int64(X.shape[0]),
        padded,
    )
