"""What people type, read as what they meant."""

from datetime import date, datetime

import pytest

from xlsales.date_text import parse_date
from xlsales.normalise import DateOrder, normalise_column
from xlsales.parse_numbers import INVALID, currency_of, parse_number, too_many_digits
from xlsales.slash_dates import shared_order
from xlsales.spec import SPEC


@pytest.mark.parametrize("raw,value,code", [
    (1234.5, 1234.5, None),
    ("1234.5", 1234.5, "number_as_text"),
    ("1,234.50", 1234.5, "thousands"),
    ("１２３", 123.0, "full_width"),
    ("¥1,234", 1234.0, "currency"),
    ("￥ 88", 88.0, "full_width"),
    ("$5.5", 5.5, "currency"),
    ("300元", 300.0, "currency"),
    ("12%", 0.12, "percent_text"),
    ("１２％", 0.12, "full_width"),
    ("1.2万", 12000.0, "wan"),
    ("(300)", -300.0, "accounting_negative"),
    # as Taiwan and Hong Kong write amounts: 萬 and the rest, NT without the $
    ("6萬1600", 61600.0, "wan"),
    ("3万0500", 30500.0, "wan"),
    ("1亿2000万", 120_000_000.0, "wan"),
    ("-6萬1600", -61600.0, "wan"),
    ("NT 61,600", 61600.0, "currency"),
    ("NT$6萬1600", 61600.0, "currency"),
    (" 42 ", 42.0, "number_as_text"),
    ("", None, None),
    # as people abbreviate units in Latin letters, and contracts write the yuan
    ("12k", 12000.0, "wan"),
    ("12 K", 12000.0, "wan"),
    ("1.2w", 12000.0, "wan"),
    ("1.2W", 12000.0, "wan"),
    ("1.5M", 1_500_000.0, "wan"),
    ("-2k", -2000.0, "wan"),
    ("S$1.2k", 1200.0, "currency"),
    ("12000元整", 12000.0, "currency"),
    ("¥12,000元整", 12000.0, "currency"),
    ("3,000圆整", 3000.0, "currency"),
])
def test_numbers(raw, value, code):
    got, got_code = parse_number(raw)
    assert got == pytest.approx(value) if value is not None else got is None
    assert got_code == code


@pytest.mark.parametrize("raw", ["abc", "12.3.4", "1,23", True, "--5", "US$100 TWD", "NT$",
                                 "61.6千万", "1e400", "-1e400", float("inf"), "inf", "12kg",
                                 "k", "1.2kk", "整"])
def test_unreadable_numbers(raw):
    assert parse_number(raw)[0] is INVALID


@pytest.mark.parametrize("raw", ["12345678901234567", "99999999999999999999", "1234567890123456",
                                 "1,234,567,890,123,456", "NT$12345678901234567",
                                 12345678901234567, 1.2345678901234568e16])
def test_numbers_too_long_to_keep_exactly_are_unreadable(raw):
    """From 10^15 on a double keeps 15 significant digits: more would be changed, not read."""
    assert parse_number(raw)[0] is INVALID and too_many_digits(raw)


@pytest.mark.parametrize("raw", ["1e20", "123456789012345", "100000000000000000000",
                                 "0.30000000000000004", "3703.6800000000003", 1e20])
def test_long_numbers_kept_exactly_are_read(raw):
    assert parse_number(raw)[0] == float(raw) and not too_many_digits(raw)


@pytest.mark.parametrize("raw,currencies", [
    # Taiwan, Hong Kong and US marks, before or after, with or without a space
    ("NT$61,600", {"TWD"}), ("NT$ 61,600", {"TWD"}), ("TWD 61,600", {"TWD"}),
    ("61,600 TWD", {"TWD"}), ("NTD 61,600", {"TWD"}), ("ntd61,600", {"TWD"}),
    ("61,600新台幣", {"TWD"}), ("HK$61,600", {"HKD"}), ("61,600 港元", {"HKD"}),
    ("US$61,600", {"USD"}), ("61,600美元", {"USD"}), ("$61,600 USD", {"USD"}),
    ("ＮＴ＄61,600", {"TWD"}), ("-NT$61,600", {"TWD"}), ("(NT$61,600)", {"TWD"}),
    ("RMB 61,600", {"CNY"}), ("¥61,600", {"CNY", "JPY"}), ("￥61,600", {"CNY", "JPY"}),
    ("61,600元", {"CNY", "TWD", "HKD"}),
    ("$61,600", None), ("61,600", None), ("61600", None),  # $: any dollar
])
def test_currency_marks_are_read_and_say_their_currency(raw, currencies):
    """An amount with a currency mark is its number (never converted); the mark says
    which currency it is in, where it names one."""
    number, code = parse_number(raw)
    assert abs(number) == 61600.0 and code in ("currency", "full_width", "thousands",
                                               "number_as_text", "accounting_negative")
    assert currency_of(raw) == (frozenset(currencies) if currencies else None)


