"""``glue`` for the chapters: MyST-NB's, with every table in words.

A chapter glues the tables that ``genrebench.results`` computes; their index and header
carry code names (``sigmoid_bce``, ``global_tuned``, ``f1_micro``). Glued through here, a
table shows each head, decoder and metric by its name in words
(:func:`genrebench.results.tables.readable`), and a glued text names them in words
(:func:`~genrebench.results.tables.in_words`), as the command's report does; any other value
is glued as it is.
"""

import pandas as pd
from myst_nb import glue as _glue

from genrebench.results.tables import in_words, readable, unbroken


def glue(name: str, value, display: bool = True) -> None:
    """:func:`myst_nb.glue`, a DataFrame (its intervals unbroken) or text ``value`` in words."""
    if isinstance(value, pd.DataFrame):
        value = readable(value).map(unbroken)
    elif isinstance(value, str):
        value = in_words(value)
    # A cell in words may pass pandas' 50-character display cut ("… normalised ta..."):
    # the page shows every cell whole.
    with pd.option_context("display.max_colwidth", None):
        _glue(name, value, display=display)


def glue_all(values: dict, prefix: str = "") -> None:
    """Glue each of ``values`` under ``prefix`` + its key, for the prose only (not displayed).

    A chapter's hidden cell quotes a section's numbers in one call instead of a ``glue`` line
    each; a numpy scalar is glued as the Python number it holds, so ``{glue:text}`` formats it.
    """
    for key, value in values.items():
        glue(prefix + key, value.item() if hasattr(value, "item") else value, display=False)
