"""Charts for the report: the kit's one way to show a figure, which refuses a chart without alt text.

A chart is shown as an HTML ``<figure>`` holding the PNG as a data URI, its alt text and a caption, so the
page works from an email attachment with no network and screen reader users get the chart's message.
The alt text should state the message generated from the numbers ("Children in care rose from 452 to
471"), not describe the picture.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import matplotlib

from cpkit.errors import AltTextError

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox
    from PIL import Image

matplotlib.use("Agg")  # report runs are headless; the backend must not need a display

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import display  # noqa: E402

_PLACEHOLDER_ALTS = {
    "",
    "chart",
    "image",
    "figure",
    "plot",
    "graph",
    "no description has been provided for this image",
}
MIN_ALT_WORDS = 4


def _check_alt(alt: str) -> str:
    text = " ".join((alt or "").split())
    if text.lower() in _PLACEHOLDER_ALTS or len(text.split()) < MIN_ALT_WORDS:
        raise AltTextError(
            f"chart alt text {alt!r} is not meaningful: state the chart's message in a sentence "
            "(e.g. 'Children in care rose from 452 in April to 471 in March')"
        )
    return text


# Charts are drawn at print resolution: the Word file and the PDF place them about 16 cm wide, where 96 dpi
# (the screen's) printed soft. The page shows them at the size a 96-dpi drawing would have (``width``), and
# the PNG is reduced to 256 colours (charts have few), which keeps the single document under its 2 MB
# budget at the higher resolution (the sample's charts: 1.0 MB at 96 dpi, about the same at 150).
PRINT_DPI = 150
SCREEN_DPI = 96


def png_bytes(fig: plt.Figure, dpi: int = PRINT_DPI) -> tuple[bytes, tuple[int, int]]:
    """The figure as a 256-colour PNG at ``dpi`` cut to its tight box, and its size in pixels.

    Drawn once (``_drawn_tight``) where ``savefig(bbox_inches="tight")`` laid the figure out and measured
    it in one pass, drew it in a second and wrote a PNG that was decoded again here. zlib level 8, not 9
    (``optimize``): the same pixels, 0.6% more bytes, a third of the time."""
    from PIL import Image

    image, box = _drawn_tight(fig, dpi)
    if image is None:  # something is drawn outside the figure: only savefig's second pass shows it whole
        buf = io.BytesIO()
        engine = fig.get_layout_engine()
        if box is not None and engine is not None:  # laid out and measured by the drawing: not again
            fig.set_layout_engine("none")
        try:
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches=box if box is not None else "tight")
        finally:
            if box is not None and engine is not None:
                fig.set_layout_engine(engine)
        with Image.open(io.BytesIO(buf.getvalue())) as saved:
            image = saved.convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=8, dpi=(dpi, dpi))
    return out.getvalue(), image.size


def _drawn_tight(fig: plt.Figure, dpi: int) -> tuple[Image.Image | None, Bbox | None]:
    """The figure drawn once at ``dpi`` and cut to the box ``savefig(bbox_inches="tight")`` saves (the tight
    box of what is drawn, padded by ``savefig.pad_inches``, in inches): the same size in pixels (the
    padding outside the figure is its background, as savefig paints it). No picture when something
    drawn lies outside the figure, which a drawing of the figure's own size clips (savefig is handed
    the box), nor box either when the style asks savefig for other colours than the figure's.

    Against savefig's picture the content may sit up to a pixel apart (savefig draws it at the box's
    fractional offset, this cuts at a whole pixel), and a figure legend stays where the layout put it
    (savefig's second pass moves it to the bottom of the cut box, a few pixels)."""
    import matplotlib as mpl
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from PIL import Image

    rc = mpl.rcParams
    if rc["savefig.transparent"] or rc["savefig.facecolor"] != "auto" or rc["savefig.edgecolor"] != "auto":
        return None, None
    before_canvas, before_dpi = fig.canvas, fig.dpi
    canvas = before_canvas if isinstance(before_canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    try:
        fig.dpi = dpi
        canvas.draw()
        tight = fig.get_tightbbox(canvas.get_renderer())  # inches
        height_px = fig.bbox.height
        pixels = np.asarray(canvas.buffer_rgba())
    finally:
        fig.dpi = before_dpi
        if canvas is not before_canvas:
            fig.set_canvas(before_canvas)
    width_in, height_in = fig.get_size_inches()
    box = tight.padded(rc["savefig.pad_inches"])
    if tight.x0 < 0 or tight.y0 < 0 or tight.x1 > width_in or tight.y1 > height_in:
        return None, box
    width, height = int(box.width * dpi), int(box.height * dpi)  # as savefig's canvas (Agg truncates)
    left, top = round(box.x0 * dpi), round(height_px - box.y1 * dpi)
    out = np.empty((height, width, 3), dtype=np.uint8)
    out[:] = [round(c * 255) for c in to_rgba(fig.get_facecolor())[:3]]
    rows = slice(max(top, 0), min(top + height, pixels.shape[0]))
    cols = slice(max(left, 0), min(left + width, pixels.shape[1]))
    out[rows.start - top : rows.stop - top, cols.start - left : cols.stop - left] = pixels[rows, cols, :3]
    return Image.fromarray(out), box


def figure_html(
    fig: plt.Figure, alt: str, caption: str | None = None, dpi: int = PRINT_DPI, block: str | None = None
) -> str:
    """The figure as a self-contained ``<figure>`` element (PNG data URI, alt text, caption), drawn at
    ``dpi`` and shown at its 96-dpi size on screen; ``block`` names the typed block of its data
    (``data-block``, as ``cpkit.present.tables.table_html``)."""
    text = _check_alt(alt)
    png, (width, _) = png_bytes(fig, dpi)
    plt.close(fig)
    data = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    shown = round(width * SCREEN_DPI / dpi)
    attr = f' data-block="{html.escape(block)}"' if block else ""
    return (
        f'<figure class="cp-figure"{attr}><img src="data:image/png;base64,{data}" width="{shown}" '
        f'alt="{html.escape(text)}" />{cap}</figure>'
    )


def show_chart(
    fig: plt.Figure,
    alt: str,
    caption: str | None = None,
    data: pd.DataFrame | None = None,
    *,
    block_id: str | None = None,
) -> None:
    """Display a matplotlib figure with alt text and a caption; ``data`` (the published figures behind the
    chart, already suppressed) goes into the report's Excel download, as a typed block of kind "chart"
    (``cpkit.publish.block``)."""
    from cpkit.present.tables import BLOCK_MIME, block_slug, table_block

    if data is not None:
        block_id = block_id or block_slug(caption or alt)
    bundle: dict[str, object] = {"text/html": figure_html(fig, alt, caption, block=block_id)}
    if data is not None:
        block = table_block(data, caption or alt, kind="chart", block_id=block_id)
        block.alt = _check_alt(alt)  # the picture's description wherever it is written (the Word file)
        bundle[BLOCK_MIME] = block.to_json()
    display(bundle, raw=True)


@contextmanager
def chart_style() -> Iterator[None]:
    """The UK Analysis Function chart style (afcharts) for the charts drawn inside the block."""
    with plt.style.context("afcharts.afcharts"):
        yield


def af_colours(n: int) -> list[str]:
    """``n`` colours from the Analysis Function categorical palette (accessible contrast)."""
    from afcharts.af_colours import get_af_colours

    palette = "categorical" if n > 2 else "duo"
    return list(get_af_colours(palette, colour_format="hex", number_of_colours=max(n, 2)))[:n]
