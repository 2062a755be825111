"""Charts are drawn at print resolution (the Word file and the PDF place them about 16 cm wide) and shown
on screen at their 96-dpi size, with their alt text."""

from __future__ import annotations

import base64
import io
import re

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from cpkit.present.charts import PRINT_DPI, figure_html, png_bytes  # noqa: E402


def test_a_chart_is_drawn_at_print_resolution_and_shown_at_screen_size():
    fig, ax = plt.subplots(figsize=(8, 4))  # 8 inches across
    ax.bar(["Foster", "Homes", "Other"], [300, 55, 20], color=["#12436D", "#28A197", "#801650"])
    page = figure_html(fig, "Most children in care live with foster carers: 300 of 375")
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    with Image.open(io.BytesIO(base64.b64decode(data))) as image:
        width, _ = image.size
        colours = image.getcolors(maxcolors=1024)
    # 8 inches at 150 dpi is 1,200 pixels (bbox_inches="tight" trims the margins, about 1,000 are left): printed 16 cm (6.3 in)
    # wide that is about 190 dpi, where 96 dpi (768 px) printed soft.
    assert PRINT_DPI >= 150 and width > 8 * 0.8 * PRINT_DPI
    shown = int(re.search(r'width="(\d+)"', page).group(1))
    assert shown == round(width * 96 / PRINT_DPI)  # the page shows it as large as before, no larger
    assert colours is not None and len(colours) <= 256  # reduced to a palette: the document stays small
    assert 'alt="Most children in care live with foster carers: 300 of 375"' in page


def _savefig_tight(fig: plt.Figure) -> Image.Image:
    """Matplotlib's own cut of the figure, what the kit saved before it drew each chart once."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PRINT_DPI, bbox_inches="tight")
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _chart(layout: str | None) -> plt.Figure:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), layout=layout)
    for ax in axes:
        ax.plot(["2020-21", "2021-22", "2022-23"], [441, 468, 490], marker="o")
        ax.set_title("Children looked after at the end of the period", fontsize=9, loc="left")
        ax.tick_params(axis="x", rotation=45)
    fig.legend(["Council"], loc="outside lower center" if layout == "constrained" else "lower center")
    if layout is None:
        fig.tight_layout()
    return fig


def test_a_chart_drawn_once_is_the_size_and_picture_savefig_cuts():
    # The chart is drawn once and cut to its tight box where savefig(bbox_inches="tight") drew it twice: the
    # same pixels across and down, and the same picture but for antialiased edges a fraction of a pixel
    # apart (a shifted line changes only the pixels along its edges: a few in a hundred, never the colours).
    for layout in (None, "constrained"):
        expected = np.asarray(_savefig_tight(_chart(layout))).astype(int)
        png, size = png_bytes(_chart(layout))
        with Image.open(io.BytesIO(png)) as image:
            drawn = np.asarray(image.convert("RGB")).astype(int)
        assert size == (expected.shape[1], expected.shape[0]) == (drawn.shape[1], drawn.shape[0])
        assert (np.abs(drawn - expected).sum(axis=2) > 48).mean() < 0.15
        plt.close("all")


def test_a_label_beyond_the_figure_edge_is_not_cut_off():
    # A note placed past the figure's right edge (x = 1.02 of its width) is outside the drawing of the figure's
    # own size: the chart is then saved as savefig cuts it, wide enough to hold the note (8 in at 150 dpi is
    # 1,200 px; the note makes it wider) and with the note's letters in it (dark pixels in the right-most
    # 100 columns, past the figure's edge: the cut's padding is 15), not a blank strip where it was clipped.
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.bar(["Foster", "Homes"], [300, 55])
    fig.text(1.02, 0.5, "Source: SSDA903 returns", ha="left")
    expected = _savefig_tight(fig)
    png, size = png_bytes(fig)
    assert size == expected.size and size[0] > 8 * PRINT_DPI
    with Image.open(io.BytesIO(png)) as image:
        right = np.asarray(image.convert("L"))[:, -100:]
        drawn = np.asarray(image.convert("RGB"))
    assert (right < 128).sum() > 50
    # and it is savefig's picture, pixel for pixel (reduced to the same 256 colours)
    reduced = expected.quantize(colors=256, method=Image.Quantize.MEDIANCUT).convert("RGB")
    assert np.array_equal(drawn, np.asarray(reduced))
    plt.close("all")
