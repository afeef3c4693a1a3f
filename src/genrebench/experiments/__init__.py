"""Experiments: the protocol (every constant), runs and their cache, grids of runs on
local or Dask backends, model selection, the heads study, the synthetic sweeps and the
scikit-learn baseline. Nothing here summarises or words results (that is
:mod:`genrebench.results`)."""
