"""Figures of the chapter "F1 modes dissected", and naming points without overlaps."""

import numpy as np
from matplotlib.transforms import Bbox

from genrebench.data.dataset import plural
from genrebench.plots.style import PALETTE, _new_axes, log_x_axis

#: Where a point's name may go, in points from the point, tried in this order.
_LABEL_OFFSETS = ((3, 3), (3, -10), (-3, 3), (-3, -10), (5, -4), (-5, -4), (3, 10), (-3, 10))


def label_points(ax, names, x, y, fontsize: float = 9.5) -> list:
    """Name each point beside it, at the first spot (``_LABEL_OFFSETS``) where the name stays
    inside the axes and covers neither another point nor a name already placed; with no such spot
    it takes the first. Set the axes' scales and limits first: positions are measured on the
    drawn figure.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    centres = ax.transData.transform(np.column_stack([np.asarray(x), np.asarray(y)]))
    radius = 3 * ax.figure.dpi / 72  # half a marker of size 30 (about 5.5 points wide)
    points = [Bbox.from_extents(u - radius, v - radius, u + radius, v + radius) for u, v in centres]
    placed, texts = [], []

    def place(name, xy, offset):
        text = ax.annotate(
            str(name),
            xy,
            xytext=offset,
            textcoords="offset points",
            ha="left" if offset[0] > 0 else "right",
            fontsize=fontsize,
        )
        return text, text.get_window_extent(renderer)

    def free(box, own: int) -> bool:
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        others = (*placed, *points[:own], *points[own + 1 :])
        return inside and not any(box.overlaps(other) for other in others)

    for own, (name, xy) in enumerate(zip(names, zip(x, y, strict=True), strict=True)):
        for offset in _LABEL_OFFSETS:
            text, box = place(name, xy, offset)
            if free(box, own):
                break
            text.remove()
        else:
            text, box = place(name, xy, _LABEL_OFFSETS[0])
        placed.append(box)
        texts.append(text)
    return texts


def plot_f1_against_support(
    per_label, modes: dict, ax=None, doc: str = "film", label: str = "genre"
):
    """Per-label F1 against support (log scale), with each averaged mode as a horizontal line.

    ``per_label``: columns f1 and support, index label names. ``modes``: name -> value.
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 4.2))
    ax.scatter(per_label["support"], per_label["f1"], color=PALETTE["blue"], s=30, zorder=3)
    log_x_axis(ax)
    ax.set_ylim(0, 1)
    label_points(ax, per_label.index, per_label["support"], per_label["f1"])
    styles = ["-", "--", "-.", ":"]
    colours = [PALETTE["vermillion"], PALETTE["green"], PALETTE["orange"], PALETTE["purple"]]
    lines = zip(modes.items(), styles, colours, strict=False)
    for order, ((name, value), style, colour) in enumerate(lines):
        # Each later (more broken) line on top and a little wider, so two averages that
        # nearly agree (micro and samples) both show.
        ax.axhline(
            value, linestyle=style, color=colour, lw=1.5 + 0.3 * order, zorder=1 + 0.1 * order,
            label=f"{name} = {value:.3f}",
        )  # fmt: skip
    ax.set_xlabel(f"test {plural(doc)} with the {label} (support, log scale)")
    ax.set_ylabel(f"F1 of the {label}")
    ax.legend(loc="lower right", fontsize=9)
    return fig
