"""A published figure: the text a reader sees, and the facts the text cannot carry.

Before this module a figure left a section as a formatted string with suppression already applied, and
every writer after (the workbook, the charts' data, the downloads) worked back from the string: "45%" was
parsed to 0.45, "[c]" searched for, "457 (10)" split by a regex. A ``Figure`` is still a ``str`` (so every
f-string, HTML cell and sentence that printed the text keeps working unchanged), and it also carries the
true value, its unit and decimals, and its status: shown, or hidden and why. Writers read those, never the
text.

**What travels.** ``to_json`` is what goes into a notebook output (the block MIME type,
``cpkit.publish.block``) and from there to the report folder, so it carries only what is published:

- a hidden figure (``SMALL``: a count from 1 to threshold - 1; ``SECONDARY``: hidden to protect another)
  travels with ``value: None``; its true value lives only in the kernel's memory (and in a pickle, which
  never leaves the kernel);
- a shown number travels at the precision it is printed at (``rounded``): 83.333...% printed "83%"
  travels as 83, because the extra digits can give away the counts behind it (5 of 6, not 10 of 12);
- a percentage travels with the document keys of the counts it divides (``numerator``, ``denominator``:
  names, never values), so the block that prints it records it as a share and the report's audit can
  search it with those counts ("80%" of a printed 5 is 4).

**Statuses** map to the GSS shorthand for spreadsheets (``shorthand``): ``[c]`` confidential for both
hidden kinds (the council's own small-count symbol, "<5", is for the pages; a workbook uses the GSS set
and explains it), ``[z]`` not applicable, ``[x]`` not available, ``[low]`` rounds to zero.
"""

from __future__ import annotations

import datetime
import math
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Whether a figure is shown, and if not, which kind of absence it is (each has its GSS shorthand)."""

    SHOWN = "shown"
    SMALL = "small"  # primary suppression: a count 1..threshold-1, printed as the council's symbol ("<5")
    SECONDARY = "secondary"  # hidden to protect another figure, printed "[c]"
    NOT_APPLICABLE = "not applicable"  # GSS [z]: the figure cannot exist (no children in the group)
    NOT_AVAILABLE = "not available"  # GSS [x]: it exists but the data cannot give it
    LOW = "low"  # GSS [low]: rounds to zero at the decimals shown


HIDDEN = frozenset({Status.SMALL, Status.SECONDARY})

# The GSS shorthand ("Using symbols and shorthand in statistical tables", Analysis Function) for each status
SHORTHAND: dict[Status, str] = {
    Status.SMALL: "[c]",
    Status.SECONDARY: "[c]",
    Status.NOT_APPLICABLE: "[z]",
    Status.NOT_AVAILABLE: "[x]",
    Status.LOW: "[low]",
}

# What each shorthand means, for a workbook's cover or notes (the [c] line is completed by the rule in force)
SHORTHAND_MEANING: dict[str, str] = {
    "[c]": "confidential: a figure not shown so that no child can be identified",
    "[z]": "not applicable: the figure cannot exist (for example, no children in the group, or no earlier year)",
    "[x]": "not available: the figure exists but the data do not give it, or it has not been published",
    "[low]": "low: a figure that rounds to zero at the precision shown",
}

# The units a figure can be in (the workbook names the unit in the column heading).
UNITS = frozenset(
    {
        "count",
        "percent",
        "points",
        "rate per 10,000",
        "days",
        "weeks",
        "months",
        "years",
        "km",
        "miles",
        "score",
        "ratio",
        "date",
        "number",
        "pounds",
    }
)


def _plain(value: Any) -> float | int | datetime.date | None:
    """A value as a Python number or date (numpy and pandas scalars made plain); None for missing."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        try:
            return value.to_pydatetime().date()
        except (ValueError, TypeError):
            return None
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item") and not isinstance(value, int | float):  # numpy scalar
        value = value.item()
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


_EPS = 1e-9


