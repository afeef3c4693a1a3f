"""One backbone for every head, trained with a fixed budget; many models per pass.

Backbone: sparse TF-IDF input -> ``Dense(hidden_units, relu)`` -> dropout ->
``Dense(n_labels)`` logits, the output biases starting at the head's best
constant prediction (:meth:`genrebench.heads.Head.initial_bias`). The input
stays sparse end to end (a dense films matrix would cost gigabytes).

Three things make a run cheap (``benchmarks/``):

* **Sparse input-layer updates.** Of the input layer's tens of thousands of
  rows (one per feature), a batch touches only those of the features present
  in it. The protocol's optimiser is *lazy Adam* (``"lazy_adam"``): Adam
  (Kingma & Ba) whose moments and weights are updated only on those rows, with
  the bias correction of the global step; the small layers above get ordinary
  Adam. Plain Adam (``"adam"``), which moves every row at every step, is the
  same update with every row counted as touched (kept to compare the two).
* **Many models per pass.** Models that share a batch order (same data, seed,
  batch size, epochs, width and dropout: every head and learning rate of one
  split and seed) train in one compiled step: one sparse product feeds every
  model's input layer, the losses are summed over disjoint parameters and
  every model keeps its own learning rate, loss curve and snapshots. Each
  model's arithmetic is the same whatever its group (the shared product is
  column by column, everything else is per model), so a model trained in a
  group equals the model trained alone, bit for bit.
* **Compile once.** A group's variables and its compiled step are kept and
  re-initialised for the next group of the same shapes, instead of tracing a
  new function for every run.
"""

from genrebench.models.budget import ADAM, OPTIMISERS, TrainBudget, TrainResult
from genrebench.models.training import pass_bytes, train, train_group

__all__ = ["ADAM", "OPTIMISERS", "TrainBudget", "TrainResult", "pass_bytes", "train", "train_group"]