@pytest.mark.parametrize("raw,value", [
    ("6.16萬", 61600.0), ("6.16万", 61600.0), ("1.5億", 1.5e8), ("1.5亿", 1.5e8),
    ("61.6千", 61600.0), ("6.16萬元", 61600.0), ("NT$6.16萬", 61600.0),
])
def test_chinese_units_in_either_script(raw, value):
    """萬 and 億 are Traditional 万 and 亿; 千 is a thousand."""
    assert parse_number(raw)[0] == pytest.approx(value)


@pytest.mark.parametrize("raw,value,code", [
    (date(2026, 11, 3), date(2026, 11, 3), None),
    (datetime(2026, 11, 3, 0, 0), date(2026, 11, 3), None),
    (datetime(2026, 11, 3, 14, 30), date(2026, 11, 3), "datetime_to_date"),
    ("2026年11月3日", date(2026, 11, 3), "chinese_date"),
    ("2026 年 11 月 3 号", date(2026, 11, 3), "chinese_date"),
    ("2026/11/3", date(2026, 11, 3), "text_date"),
    ("2026-11-03", date(2026, 11, 3), "text_date"),
    ("2026.11.3", date(2026, 11, 3), "text_date"),
    ("20261103", date(2026, 11, 3), "text_date"),
    ("２０２６-１１-０３", date(2026, 11, 3), "full_width"),
    (46329.0, date(2026, 11, 3), "serial_date"),
    ("46329", date(2026, 11, 3), "serial_date"),
    # as CRM APIs and English-speaking people write them
    ("2026-11-03T10:00:00.000Z", date(2026, 11, 3), "text_date"),
    ("2026-11-03T10:00:00+08:00", date(2026, 11, 3), "text_date"),
    ("2026年11月3日 14:30", date(2026, 11, 3), "chinese_date"),
    ("3 Nov 2026", date(2026, 11, 3), "text_date"),
    ("03-Nov-2026", date(2026, 11, 3), "text_date"),
    ("Nov 3, 2026", date(2026, 11, 3), "text_date"),
    ("September 30 2026", date(2026, 9, 30), "text_date"),
])
def test_dates(raw, value, code):
    assert parse_date(raw) == (value, code)


@pytest.mark.parametrize("raw", ["115/09/03", "115-09-03", "115.9.3", "115/9/3 14:30",
                                 "115年9月3日", "115 年 9 月 3 日", "民國115年9月3日",
                                 "民国115年9月3日", "民國115/09/03", "１１５/０９/０３",
                                 "中華民國115年9月3日", "中华民国115年9月3日"])
def test_roc_calendar_dates_as_taiwan_exports_write_them(raw):
    """Year 115 of the ROC (Minguo) calendar is 2026: the year + 1911."""
    assert parse_date(raw) == (date(2026, 9, 3), "roc_date")


def test_roc_dates_only_where_nothing_else_is_meant():
    """Three digits, or 民國 before the year; up to next year (next year's plans)."""
    roc_now = date.today().year - 1911
    assert parse_date(f"{roc_now + 1}/01/05")[0] == date(roc_now + 1912, 1, 5)
    assert parse_date("民國99年1月2日")[0] == date(2010, 1, 2)
    assert parse_date("100/01/02")[0] == date(2011, 1, 2)
    assert parse_date("115年9月", month_only=True) == (date(2026, 9, 1), "roc_date")
    for raw in (f"{roc_now + 2}/01/05", "99/01/02", "26/09/03", "115/13/01", "115/02/30",
                "115年9月", "民國0年1月1日", "1150903"):
        assert parse_date(raw)[0] is INVALID, raw


