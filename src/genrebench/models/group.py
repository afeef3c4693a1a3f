"""The variables and compiled steps of a group of models trained in one pass."""

import numpy as np

from genrebench.models.batches import glorot_uniform
from genrebench.models.budget import ADAM, TrainBudget


class _Group:
    """The variables and compiled steps of K models with the same shapes and heads."""

    def __init__(self, heads, capacity, n_labels, hidden_units, dropout):
        import tensorflow as tf

        self.heads, self.K, self.H, self.L = heads, len(heads), hidden_units, n_labels
        # Input-layer rows: at least one more than the data has features (a spare row pads
        # the touched rows), rounded up so that data of similar size reuse the group.
        self.capacity, self.dropout = capacity, dropout
        width = self.K * hidden_units

        def variable(shape, dtype=tf.float32, trainable=False):
            return tf.Variable(tf.zeros(shape, dtype), trainable=trainable)

        # The input layer and its Adam moments (read through tf.gather only, updated row by
        # row): model k owns columns k*H .. (k+1)*H - 1.
        self.input_layer = tuple(variable([capacity, width]) for _ in range(3))
        self.b1 = variable([width], trainable=True)
        self.W2 = variable([self.K, hidden_units, n_labels], trainable=True)
        self.b2 = variable([self.K, n_labels], trainable=True)
        self.moments = [  # Adam's two moments of each small weight
            (variable(p.shape), variable(p.shape)) for p in (self.b1, self.W2, self.b2)
        ]
        self.step_count = variable([], tf.float32)
        self.learning_rates = variable([self.K])
        self.seed = variable([], tf.int64)
        self.losses = [head.keras_loss() for head in heads]
        sparse = (
            tf.TensorSpec([None, 2], tf.int64),
            tf.TensorSpec([None], tf.float32),
            tf.TensorSpec([], tf.int64),
        )
        step_inputs = (
            *sparse[:2],
            *sparse,
            tf.TensorSpec([None], tf.int64),
            tf.TensorSpec([self.K, None, n_labels], tf.float32),
        )
        self.step = tf.function(self._step, input_signature=step_inputs, autograph=False)
        self.predict = tf.function(self._predict, input_signature=sparse, autograph=False)
        # XLA fuses the row update into a few passes over memory (one compile per row bucket).
        self._update_rows = tf.function(self._lazy_adam, jit_compile=True, autograph=False)

    @staticmethod
    def bytes_for(n_models: int, capacity: int, hidden_units: int) -> int:
        """Bytes of the input layer and its two moments (the bulk of a group's memory)."""
        return 3 * 4 * capacity * n_models * hidden_units

    @property
    def nbytes(self) -> int:
        return self.bytes_for(self.K, self.capacity, self.H)

    def reset(self, budget: TrainBudget, n_features: int, learning_rates, output_biases) -> None:
        """Fresh weights for every model (the same draw for each: the paired design); the
        rows beyond ``n_features`` stay zero and unused."""
        import tensorflow as tf

        start = np.zeros((self.capacity, self.H), np.float32)
        start[:n_features] = glorot_uniform(n_features, self.H, budget.seed, 0)
        zeros = np.zeros_like(start)
        W2 = glorot_uniform(self.H, self.L, budget.seed, 2)
        # One model's columns at a time: no temporary the size of the whole layer.
        for k in range(self.K):
            columns = slice(k * self.H, (k + 1) * self.H)
            for variable, value in zip(self.input_layer, (start, zeros, zeros), strict=True):
                variable[:, columns].assign(value)
        self.b1.assign(np.zeros(self.K * self.H, np.float32))
        self.W2.assign(np.broadcast_to(W2, (self.K, self.H, self.L)))
        self.b2.assign(np.stack(output_biases).astype(np.float32))
        for m, v in self.moments:
            m.assign(tf.zeros_like(m))
            v.assign(tf.zeros_like(v))
        self.step_count.assign(0.0)
        self.learning_rates.assign(np.asarray(learning_rates, np.float32))
        self.seed.assign(budget.seed)

    # -- compiled functions ----------------------------------------------------------------

    @staticmethod
    def _csr(indices, values, shape):
        """A sparse batch in TensorFlow's CSR form (its CSR product is about twice as fast on
        CPU as the ``SparseTensor`` one)."""
        import tensorflow as tf

        return tf.raw_ops.SparseTensorToCSRSparseMatrix(
            indices=indices, values=values, dense_shape=shape
        )

    def _logits(self, pre, training):
        """Per model: its slice of the shared product ``pre``, bias, ReLU, dropout, output."""
        import tensorflow as tf

        parts = tf.split(pre, self.K, axis=1)
        biases = tf.split(self.b1, self.K)
        hidden = [tf.nn.relu(part + bias) for part, bias in zip(parts, biases, strict=True)]
        if training and self.dropout:
            # One mask per step, the same for every model of the group (they share the seed).
            seed = tf.stack([self.seed, tf.cast(self.step_count, tf.int64)])
            keep = tf.random.stateless_uniform(tf.shape(hidden[0]), seed) >= self.dropout
            scale = tf.cast(keep, tf.float32) / (1.0 - self.dropout)
            hidden = [h * scale for h in hidden]
        return [h @ self.W2[k] + self.b2[k] for k, h in enumerate(hidden)]

    def _predict(self, indices, values, n_rows):
        import tensorflow as tf

        X = self._csr(indices, values, tf.stack([n_rows, self.capacity]))
        pre = tf.raw_ops.SparseMatrixMatMul(a=X, b=self.input_layer[0])
        return tf.stack(self._logits(pre, training=False))

    @staticmethod
    def _adam(value, grad, m, v, rate):
        import tensorflow as tf

        m = m + (grad - m) * (1.0 - ADAM["beta_1"])
        v = v + (tf.square(grad) - v) * (1.0 - ADAM["beta_2"])
        return value - rate * m / (tf.sqrt(v) + ADAM["epsilon"]), m, v

    def _lazy_adam(self, rows, grad, columns, rate):
        """Adam on the touched rows of the input layer only (moments included)."""
        import tensorflow as tf

        weights, m1, v1 = self.input_layer
        new, m, v = self._adam(rows, grad, tf.gather(m1, columns), tf.gather(v1, columns), rate)
        for variable, value in ((weights, new), (m1, m), (v1, v)):
            variable.scatter_nd_update(columns[:, None], value)
        return tf.constant(0)

    def _step(self, indices, values, t_indices, t_values, n_rows, columns, targets):
        import tensorflow as tf

        X = self._csr(indices, values, tf.stack([n_rows, tf.size(columns, tf.int64)]))
        rows = tf.gather(self.input_layer[0], columns)  # the rows this batch touches
        pre = tf.raw_ops.SparseMatrixMatMul(a=X, b=rows)  # one product feeds every model
        dense = (self.b1, self.W2, self.b2)
        with tf.GradientTape() as tape:
            tape.watch(pre)
            logits = self._logits(pre, training=True)
            losses = [loss(targets[k], logits[k]) for k, loss in enumerate(self.losses)]
            total = tf.add_n(losses)  # disjoint parameters: each model gets its own gradient
        grad_pre, *grads = tape.gradient(total, [pre, *dense])
        # The input layer's gradient on the touched rows: X' times the gradient of the product.
        X_t = self._csr(t_indices, t_values, tf.stack([tf.size(columns, tf.int64), n_rows]))
        row_grad = tf.raw_ops.SparseMatrixMatMul(a=X_t, b=grad_pre)
        self.step_count.assign_add(1.0)
        t = self.step_count
        correction = tf.sqrt(1.0 - ADAM["beta_2"] ** t) / (1.0 - ADAM["beta_1"] ** t)
        rate = self.learning_rates * correction
        per_column = tf.repeat(rate, self.H)
        self._update_rows(rows, row_grad, columns, per_column)
        for variable, grad, (m_var, v_var), lr in zip(
            dense,
            grads,
            self.moments,
            (per_column, rate[:, None, None], rate[:, None]),
            strict=True,
        ):
            new, m, v = self._adam(variable, grad, m_var, v_var, lr)
            variable.assign(new)
            m_var.assign(m)
            v_var.assign(v)
        return tf.stack(losses)