def at_precision(value: float, decimals: int) -> float:
    """``value`` as printed at ``decimals`` places (round half away from zero, as Excel and the DfE do):
    the kit's one rounding rule (``cpkit.present.judgement.printed`` prints by it)."""
    factor = 10**decimals
    x = abs(float(value)) * factor
    return math.copysign(math.floor(x + 0.5 + _EPS) / factor, float(value))


def rounded(value: float | int, decimals: int) -> float | int:
    """``value`` as published at ``decimals`` places (``at_precision``); an int, or a whole number at 0
    decimals, is an int."""
    if isinstance(value, int):
        return value
    if math.isinf(value):
        return value
    out = at_precision(value, decimals) + 0.0
    return int(out) if decimals <= 0 and out.is_integer() else out


class Figure(str):
    """A published figure: prints as its text, and carries value, unit, decimals, status, reason and key.

    ``Figure("45%", value=45.2, unit="percent")``. ``value`` is the true value (in memory only when the
    status hides it, see the module docstring); ``unit`` one of ``UNITS``; ``decimals`` the places it is
    printed at; ``reason`` says in words why a figure is not shown; ``key`` is the disclosure identity of a
    count (the same key anywhere in a document is the same figure, ``cpkit.present.disclosure.Ledger``).
    ``numerator`` and ``denominator`` are the document keys of the counts a percentage divides ("80%" of
    the children in care at 31 March, ``cla@2025-03-31``): a shown one tells a reader about them, so its
    block records it (``share``, ``Block.shares``) and the report's audit searches it with the counts.
    String operations on a Figure give plain ``str`` (an f-string or "+ '%'" is words again).
    """

    value: float | int | datetime.date | None
    unit: str
    decimals: int
    status: Status
    reason: str
    key: str | None
    numerator: str | None
    denominator: str | None

    def __new__(
        cls,
        text: str,
        value: Any = None,
        unit: str = "number",
        decimals: int = 0,
        status: Status | str = Status.SHOWN,
        reason: str = "",
        key: Any = None,
        numerator: Any = None,
        denominator: Any = None,
    ) -> Figure:
        self = super().__new__(cls, text)
        self.value = _plain(value)
        self.unit = unit
        self.decimals = int(decimals)
        self.status = Status(status)
        self.reason = reason
        self.key = key_text(key)
        self.numerator = key_text(numerator)
        self.denominator = key_text(denominator)
        return self

    # --- what it is --------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return str(self)

    @property
    def hidden(self) -> bool:
        """True when the rule hides the figure (a small count, or hidden to protect one)."""
        return self.status in HIDDEN

    @property
    def shown(self) -> bool:
        return self.status == Status.SHOWN

    def shorthand(self) -> str | None:
        """The GSS shorthand that stands in its place in a spreadsheet, or None when it is shown."""
        return SHORTHAND.get(self.status)

    @property
    def published_value(self) -> float | int | datetime.date | None:
        """The value as published: None when not shown, else at the precision it is printed at."""
        if self.status != Status.SHOWN or self.value is None:
            return None
        if isinstance(self.value, datetime.date):
            return self.value
        return rounded(self.value, self.decimals)

    def share(self) -> dict[str, Any] | None:
        """What a shown percentage tells a reader about the counts it divides, for the document audit
        (``Block.shares``): ``{"numerator", "denominator", "percent", "decimals"}`` over document keys,
        the percent as printed; None for any other figure (hidden, not a percentage, or its counts not
        named). A percentage knows its counts when it is made (``with_counts``), so no block or writer
        keeps a second list."""
        if (
            self.unit != "percent"
            or self.status != Status.SHOWN
            or self.numerator is None
            or self.denominator is None
            or not isinstance(self.value, int | float)
        ):
            return None
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": float(at_precision(float(self.value), self.decimals)),
            "decimals": self.decimals,
        }

    def with_counts(self, numerator: Any, denominator: Any) -> Figure:
        """The same figure naming the counts it divides (document keys: ``Figure.key`` of the counts,
        or a ``shared_key``): ``rule.pct(...).with_counts("looked-after@...", "cla@2025-03-31")``."""
        return Figure(
            str(self),
            self.value,
            self.unit,
            self.decimals,
            self.status,
            self.reason,
            self.key,
            numerator,
            denominator,
        )

    # --- travel ------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The figure as it may leave the kernel: a hidden figure's value is never written (None)."""
        value = self.published_value if self.status == Status.SHOWN else None
        if self.status == Status.LOW and self.value is not None and not isinstance(self.value, datetime.date):
            value = None  # [low]: the reader is told only that it rounds to zero
        if isinstance(value, datetime.date):
            value = value.isoformat()
        out = {
            "text": str(self),
            "value": value,
            "unit": self.unit,
            "decimals": self.decimals,
            "status": str(self.status),
            "reason": self.reason,
            "key": self.key,
        }
        if self.numerator is not None or self.denominator is not None:  # a percentage's counts (keys)
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        value = data.get("value")
        if data.get("unit") == "date" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return cls(
            str(data.get("text", "")),
            value=value,
            unit=str(data.get("unit", "number")),
            decimals=int(data.get("decimals", 0) or 0),
            status=Status(data.get("status", Status.SHOWN)),
            reason=str(data.get("reason", "")),
            key=data.get("key"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # pickling keeps the true value (a pickle stays in the kernel: scrapbook glue, multiprocessing)
        return (
            _rebuild,
            (
                str(self),
                self.value,
                self.unit,
                self.decimals,
                str(self.status),
                self.reason,
                self.key,
                self.numerator,
                self.denominator,
            ),
        )

    def __repr__(self) -> str:
        return (
            f"Figure({str(self)!r}, value={self.value!r}, unit={self.unit!r}, status={self.status.value!r})"
        )


def _rebuild(
    text: str,
    value: Any,
    unit: str,
    decimals: int,
    status: str,
    reason: str,
    key: Any,
    numerator: Any = None,
    denominator: Any = None,
) -> Figure:
    return Figure(text, value, unit, decimals, status, reason, key, numerator, denominator)


def key_text(key: Any) -> str | None:
    """A ledger key as text (keys may be tuples in the kernel; in a block they are strings)."""
    if key is None:
        return None
    if isinstance(key, tuple):
        return "/".join(str(k) for k in key)
    return str(key)


# --- constructors --------------------------------------------------------------------------------------


def shown(text: str, value: Any, unit: str = "number", decimals: int = 0, key: Any = None) -> Figure:
    """A figure printed as it is."""
    return Figure(text, value, unit, decimals, Status.SHOWN, "", key)


def small(text: str, value: Any, threshold: int, unit: str = "count", key: Any = None) -> Figure:
    """A count from 1 to threshold - 1, printed as the council's symbol."""
    return Figure(
        text,
        value,
        unit,
        0,
        Status.SMALL,
        f"a count from 1 to {threshold - 1}, not shown so that no child can be identified",
        key,
    )


def secondary(
    text: str, value: Any, unit: str = "count", decimals: int = 0, key: Any = None, why: str = ""
) -> Figure:
    """A figure hidden to protect another (or worked out from a small count)."""
    return Figure(
        text,
        value,
        unit,
        decimals,
        Status.SECONDARY,
        why or "hidden so that a small count cannot be worked out from it or from the other figures",
        key,
    )


def not_available(
    unit: str = "number", reason: str = "the data do not give this figure", text: str = ""
) -> Figure:
    """A figure that exists but cannot be given (GSS [x]); printed as ``text`` (by default nothing)."""
    return Figure(text, None, unit, 0, Status.NOT_AVAILABLE, reason)


def not_applicable(unit: str = "number", reason: str = "the figure cannot exist", text: str = "") -> Figure:
    """A figure that cannot exist (GSS [z]): no children in the group, no earlier year."""
    return Figure(text, None, unit, 0, Status.NOT_APPLICABLE, reason)
