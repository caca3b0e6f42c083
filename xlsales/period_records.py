"""The note ``xlsales kpis --period P`` gives when the workbook holds no sales records
dated in P (``--period 2027`` on an October 2026 book): its KPIs print as zeros and
empties, which read as a period of no sales rather than a period the book does not
cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.periods import Period, range_text

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook


def no_records_note(read: ReadWorkbook, period: Period, lang: str) -> str | None:
    """What to say when no sales record of ``read`` is dated in ``period``: the months
    its records do cover and which ``--period`` to give; None when some are (or the
    book has no dated record at all, which the KPI output already shows)."""
    from xlsales.date_columns import parse_dates

    sales = read.tables.get("Sales")
    if sales is None or "date" not in sales.frame:
        return None
    dates = parse_dates(sales.frame["date"]).dropna()
    if dates.empty:
        return None
    days = dates.dt.date
    if ((days >= period.start) & (days <= period.end)).any():
        return None
    first, last = days.min(), days.max()
    runs = range_text(f"{first:%Y-%m}", f"{last:%Y-%m}", lang)
    own = read.period.label if read.period is not None else None
    if lang == "zh":
        hint = f"请检查 --period（本工作簿的期间是 {own}）" if own else "请检查 --period"
        return (f"{period.label} 没有销售记录：工作簿中的记录日期在 {runs}，以下 KPI 因此为 0 "
                f"或空。{hint}。")
    hint = f"check --period (the workbook's period is {own})" if own else "check --period"
    return (f"no sales records are dated in {period.label}: the workbook's records run "
            f"{runs}, so the KPIs below are 0 or empty; {hint}.")
