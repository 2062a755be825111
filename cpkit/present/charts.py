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

import matplotlib

from cpkit.errors import AltTextError

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
    """The figure as a 256-colour PNG at ``dpi`` and its size in pixels."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    with Image.open(io.BytesIO(buf.getvalue())) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
        return out.getvalue(), image.size


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