def test_month_columns_accept_a_month_and_keep_its_first_day():
    assert parse_date("2026-11", month_only=True) == (date(2026, 11, 1), "text_date")
    assert parse_date("2026年11月", month_only=True) == (date(2026, 11, 1), "chinese_date")
    assert parse_date(date(2026, 11, 17), month_only=True) == (date(2026, 11, 1), None)
    assert parse_date("2026-11")[0] is INVALID
    # as an English rep writes a month: it was "'Month' must be a date (e.g. 2026-11-03)"
    for raw in ("Nov 2026", "November 2026", "Nov-2026", "11/2026", "Sept 2026"):
        expected = date(2026, 9 if raw.startswith("Sept") else 11, 1)
        assert parse_date(raw, month_only=True) == (expected, "text_date"), raw
    for raw in ("13/2026", "Foo 2026"):
        assert parse_date(raw, month_only=True)[0] is INVALID, raw
    assert parse_date("Nov 2026")[0] is INVALID  # a date column wants its day


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-30", "next week", 12.0, "1999年",
                                 "3 Foo 2026", "31 Feb 2026", "Mayday 3 2026"])
def test_unreadable_dates(raw):
    assert parse_date(raw)[0] is INVALID


def test_choice_columns_become_keys_from_labels_aliases_and_full_width():
    stage = SPEC.table("Sales").column("stage")
    values, issues = normalise_column(stage, ["赢单", "Won", "成交", " lost ", "maybe", None])
    assert values == ["won", "won", "won", "lost", None, None]
    assert issues == [(2, "alias", "成交"), (3, "trimmed", " lost "), (4, "invalid", "maybe")]
    ctype = SPEC.table("Sales").column("customer_type")
    assert normalise_column(ctype, ["新", "老", "New"])[0] == ["new", "existing", "new"]
    # Traditional Chinese (Taiwan, Hong Kong exports) and a CRM's own stage names
    assert normalise_column(ctype, ["新客戶", "老客戶"])[0] == ["new", "existing"]
    assert normalise_column(stage, ["贏單", "輸單", "跟進", "Negotiation/Review"])[0] == [
        "won", "lost", "follow_up", "proposal"]
    # a CRM's "already" forms, and a note in brackets after the stage
    values, issues = normalise_column(stage, ["已赢单", "已签约", "赢单（已签约）", "已丢单",
                                             "Won (signed)", "maybe (x)", "（赢单）"])
    assert values == ["won", "won", "won", "lost", "won", None, None]
    assert [code for _, code, _ in issues] == ["alias"] * 5 + ["invalid"] * 2


def test_text_columns_are_trimmed_and_numbers_repaired_with_positions():
    customer = SPEC.table("Sales").column("customer")
    assert normalise_column(customer, ["  ACME ", "B"]) == (["ACME", "B"],
                                                           [(0, "trimmed", "  ACME ")])
    amount = SPEC.table("Sales").column("amount")
    assert normalise_column(amount, [1.0, "1,000", "x", float("nan")]) == (
        [1.0, 1000.0, None, None], [(1, "thousands", "1,000"), (2, "invalid", "x")])


def test_slash_dates_are_read_in_the_order_their_column_allows():
    """A US CRM export writes 10/20/2026 (no 20th month: month first); a column holding
    one such date reads its 9/3/2026 as 3 September too, and says so. A column whose
    dates all allow both orders, or contradict each other, stays unread: no day is ever
    guessed for a month."""
    column = SPEC.table("Sales").column("date")
    us = normalise_column(column, ["10/20/2026", "9/3/2026 14:30", "2026-10-01", None])
    assert us[0] == [date(2026, 10, 20), date(2026, 9, 3), date(2026, 10, 1), None]
    assert [code for _, code, _ in us[1]][:2] == ["month_first", "month_first"]
    european = normalise_column(column, ["20/10/2026", "9/3/2026"])
    assert european[0] == [date(2026, 10, 20), date(2026, 3, 9)]
    for values in (["9/3/2026", "10/2/2026"], ["20/10/2026", "10/20/2026"]):
        typed, issues = normalise_column(column, values)
        assert typed == [None, None] and {c for _, c, _ in issues} == {"invalid"}
    month = SPEC.table("Targets").column("period")
    assert normalise_column(month, ["10/20/2026"])[0] == [date(2026, 10, 1)]


