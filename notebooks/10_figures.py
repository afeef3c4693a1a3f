# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,mystnb,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# (figures)=
# # Figures
#
# Every figure of the book, with its number, caption, files and label; cite a
# figure as "genrebench {glue:text}`figs-version`, label". The files are the
# ones the book shows, written by `genrebench.plots.save_figure` under the
# figure's label: PNG at {glue:text}`figs-dpi` dots per inch, SVG and PDF.

# %% tags=["remove-input"]
from IPython.display import Markdown

import genrebench
from genrebench.book.figindex import figure_entries, figures_markdown
from genrebench.book.glue import glue
from genrebench.plots import STYLE

glue("figs-dpi", STYLE["savefig.dpi"], display=False)
glue("figs-version", genrebench.__version__, display=False)
Markdown(figures_markdown(figure_entries(".")))
