"""The list of the book's figures, read from the chapters' cell metadata.

Each figure cell of a chapter carries ``mystnb={"figure": {"name": ..., "caption": ...}}``;
this module collects them so that the "Figures" page lists every figure with
its number (supplied by Sphinx through ``{numref}``), caption, files and a
citation string, and never drifts from the chapters.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from genrebench.plots import FIGURE_FORMATS


@dataclass(frozen=True)
class FigureEntry:
    label: str
    caption: str
    chapter: str  # notebook stem, e.g. "04_heads_compared"


def _reading_order(notebook_dir: Path) -> list[str]:
    """The notebooks' stems in the order the book's table of contents (``_toc.yml`` beside
    ``notebook_dir``) lists them, which is the order Sphinx numbers their figures in."""
    toc = notebook_dir.parent / "_toc.yml"
    if not toc.is_file():
        return []
    folder = notebook_dir.name
    return [
        line.split(f"{folder}/", 1)[1].strip()
        for line in toc.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("- file:", "file:", "root:")) and f"{folder}/" in line
    ]


def figure_entries(notebook_dir: str | Path) -> list[FigureEntry]:
    """Every figure declared in ``notebook_dir/*.ipynb``, in the book's reading order (the
    table of contents; chapters it does not list last, by name), so figures are numbered
    in the order they are listed."""
    notebook_dir = Path(notebook_dir).resolve()  # "." has no parent; its folder has
    order = _reading_order(notebook_dir)
    paths = sorted(
        notebook_dir.glob("*.ipynb"),
        key=lambda path: (order.index(path.stem) if path.stem in order else len(order), path.stem),
    )
    entries = []
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
            if figure:
                entries.append(FigureEntry(figure["name"], figure["caption"], path.stem))
    labels = [entry.label for entry in entries]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValueError(f"figure labels used twice: {duplicates}")
    return entries


def figures_markdown(entries: list[FigureEntry], figures_path: str = "../figures") -> str:
    """MyST tables, one per chapter under a link to it (so none runs past a screen): number
    (via numref), caption, file downloads, and the label a citation gives after the
    package's name and version (the page says so once, above the tables).

    ``figures_path`` is the figures folder relative to the page; Sphinx copies
    each file into the built site (a missing file fails the strict build).
    """
    lines = []
    for index, entry in enumerate(entries):
        if index == 0 or entries[index - 1].chapter != entry.chapter:
            if lines:
                lines.append("")
            lines += [
                f"**{{doc}}`{entry.chapter}`**",
                "",
                "| Figure | Caption | Files | Label |",
                "| --- | --- | --- | --- |",
            ]
        files = " ".join(
            f"{{download}}`{fmt} <{figures_path}/{entry.label}.{fmt}>`" for fmt in FIGURE_FORMATS
        )
        caption = entry.caption.replace("|", "\\|")
        citation = f"`{entry.label}`"
        lines.append(f"| {{numref}}`{entry.label}` | {caption} | {files} | {citation} |")
    return "\n".join(lines)


def sync_captions(notebook_dir: str | Path) -> list[str]:
    """Write each registered figure's caption (:mod:`genrebench.results.figures`, in the
    book's words) into the figure cell of ``notebook_dir/*.py`` that carries its name.

    The registry is the one home of a shared figure's caption; the chapters' cell
    metadata is its copy for MyST-NB, and ``make sync`` keeps it so (a test checks it).
    Returns the names whose caption changed.
    """
    import re

    from genrebench.results.figures import FIGURES, caption

    changed = []
    for path in sorted(Path(notebook_dir).glob("*.py")):
        text = path.read_text(encoding="utf-8")

        def replace(match):
            metadata = json.loads(match.group(1))
            figure = metadata.get("figure", {})
            name = figure.get("name")
            if name in FIGURES and figure.get("caption") != caption(name):
                changed.append(name)
                figure["caption"] = caption(name)
            return "mystnb=" + json.dumps(metadata, ensure_ascii=False)

        new = re.sub(r"mystnb=(\{.*\})\s*$", replace, text, flags=re.M)
        if new != text:
            path.write_text(new, encoding="utf-8")
    return changed


if __name__ == "__main__":  # python -m genrebench.book.figindex NOTEBOOK_DIR (make sync)
    import sys

    for name in sync_captions(sys.argv[1] if len(sys.argv) > 1 else "notebooks"):
        print(f"caption of {name} taken from the figure registry")
