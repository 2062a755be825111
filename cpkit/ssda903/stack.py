"""Stacking several years' returns into one account of each child's episodes.

A council's return for year Y (collection year Y, 1 April Y-1 to 31 March Y) is its authoritative
account of that year: it holds every episode open at any time in the year, including those that
started earlier and were open on 1 April. Returns for consecutive years therefore tell the episodes
open on 1 April twice, and a later return may correct what an earlier one said. The rules, applied at
each boundary between a return P and the next return Y present in the stack (oldest first):

1. Same episode, same start (CHILD and DECOM equal): the later return's version is kept whole (it
   carries the end date and reason the earlier one could not know). Where the earlier version had
   already ended before Y's year began, the earlier return covers that time and its version stays.
   Any other field that differs is listed (``episode_amended``). A child's episodes starting the
   same day are paired one to one (``match_same_start``: order within the day, PLACE, row order);
   where two returns tell that day with different numbers of episodes, each row is listed
   (``episode_match_unresolved``) and each return's version is used for its own year.
2. Amended start: an episode P had open at the end of its year and an episode Y has open at the start
   of its year, for the same child, with different DECOMs, are one episode whose start was changed:
   they are matched (latest with latest, one to one), not read as two overlapping episodes. The start
   stays the one P gave (P covers the day the episode began, so each return's 31 March count stands);
   the rest is Y's. Listed as ``episode_start_amended``.
3. Not restated: an episode P had open at the end of its year that Y does not restate. Where the
   child has a later episode starting by 1 April P (an end date left blank, the next episode told by
   both returns), it ends when that began, care continuing (REC X1). Otherwise Y says the child was not
   looked after on 1 April: it is closed the day after P's year ended (DEC = 1 April P, reason not
   known; counted as leaving care that day). Both are listed as ``episode_not_restated``. The child
   counts in P's 31 March figure, as in P, and not in Y's, as in Y.
4. Back-dated: an episode Y has open at the start of its year with no match in P, but starting in
   P's year or before, while P did not have the child in care at the end of its year: P covers that
   time, so the episode is read as starting on 1 April P (``episode_start_moved``).
5. History only Y tells: an episode of Y that ended before Y's year began (Y should not hold it) and
   that no earlier return has is set aside where an earlier return in the stack covers its dates
   (``episode_outside_return_year``), and kept where none does.

Rows without a known return year (one file of all episodes) are kept unless a return in the stack has
the same episode. Together the rules make the number looked after on each 31 March from the stack
equal the number from that year's return alone, and every point where two returns disagree a listed
problem (the DfE's validation rules 562 and 1010 check the same continuity between two years).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cpkit.ssda903.issues import make_issues, make_set_aside, tidy_issues, tidy_set_aside
from cpkit.ssda903.tables import RETURN_YEAR, SOURCE_FILE, SOURCE_ROW, TABLE_COLUMNS

# Fields compared when two returns tell the same episode. The end fields are compared only where the
# earlier return had already closed the episode: an open episode gains them legitimately (the reason
# for a change of placement is recorded on the episode the change ends: DfE rule 225).
COMPARED = (
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "HOME_POST",
    "PL_POST",
    "URN",
)
END_FIELDS = ("DEC", "REC", "REASON_PLACE_CHANGE")


def _where(frame: pd.DataFrame, idx: pd.Index) -> pd.Series:
    """ "file row n" for rows of the frame (for messages: never the child's identifier)."""
    return frame.loc[idx, SOURCE_FILE].astype("str") + " row " + frame.loc[idx, SOURCE_ROW].astype("str")


def _differs(a: pd.Series, b: pd.Series) -> pd.Series:
    return ~((a == b).fillna(False) | (a.isna() & b.isna()))


def stack_episodes(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply the stacking rules (module docstring) to episodes of several returns.

    ``frame``: cleaned episodes with ``return_year`` (exact copies within a year already removed).
    Returns (episodes kept, problems listing each disagreement, rows set aside with the reason).
    """
    years = sorted(int(y) for y in frame[RETURN_YEAR].dropna().unique())
    if len(years) < 2 and not (len(years) == 1 and frame[RETURN_YEAR].isna().any()):
        return frame, tidy_issues([]), tidy_set_aside([])
    e = frame.reset_index(drop=True).copy()
    year = e[RETURN_YEAR]
    dropped = pd.Series(False, index=e.index)
    reasons = pd.Series(None, index=e.index, dtype="object")
    issues: list[pd.DataFrame] = []
    first_start = pd.Timestamp(years[0] - 1, 4, 1)

    def note(idx: pd.Index, rule: str, column: str | None, message: pd.Series | str, y: int) -> None:
        if len(idx):
            issues.append(
                make_issues(
                    file=e.loc[idx, SOURCE_FILE],
                    table="episodes",
                    row=e.loc[idx, SOURCE_ROW],
                    column=column,
                    value=None,
                    rule=rule,
                    message=message if isinstance(message, str) else message.loc[idx],
                    year=y,
                )
            )

    def drop(idx: pd.Index, why: pd.Series | str) -> None:
        dropped.loc[idx] = True
        reasons.loc[idx] = why if isinstance(why, str) else why.loc[idx].to_numpy()

    for prev, y in zip(years, years[1:], strict=False):
        g = pd.Timestamp(prev, 4, 1)  # the day after P's year ended
        c = pd.Timestamp(y - 1, 4, 1)  # the first day of Y's year
        live = ~dropped
        s = e[live & (year < y).fillna(False)]
        r = e[live & (year == y).fillna(False)]
        s_open = s[s["DEC"].isna() | (s["DEC"] >= g)]
        label = f"the {y} return"

        # 1. Same child and start (same-day episodes paired one to one: ``match_same_start``).
        matched, unresolved = match_same_start(s, r)
        pairs = (
            matched.merge(s.add_suffix("_s"), left_on="index_s", right_index=True)
            .merge(r.add_suffix("_r"), left_on="index_r", right_index=True)
            .set_index("index_r")
        )
        if len(pairs):
            closed_before = (pairs["DEC_s"].notna() & (pairs["DEC_s"] < g)).to_numpy()
            s_idx, r_idx = pd.Index(pairs["index_s"]), pairs.index
            older = pairs[closed_before]
            if len(older):
                drop(
                    older.index,
                    "restates an episode of an earlier return that ended before this return's year",
                )
                diff = _compare(older, with_end=True)
                hit = diff[diff != ""]
                if len(hit):
                    msg = (
                        "the "
                        + str(y)
                        + " return restates this episode, ended before its year, with other "
                        + hit
                    )
                    msg = msg.where(~older.loc[hit.index, "by_position"].to_numpy(), msg + BY_POSITION)
                    note(
                        pd.Index(older.loc[hit.index, "index_s"]),
                        "episode_amended",
                        None,
                        _aligned(e, older.loc[hit.index, "index_s"], msg),
                        y,
                    )
            newer = pairs[~closed_before]
            if len(newer):
                old_idx = pd.Index(newer["index_s"])
                drop(old_idx, f"episode superseded by {label}")
                diff = _compare(newer, with_end=False)
                hit = diff[diff != ""]
                if len(hit):
                    msg = "this episode differs from the earlier return's version in " + hit
                    by_row = newer.loc[hit.index, "by_position"].to_numpy()
                    msg = msg.where(~by_row, msg + BY_POSITION)
                    note(hit.index, "episode_amended", None, msg, y)
            matched_s = set(s_idx)
            matched_r = set(r_idx)
        else:
            matched_s, matched_r = set(), set()
        if len(unresolved):
            left = _unresolved(e, unresolved, g, y, drop, note)
            matched_s |= set(unresolved.loc[unresolved["side"] == "s", "index"]) - left
            matched_r |= set(unresolved.loc[unresolved["side"] == "r", "index"])

        # 2. Amended start: open at P's end and at Y's start, paired latest with latest.
        s_left = s_open[~s_open.index.isin(matched_s)]
        r_pre = r[(r["DECOM"] < c) & (r["DEC"].isna() | (r["DEC"] >= c)) & ~r.index.isin(matched_r)]
        # Latest with latest: where P left an older episode open by mistake as well, the episode Y
        # restates is P's latest one.
        a = s_left.assign(_k=s_left.sort_values("DECOM").groupby("CHILD").cumcount(ascending=False))
        b = r_pre.assign(_k=r_pre.sort_values("DECOM").groupby("CHILD").cumcount(ascending=False))
        amended = (
            a[["CHILD", "_k", "DECOM"]]
            .reset_index()
            .merge(b[["CHILD", "_k", "DECOM"]].reset_index(), on=["CHILD", "_k"], suffixes=("_s", "_r"))
        )
        if len(amended):
            r_idx, s_idx = pd.Index(amended["index_r"]), pd.Index(amended["index_s"])
            was = pd.Series(e.loc[r_idx, "DECOM"].dt.strftime("%d/%m/%Y").to_numpy(), index=r_idx)
            kept = pd.Series(amended["DECOM_s"].dt.strftime("%d/%m/%Y").to_numpy(), index=r_idx)
            where = pd.Series(_where(e, s_idx).to_numpy(), index=r_idx)
            drop(
                s_idx,
                pd.Series(("the same episode as " + _where(e, r_idx)).to_numpy(), index=s_idx)
                + f" ({label}), whose start date differs",
            )
            e.loc[r_idx, "DECOM"] = amended["DECOM_s"].to_numpy()
            note(
                r_idx,
                "episode_start_amended",
                "DECOM",
                "DECOM "
                + was
                + " differs from "
                + kept
                + " in "
                + where
                + "; read as one episode starting "
                + kept,
                y,
            )
        paired_s = set(amended["index_s"]) if len(amended) else set()
        paired_r = set(amended["index_r"]) if len(amended) else set()

        # 3. Open at P's end, not restated by Y: it ends when the child's next episode began (care
        # continued: an end date left blank by mistake), else the day after P's year ended.
        gone = s_left[~s_left.index.isin(paired_s)]
        gone = gone[gone["DECOM"] < g]
        if len(gone):
            live_now = e[~dropped & ~e.index.isin(gone.index)]
            nxt = (
                gone[["CHILD", "DECOM"]]
                .reset_index()
                .merge(live_now[["CHILD", "DECOM"]], on="CHILD", suffixes=("", "_next"))
            )
            nxt = nxt[(nxt["DECOM_next"] > nxt["DECOM"]) & (nxt["DECOM_next"] <= g)]
            nxt = nxt.groupby("index")["DECOM_next"].min()
            continued = gone.index.intersection(nxt.index)
            ended = gone.index.difference(continued)
            if len(continued):
                e.loc[continued, "DEC"] = nxt.loc[continued].to_numpy()
                e.loc[continued, "REC"] = "X1"
                when = pd.Series(nxt.loc[continued].dt.strftime("%d/%m/%Y").to_numpy(), index=continued)
                note(
                    continued,
                    "episode_not_restated",
                    "DEC",
                    f"open at the end of its return's year but not in {label}, which has the child's "
                    "next episode: read as ending (X1) when that began, " + when,
                    y,
                )
            if len(ended):
                e.loc[ended, "DEC"] = g
                e.loc[ended, "REC"] = None
                note(
                    ended,
                    "episode_not_restated",
                    "DEC",
                    f"open at the end of its return's year but not in {label}: read as ended on "
                    f"{g:%d/%m/%Y} (reason not known)",
                    y,
                )
        # P's rows starting within Y's year that Y does not have: Y covers that time.
        late = s[(s["DECOM"] >= c) & ~s.index.isin(matched_s)]
        if len(late):
            drop(late.index, f"starts in the year {label} covers, which does not have it")
            note(
                late.index,
                "episode_outside_return_year",
                "DECOM",
                f"starts after its return's year and {label} does not have it; set aside",
                y,
            )

        # 4. Back-dated: open at Y's start, no match, starting before P's year ended.
        moved = r_pre[~r_pre.index.isin(paired_r) & (r_pre["DECOM"] < g)]
        if len(moved):
            was = moved["DECOM"].dt.strftime("%d/%m/%Y")
            e.loc[moved.index, "DECOM"] = g
            note(
                moved.index,
                "episode_start_moved",
                "DECOM",
                "DECOM " + was + f" falls in an earlier return's year, which does not have the child in "
                f"care at its end: read as starting {g:%d/%m/%Y}",
                y,
            )
        # 5. History only Y tells, within the years of earlier returns.
        history = r[(r["DEC"].notna() & (r["DEC"] < c)) & ~r.index.isin(matched_r) & (r["DEC"] > first_start)]
        if len(history):
            drop(history.index, "ended before its return's year, in years earlier returns cover")
            note(
                history.index,
                "episode_outside_return_year",
                "DEC",
                "ended before its return's year and no earlier return has it; set aside",
                y,
            )

    # Rows without a return year: kept unless a return has the same episode.
    unknown = e[year.isna() & ~dropped]
    if len(unknown):
        known = e[year.notna() & ~dropped]
        same = unknown.reset_index().merge(known[["CHILD", "DECOM"]], on=["CHILD", "DECOM"])["index"]
        if len(same):
            drop(pd.Index(same.unique()), "the same episode is in a return of known year")

    kept = e[~dropped].reset_index(drop=True)
    aside_idx = e.index[dropped]
    aside = (
        make_set_aside(
            file=e.loc[aside_idx, SOURCE_FILE],
            table="episodes",
            row=e.loc[aside_idx, SOURCE_ROW],
            reason=reasons.loc[aside_idx].astype("str"),
        )
        if len(aside_idx)
        else tidy_set_aside([])
    )
    return kept[list(frame.columns)], tidy_issues(issues), tidy_set_aside([aside])


# How a same-day pair matched only by row order is marked in its ``episode_amended`` message.
BY_POSITION = (
    " (paired with the other return's episode starting the same day by their order in the returns: "
    "neither the order within the day nor PLACE told them apart)"
)
_KEY = ["CHILD", "DECOM"]


def match_same_start(s: pd.DataFrame, r: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair the episodes of an earlier return's rows ``s`` and a later return's ``r`` that are the same
    episode told twice: same child and start (CHILD, DECOM), one to one.

    Almost every child has one episode a start day, and those pair on CHILD and DECOM alone. A child
    with several episodes starting the same day (a placement or legal status changed on the day it
    began) has a group of rows on each side, paired by what the returns say, in this order, each step
    taking only rows it can tell apart within their group on both sides:

    1. order within the day: whether the episode ended the day it began (DEC = DECOM: it comes before
       the one that runs on) and whether it starts the period of care (RNE S: the first of the day);
    2. PLACE;
    3. position: the rows' order in their returns, where both sides have as many rows left.

    Returns ``(matched, unresolved)``: ``matched`` has ``index_s``, ``index_r`` and ``by_position``
    (paired by step 3); ``unresolved`` lists the rows of groups still left on both sides (``index``,
    ``side`` "s" or "r"), which a later return tells with a different number of episodes that day:
    these are data problems (``episode_match_unresolved``), never a guess.
    """
    ks, kr = s[_KEY], r[_KEY]
    s_dup, r_dup = ks.duplicated(keep=False), kr.duplicated(keep=False)
    simple = (
        ks[~s_dup]
        .reset_index()
        .merge(kr[~r_dup].reset_index(), on=_KEY, suffixes=("_s", "_r"))[["index_s", "index_r"]]
        .assign(by_position=False)
    )
    none = pd.DataFrame({"index": pd.Series(dtype="int64"), "side": pd.Series(dtype="str")})
    if not (s_dup.any() or r_dup.any()):
        return simple, none
    # Groups (child and start day) with several rows on either side, present on both.
    keys = pd.concat([ks[s_dup], kr[r_dup]]).drop_duplicates()
    a = _day_rows(s, keys)
    b = _day_rows(r, keys)
    common = a[_KEY].merge(b[_KEY], on=_KEY).drop_duplicates()
    a, b = a.merge(common, on=_KEY), b.merge(common, on=_KEY)
    found = []
    for cols in (["_ends_on_day", "_first"], ["PLACE"]):
        hit = _pair_unique(a, b, cols)
        found.append(hit.assign(by_position=False))
        a, b = a[~a["index"].isin(hit["index_s"])], b[~b["index"].isin(hit["index_r"])]
    # 3. Position, in groups with as many rows left on each side.
    left = (
        a.groupby(_KEY)
        .size()
        .rename("n_s")
        .to_frame()
        .join(b.groupby(_KEY).size().rename("n_r"), how="inner")
    )
    even = left[left["n_s"] == left["n_r"]].reset_index()[_KEY]
    pa = a.merge(even, on=_KEY).sort_values("index")
    pb = b.merge(even, on=_KEY).sort_values("index")
    pa["_pos"], pb["_pos"] = pa.groupby(_KEY).cumcount(), pb.groupby(_KEY).cumcount()
    by_pos = pa[[*_KEY, "_pos", "index"]].merge(
        pb[[*_KEY, "_pos", "index"]], on=[*_KEY, "_pos"], suffixes=("_s", "_r")
    )
    found.append(by_pos[["index_s", "index_r"]].assign(by_position=True))
    uneven = left[left["n_s"] != left["n_r"]].reset_index()[_KEY]
    unresolved = pd.concat(
        [
            a.merge(uneven, on=_KEY)[["index"]].assign(side="s"),
            b.merge(uneven, on=_KEY)[["index"]].assign(side="r"),
        ],
        ignore_index=True,
    )
    matched = pd.concat([simple, *found], ignore_index=True)
    return matched, unresolved if len(unresolved) else none


def _day_rows(frame: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` in the (CHILD, DECOM) groups ``keys``, with the facts that order a day."""
    rows = frame.reset_index().merge(keys, on=_KEY)
    return rows.assign(
        _ends_on_day=(rows["DEC"] == rows["DECOM"]).fillna(False).to_numpy(),
        _first=(rows["RNE"] == "S").fillna(False).to_numpy(),
    )


def _pair_unique(a: pd.DataFrame, b: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Pairs of rows equal on CHILD, DECOM and ``cols``, each unique on its side (blanks never pair)."""
    k = [*_KEY, *cols]
    ua = a[~a.duplicated(k, keep=False) & a[cols].notna().all(axis=1)]
    ub = b[~b.duplicated(k, keep=False) & b[cols].notna().all(axis=1)]
    return ua[[*k, "index"]].merge(ub[[*k, "index"]], on=k, suffixes=("_s", "_r"))[["index_s", "index_r"]]


def _unresolved(
    e: pd.DataFrame, rows: pd.DataFrame, g: pd.Timestamp, y: int, drop: Callable, note: Callable
) -> set[int]:
    """Same-day episodes two returns tell with different numbers of rows: each return keeps its own
    years. The earlier returns' rows ended before their year ended stay and the rest give way to the
    later return's; the later return's rows ended before then are set aside. Where the later return
    has none of the day's episodes running on into its year, the earlier rows still open are left
    to the rule for an episode not restated (returned). Every row is listed."""
    side = pd.Series(rows["side"].to_numpy(), index=pd.Index(rows["index"]))
    day = e.loc[side.index, _KEY]
    ended = (e.loc[side.index, "DEC"].notna() & (e.loc[side.index, "DEC"] < g)).to_numpy()
    runs_on = day[(side == "r").to_numpy() & ~ended].drop_duplicates()
    y_runs = day.reset_index().merge(runs_on.assign(_y=True), on=_KEY, how="left").set_index("index")["_y"]
    y_runs = y_runs.reindex(side.index).fillna(False).astype(bool).to_numpy()
    s_rows = (side == "s").to_numpy()
    s_gone = side.index[s_rows & ~ended & y_runs]
    s_left = side.index[s_rows & ~ended & ~y_runs]
    r_gone = side.index[~s_rows & ended]
    count = day.assign(side=side.to_numpy()).groupby([*_KEY, "side"]).size().unstack(fill_value=0)
    n = day.merge(count.reset_index(), on=_KEY, how="left").set_axis(side.index)
    text = (
        "the returns before "
        + str(y)
        + " have "
        + n["s"].astype("str")
        + " episodes of this child starting "
        + day["DECOM"].dt.strftime("%d/%m/%Y")
        + " and the "
        + str(y)
        + " return "
        + n["r"].astype("str")
        + "; they could not be paired (by order within the day, PLACE or row order): this row was "
    )
    drop(
        s_gone,
        f"the {y} return tells this child's episodes starting that day differently; its rows were kept",
    )
    drop(
        r_gone,
        "ended in an earlier return's year, which tells this child's episodes starting that day differently",
    )
    done = pd.Series("kept (each return's version is used for its own year)", index=side.index)
    done.loc[s_gone.append(r_gone)] = "set aside (each return's version is used for its own year)"
    done.loc[s_left] = (
        f"read as not restated by the {y} return, which has none of that day's episodes running on"
    )
    note(side.index, "episode_match_unresolved", "DECOM", text + done, y)
    return set(s_left)


# The problems the stacking rules list: each is a point where a later return tells an earlier one's
# episodes differently (``year`` is the later return's).
STACK_RULES = (
    "episode_amended",
    "episode_start_amended",
    "episode_match_unresolved",
    "episode_not_restated",
    "episode_start_moved",
    "episode_outside_return_year",
)


def year_sources(
    episodes: pd.DataFrame, issues: pd.DataFrame, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Which return each collection year's figures come from, and where later returns disagree.

    ``sources``: ``Data903.sources`` (the files read, with the year each was read as). One row per
    collection year from the first return in the stack to the last: ``year``, ``return_year`` (the
    return the year's figures come from: its own, or missing where the data hold no return for it),
    ``disagreements`` (the stacking problems listed where a later return tells an episode of this
    return differently: other codes or another start, left out, carried back, or a day's episodes
    told otherwise) and ``later_returns`` (those later returns' years, "2024, 2025"; "" for none).

    A problem belongs to the return whose version it contradicts: the file it names where that is
    an earlier return's, else the return before the one it names in the stack. The stacking rules
    make each year's children looked after on 31 March, starts and ends those of the year's own
    return; a later return's version of an episode still open when its year began gives that
    episode's codes (placement, legal status, need). Counts only: no child.
    """
    cols = ["year", "return_year", "disagreements", "later_returns"]
    own = list(pd.to_numeric(episodes["return_year"], errors="coerce").dropna()) if len(episodes) else []
    file_year: dict[str, int] = {}
    if sources is not None and "year" in sources.columns and len(sources):
        # returns every row of which a later return superseded (``Data903.sources``: files read)
        read = sources[(sources["table"] == "Episodes") & (pd.to_numeric(sources["rows"]) > 0)]
        known = pd.to_numeric(read["year"], errors="coerce")
        own += list(known.dropna())
        file_year = {str(f): int(y) for f, y in zip(read["path"], known, strict=True) if pd.notna(y)}
    said = pd.to_numeric(issues["year"], errors="coerce")  # object when read back from the run's cache
    mine = issues["rule"].isin(STACK_RULES) & said.notna()
    later = said[mine].astype("int64").to_numpy()
    years = sorted({int(y) for y in own} | set(later.tolist()))
    if not years:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    named = issues.loc[mine, "file"].astype("str").map(file_year).to_numpy()

    def before(y: int) -> int:
        return max([x for x in years if x < y], default=y)

    told = [
        (int(n) if pd.notna(n) and n < y else before(int(y)), int(y))
        for n, y in zip(named, later, strict=True)
    ]
    rows = []
    for year in range(years[0], years[-1] + 1):
        by = sorted({y for of, y in told if of == year})
        rows.append(
            {
                "year": year,
                "return_year": year if year in years else None,
                "disagreements": sum(1 for of, _ in told if of == year),
                "later_returns": ", ".join(str(y) for y in by),
            }
        )
    return pd.DataFrame(rows, columns=cols).astype(
        {"year": "Int64", "return_year": "Int64", "disagreements": "Int64"}
    )


def _compare(pairs: pd.DataFrame, with_end: bool) -> pd.Series:
    """Names of the fields that differ between the two versions in each row of ``pairs``."""
    cols = [*COMPARED, *(END_FIELDS if with_end else ())]
    # one list of names per row, joined at the end (a Series set through a mask of rows cost more than
    # the comparisons themselves)
    names: list[list[str]] = [[] for _ in range(len(pairs))]

    def add(col: str, differs: np.ndarray) -> None:
        for pos in np.flatnonzero(differs):
            names[pos].append(col)

    for col in cols:
        if f"{col}_s" not in pairs.columns:
            continue
        add(
            col,
            _differs(_same_meaning(col, pairs[f"{col}_s"]), _same_meaning(col, pairs[f"{col}_r"])).to_numpy(),
        )
    if not with_end:
        # An episode the earlier return had closed and the later one ends differently.
        closed = pairs["DEC_s"].notna().to_numpy()
        for col in END_FIELDS:
            if f"{col}_s" not in pairs.columns:
                continue
            add(col, closed & _differs(pairs[f"{col}_s"], pairs[f"{col}_r"]).to_numpy())
    return pd.Series([", ".join(n) for n in names], index=pairs.index, dtype="object")


def _same_meaning(col: str, values: pd.Series) -> pd.Series:
    """Codes the DfE changed between returns for the same thing, told as one: an episode open across the
    change is restated in the new code (no URN: XXXXXXX, blank from 2025-26 for all but fostering and
    adoption; other placement Z1 became Z11-Z14 in 2025-26)."""
    if col == "URN":
        return values.mask(values == "XXXXXXX")
    if col == "PLACE":
        return values.mask(values.isin(("Z11", "Z12", "Z13", "Z14")), "Z1")
    return values


def _aligned(e: pd.DataFrame, idx: pd.Series, message: pd.Series) -> pd.Series:
    return pd.Series(message.to_numpy(), index=pd.Index(idx.to_numpy()))


__all__ = ["STACK_RULES", "stack_episodes", "match_same_start", "year_sources", "TABLE_COLUMNS"]
