"""Charts are drawn at print resolution (the Word file and the PDF place them about 16 cm wide) and shown
on screen at their 96-dpi size, with their alt text."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from cpkit.present.charts import PRINT_DPI, figure_html  # noqa: E402


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
