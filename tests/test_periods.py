from datetime import date

import pytest

from xlsales.errors import UsageError
from xlsales.periods import Period, PeriodType


@pytest.mark.parametrize("text,start,end,ptype", [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), PeriodType.MONTH),
    ("2026-2", date(2026, 2, 1), date(2026, 2, 28), PeriodType.MONTH),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29), PeriodType.MONTH),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), PeriodType.QUARTER),
    ("2026q1", date(2026, 1, 1), date(2026, 3, 31), PeriodType.QUARTER),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), PeriodType.YEAR),
])
def test_parse_gives_type_start_and_end(text, start, end, ptype):
    p = Period.parse(text)
    assert (p.start, p.end, p.type) == (start, end, ptype)
    assert Period.parse(p.label) == p


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "Noc 2026", "", "26-11", "2026-00"])
def test_unreadable_periods_are_refused_with_both_languages(text):
    with pytest.raises(UsageError) as err:
        Period.parse(text)
    assert "2026-Q4" in err.value.en and "季度" in err.value.zh


def test_previous_next_year_ago_and_months():
    q = Period.parse("2026-Q1")
    assert q.previous.label == "2025-Q4" and q.next.label == "2026-Q2"
    assert q.year_ago.label == "2025-Q1"
    assert [m.label for m in q.months_in()] == ["2026-01", "2026-02", "2026-03"]
    assert Period.parse("2026-01").previous.label == "2025-12"
    assert Period.parse("2026").next.label == "2027"
    assert Period.parse("2026-03").contains(date(2026, 3, 31))
    assert not Period.parse("2026-03").contains(date(2026, 4, 1))
    assert Period.current_month(date(2026, 11, 26)).label == "2026-11"
