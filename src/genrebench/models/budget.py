"""What every model of a comparison shares: the training budget, the optimiser's constants."""

from dataclasses import dataclass, field, replace

import numpy as np

#: Adam's constants (Keras' defaults), for every layer and every head.
ADAM = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}
#: The optimisers a budget may name: Adam updating only the input-layer rows of the
#: features present in a batch (moments included), or every row at every step.
OPTIMISERS = {
    "lazy_adam": "lazy Adam (only the input-layer rows of features present in a batch move)",
    "adam": "Adam (every input-layer row moves at every step)",
}


@dataclass(frozen=True)
class TrainBudget:
    """Everything about training that must be the same for every head.

    No defaults: the protocol's values live in :mod:`genrebench.experiments.protocol`
    (:func:`~genrebench.experiments.protocol.budget`).
    """

    hidden_units: int
    dropout: float
    learning_rate: float
    batch_size: int
    epochs: int
    seed: int
    optimiser: str

    def __post_init__(self):
        for name in ("hidden_units", "batch_size", "epochs"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")
        if self.optimiser not in OPTIMISERS:
            raise ValueError(
                f"optimiser must be one of {', '.join(OPTIMISERS)}, got {self.optimiser!r}"
            )

    @property
    def shared(self) -> "TrainBudget":
        """This budget without its learning rate: what models must share to train together."""
        return replace(self, learning_rate=1.0)


@dataclass
class TrainResult:
    """Logits of each evaluation set after each snapshot epoch, and the loss curves.

    ``eval_loss["val"]`` has one value per epoch; other evaluation sets only
    have values at the snapshot epochs. ``seconds`` is the group's wall-clock
    time divided by the number of models in it.
    """

    logits: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    train_loss: list[float] = field(default_factory=list)
    eval_loss: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
