"""The scorecard's chart: headline percentages against England and statistical neighbours (a dot chart),
its alt text and caption, from the headline frame (``cpkit.figures.headline``)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cpkit.config import Config
from cpkit.figures.headline import SSDA903, Headline
from cpkit.present import comparators
from cpkit.present.charts import af_colours, chart_style
from cpkit.present.figure_text import counts_of, join_names, lower_first, upper_first, visible
from cpkit.present.judgement import printed
from cpkit.publish import figure as published
from cpkit.publish.figure import at_precision

# --- Chart -------------------------------------------------------------------------------------------


def chart_rows(card: Headline, config: Config) -> pd.DataFrame:
    """Headline percentages with a better direction and a published England figure, as the chart shows them."""
    f = card.frame
    keep = (f["source"] == SSDA903) & (f["unit"] == "percent") & f["polarity"].isin(["high", "low"])
    keep &= f["england"].notna()
    rows = f[keep]
    # a boolean Series, not a list: an empty list would select no columns (KeyError with no England rows)
    rows = rows[pd.Series([visible(r, config) for _, r in rows.iterrows()], index=rows.index, dtype=bool)]
    out = pd.DataFrame(
        {
            "Measure": [upper_first(x) for x in rows["short"]],
            # rounded as every figure is printed (half away from zero, the scorecard's "9%" for 8.5), not
            # pandas' half to even: the two would be different percentages of the same counts
            "Council": [at_precision(float(v), 0) for v in rows["value"]],
            "England": rows["england"].tolist(),
            "Statistical neighbours": rows["neighbour_avg"].round(1).tolist(),
            "Better direction": rows["polarity"].map({"high": "higher", "low": "lower"}).tolist(),
            "Standing": [_standing(r) for _, r in rows.iterrows()],
        }
    )
    # the document keys of the counts each council figure divides (``counts_of``), for its block
    out.attrs["counts"] = [counts_of(r) for _, r in rows.iterrows()]
    return out


def published_rows(data: pd.DataFrame) -> pd.DataFrame:
    """``chart_rows`` as the chart's data is published (its block): the council's, England's and the
    neighbours' figures as percent ``Figure``s, printed as before ("47", "55.9"), the unit in the figure;
    the council's name the counts they divide (``chart_rows``' ``attrs["counts"]``) for the report's audit."""
    out = data.astype(object)
    counts = data.attrs.get("counts") or [(None, None)] * len(data)
    for column in ("Council", "England", "Statistical neighbours"):
        cells = [
            published.not_available("percent", "not published")
            if pd.isna(v)
            else printed(float(v), 0 if float(v).is_integer() else 1, "percent")
            for v in data[column]
        ]
        if column == "Council":
            cells = [c.with_counts(*keys) if keys[0] else c for c, keys in zip(cells, counts, strict=True)]
        out[column] = pd.Series(cells, index=data.index, dtype=object)
    return out


def _standing(row: pd.Series) -> str:
    """ "better"/"worse" (than both), "mixed", or "better than England only" when no neighbour figure is
    published for the measure (the chart needs England; the neighbours may be missing)."""
    found = comparators.standing(row)
    if found.both or found.verdict in ("", "mixed"):
        return found.verdict
    return f"{found.verdict} than {comparators.against_words(found.against)} only"


def comparison_chart(data: pd.DataFrame, la_name: str, label: str) -> tuple[plt.Figure, str]:
    """Dot chart: the council (filled circle), England (diamond) and neighbours (square) per measure.

    Markers differ in shape and fill as well as colour, so the series read without colour.
    """
    colours = af_colours(3)
    y = np.arange(len(data))
    with chart_style():
        fig, ax = plt.subplots(figsize=(9, 0.5 * len(data) + 2))
        for (col, marker, face, size, offset), colour in zip(
            (
                ("Council", "o", None, 80, -0.2),
                ("England", "D", "none", 55, 0.0),
                ("Statistical neighbours", "s", "none", 55, 0.2),
            ),
            colours,
            strict=True,
        ):  # a small vertical offset keeps equal values from hiding each other
            ax.scatter(
                data[col],
                y + offset,
                marker=marker,
                s=size,
                label=la_name if col == "Council" else col,
                color=colour,
                facecolors=face or colour,
                linewidths=1.8,
                zorder=3,
            )
        labels = [
            textwrap.fill(f"{m} ({b} is better)", 40)
            for m, b in zip(data["Measure"], data["Better direction"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Per cent")
        ax.grid(axis="y", linestyle=":", linewidth=0.5)
        ax.set_title(
            f"Headline percentages against England and statistical neighbours, {label}",
            loc="left",
            fontsize=11,
        )
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=3, frameon=False, fontsize=9)
        fig.tight_layout()
    return fig, chart_alt(data, la_name, label)


def chart_alt(data: pd.DataFrame, la_name: str, label: str) -> str:
    """Alt text stating the chart's message from its numbers."""
    n = len(data)
    groups = {
        k: [lower_first(m) for m in data.loc[data["Standing"] == k, "Measure"]] for k in ("better", "worse")
    }
    text = (
        f"Dot chart of {n} headline percentages for {la_name}, England and the statistical neighbour average, "
        f"{label}. {la_name} was better than both on {len(groups['better'])}"
    )
    text += f" ({join_names(groups['better'])})" if groups["better"] else ""
    text += f" and worse than both on {len(groups['worse'])}"
    text += f" ({join_names(groups['worse'])})" if groups["worse"] else ""
    one = data[data["Standing"].str.endswith(" only")]
    for standing, rows in one.groupby("Standing", sort=True):
        names = join_names([lower_first(m) for m in rows["Measure"]])
        text += f"; {standing} (no neighbour figure) on {len(rows)} ({names})"
    rest = n - len(groups["better"]) - len(groups["worse"]) - len(one)
    if not rest:
        return text + "."
    return (
        text
        + (f"; the other {rest} were" if rest > 1 else "; the other one was")
        + " close to them or between them."
    )


def chart_caption(card: Headline) -> str:
    """The chart's caption, naming the published year when it is not the report's."""
    p = card.period
    text = f"Headline percentages against England and statistical neighbours, {p.label}"
    if card.bench_differs:
        text += f" (published figures for {card.bench_label})"
    return text