def test_a_column_proving_no_order_takes_the_one_its_file_proves_or_the_user_names():
    """11/1/2026 allows both orders: read in the order another date column of the same
    export or table proves (or --date-order names), and said so; without one, unread.
    11/11/2026 reads the same either way: no order needed."""
    column = SPEC.table("Sales").column("date")
    for source, code in (("file", "month_first_file"), ("given", "month_first_given")):
        typed, issues = normalise_column(column, ["11/1/2026", "11/2/2026 下午 2:30"],
                                         date_order=DateOrder("month_first", source))
        assert typed == [date(2026, 11, 1), date(2026, 11, 2)]
        assert [c for _, c, _ in issues] == [code, code]
    typed, _ = normalise_column(column, ["11/1/2026"], date_order=DateOrder("day_first",
                                                                            "given"))
    assert typed == [date(2026, 1, 11)]
    # the column's own dates win: 11/20/2026 can only be month first
    typed, _ = normalise_column(column, ["11/1/2026", "11/20/2026"],
                                date_order=DateOrder("day_first", "file"))
    assert typed == [date(2026, 11, 1), date(2026, 11, 20)]
    assert normalise_column(column, ["11/1/2026"])[0] == [None]
    assert normalise_column(column, ["11/11/2026"]) == ([date(2026, 11, 11)],
                                                        [(0, "text_date", "11/11/2026")])
    assert shared_order([["11/1/2026"], ["10/16/2026"], [None, "x"]]) == "month_first"
    assert shared_order([["10/16/2026"], ["16/10/2026"]]) is None  # they disagree


@pytest.mark.parametrize("raw,value,code", [
    # what Chinese Excel writes of a date-time (上午 am, 下午 pm), and English Excel
    ("2026/11/3 下午 2:30:00", date(2026, 11, 3), "text_date"),
    ("2026/11/3 上午 9:05", date(2026, 11, 3), "text_date"),
    ("2026-11-03 下午2:30", date(2026, 11, 3), "text_date"),
    ("2026年11月3日 下午2:30", date(2026, 11, 3), "chinese_date"),
    ("2026/11/3 2:30:00 PM", date(2026, 11, 3), "text_date"),
    # English Excel's d-mmm-yy and dd-mmm-yyyy; two digits as Excel reads them
    ("3-Nov-26", date(2026, 11, 3), "two_digit_year"),
    ("03-Nov-2026", date(2026, 11, 3), "text_date"),
    ("3-Nov-2026", date(2026, 11, 3), "text_date"),
    ("1-Jan-29", date(2029, 1, 1), "two_digit_year"),
    ("1-Jan-30", date(1930, 1, 1), "two_digit_year"),
    ("26年11月5日", date(2026, 11, 5), "two_digit_year"),
])
def test_excel_date_times_and_two_digit_years(raw, value, code):
    assert parse_date(raw) == (value, code)


def test_a_two_digit_year_a_taiwan_system_may_mean_otherwise_and_no_year_are_not_read():
    """99年1月2日 is 1999 to Excel, 2010 (ROC 99) to a Taiwan system: unread. 11月4日 has
    no year: unread, the reason naming the fix."""
    from xlsales.date_hints import unread_date_why

    assert parse_date("99年1月2日")[0] is INVALID
    assert parse_date("11月4日")[0] is INVALID
    assert unread_date_why("11月4日", "en", year=2026) == (
        " (no year: add the year, e.g. 2026-11-04, the year of the workbook's period, 2026)")
    assert unread_date_why("Nov 4", "zh", year=2026) == (
        "（没有年份：请写上年份，如 2026-11-04，按工作簿周期的年份 2026 年）")
    this_year = date.today().year
    assert unread_date_why("11月4日", "zh") == (
        f"（没有年份：请写上年份，如 {this_year}-11-04，按今年 {this_year} 年）")
    assert unread_date_why("next week", "en") == ""


def test_an_unreadable_month_is_asked_for_as_a_month():
    """A month column's error gave a day's example (2026-11-03) for 'Nov 2026'."""
    from xlsales.io.reader_frames import issue_finding

    month = SPEC.table("Targets").column("period")
    f = issue_finding(month, "invalid", "next month", "Targets", "A5", 5, "Targets", "en")
    assert f.rule == "bad_month"
    assert f.message_en == ("'Month' must be a month (e.g. 2026-11, Nov 2026 or 2026-11-01); "
                            "'next month' cannot be read.")


@pytest.mark.parametrize("raw", ["3万5", "3万500", "1亿2000"])
def test_a_number_in_wan_whose_rest_is_ambiguous_is_not_guessed(raw):
    """三万五 is 35,000 and 3万500 could be 30,500 or 35,000: not read, so the rep says."""
    assert parse_number(raw)[0] is INVALID


def test_nt_names_the_new_taiwan_dollar():
    assert currency_of("NT 61,600") == frozenset({"TWD"})


def test_taiwan_crm_stage_words_read_as_proposal():
    """A Taiwan CRM export's stage 提案 (a quarter of a 5,000-row file) was skipped."""
    stage = SPEC.table("Sales").column("stage")
    values, issues = normalise_column(stage, ["提案", "議價", "提案中"])
    assert values == ["proposal"] * 3 and [code for _, code, _ in issues] == ["alias"] * 3
