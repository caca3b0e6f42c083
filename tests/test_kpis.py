"""The KPI engine: hand-checked values, breakdowns and properties on random data."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import KpiResult, compute_kpis
from xlsales.periods import Period

NOV = Period.parse("2026-11")


def tiny() -> dict[str, pd.DataFrame]:
    """Six rows worked out by hand below."""
    sales = pd.DataFrame([
        # customer X first won in October → existing in November
        ("S1", date(2026, 10, 5), "A", "East", "X", None, "won", 100.0, 100.0, 100.0),
        ("S2", date(2026, 11, 2), "A", "East", "X", None, "won", 200.0, 200.0, 100.0),
        ("S3", date(2026, 11, 3), "B", "West", "Y", None, "won", 300.0, 300.0, 300.0),
        ("S4", date(2026, 11, 4), "B", "West", "Y", None, "won", 100.0, None, None),
        ("S5", date(2026, 11, 5), "A", "East", "Z", "new", "lost", 50.0, None, None),
        ("S6", date(2025, 11, 9), "A", "East", "W", None, "won", 400.0, 400.0, 400.0),
    ], columns=["order_id", "date", "rep", "region", "customer", "customer_type", "stage",
                "amount", "invoiced", "collected"])
    targets = pd.DataFrame({"period": [date(2026, 11, 1), date(2026, 11, 1), date(2026, 10, 1)],
                            "rep": ["A", "B", "A"], "revenue_target": [500.0, 300.0, 999.0]})
    return {"Sales": sales, "Targets": targets}


def test_the_callers_tables_are_left_as_they_were():
    tables = tiny()
    before = {n: f.copy() for n, f in tables.items()}
    compute_kpis(tables, NOV, by="rep")
    compute_kpis(tables, Period.parse("2026-Q4"), by="month")
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_hand_checked_values():
    k = compute_kpis(tiny(), NOV).kpis
    assert k["revenue"] == 600 and k["target"] == 800 and k["gap"] == 200
    assert k["attainment"] == pytest.approx(0.75)
    assert k["deals"] == 3 and k["customers"] == 2 and k["aov"] == 200
    assert k["new_customer_revenue"] == 400  # Y is new (S3 + S4); X is not
    assert k["new_customer_revenue_share"] == pytest.approx(400 / 600)
    assert (k["lost_deals"], k["closed_deals"]) == (1, 4)
    assert k["win_rate"] == pytest.approx(0.75)
    assert (k["invoiced"], k["collected"]) == (500, 400)
    assert k["collection_rate"] == pytest.approx(0.8)
    assert k["revenue_previous"] == 100 and k["mom_growth"] == pytest.approx(5.0)
    assert k["revenue_year_ago"] == 400 and k["yoy_growth"] == pytest.approx(0.5)


def process() -> dict[str, pd.DataFrame]:
    """Eight rows for the process KPIs, worked out by hand below (November 2026)."""
    sales = pd.DataFrame([
        # order, date, customer, product, qty, amount, stage, probability, created
        ("P1", date(2026, 10, 3), "X", "Std", 2, 200.0, "won", None, None),
        ("P2", date(2026, 10, 8), "Y", "Pro", 1, 500.0, "won", None, None),
        ("P3", date(2026, 10, 9), "Z", "Std", 2, 200.0, "won", None, None),
        ("P4", date(2026, 11, 4), "X", "Std", 3, 330.0, "won", None, date(2026, 10, 25)),
        ("P5", date(2026, 11, 6), "V", "Pro", 1, 400.0, "won", None, date(2026, 11, 1)),
        ("P6", date(2026, 11, 7), "W", "Std", 1, 100.0, "proposal", 0.5, date(2026, 11, 2)),
        ("P7", date(2026, 11, 8), "W", "Pro", 2, 1000.0, "lead", None, None),
        ("P8", date(2026, 9, 1), "U", "Std", 1, 100.0, "follow_up", None, date(2026, 8, 1)),
    ], columns=["order_id", "date", "customer", "product", "quantity", "amount", "stage",
                "probability", "created"])
    sales["rep"] = "A"
    activities = pd.DataFrame({"date": [date(2026, 11, d) for d in (2, 3, 4, 30)] +
                               [date(2026, 10, 30)], "rep": "A",
                               "type": ["visit", "call", "visit", "email", "visit"]})
    targets = pd.DataFrame({"period": [date(2026, 11, 1)], "rep": ["A"],
                            "revenue_target": [1000.0]})
    return {"Sales": sales, "Activities": activities, "Targets": targets}


def test_hand_checked_process_kpis():
    k = compute_kpis(process(), NOV).kpis
    # funnel over November rows P4..P7: 4 opportunities, 3 reached follow-up, 3 proposal
    assert (k["opportunities"], k["reached_follow_up"], k["reached_proposal"]) == (4, 3, 3)
    assert k["deals"] == 2 and k["overall_conversion"] == pytest.approx(0.5)
    assert k["proposal_to_won_rate"] == pytest.approx(2 / 3)
    assert k["leads_developed"] == 2  # P5, P6 created in November (P4 in October)
    assert k["sales_cycle_days"] == pytest.approx((10 + 5) / 2)  # P4: 10 days, P5: 5 days
    assert k["follow_ups"] == 4 and k["visits"] == 2 and k["visits_per_deal"] == 1
    # open rows up to 30 Nov: P6 (100 × 0.5 given), P7 (1000 × lead 10%), P8 (100 × 30%)
    assert k["open_pipeline"] == 1200
    assert k["weighted_pipeline"] == pytest.approx(50 + 100 + 30)
    assert k["remaining_target"] == 1000 - 730
    assert k["pipeline_coverage"] == pytest.approx(1200 / 270)
    # October's won customers X, Y, Z; X won again → 1 retained, 2 churned
    assert (k["retained_customers"], k["churned_customers"], k["customers_previous"]) \
        == (1, 2, 3)
    assert k["churn_rate"] == pytest.approx(2 / 3)
    # October prices: Std 400/4 = 100, Pro 500; average 900/5 = 180
    assert (k["quantity_won"], k["quantity_previous"]) == (4, 5)
    assert k["revenue_at_previous_mix"] == pytest.approx(4 * 180)
    assert k["revenue_at_previous_prices"] == pytest.approx(3 * 100 + 1 * 500)
    assert k["volume_effect"] == pytest.approx(720 - 1000)
    assert k["mix_effect"] == pytest.approx(800 - 720)
    assert k["price_effect"] == pytest.approx(730 - 800)
    assert k["volume_effect"] + k["mix_effect"] + k["price_effect"] \
        == pytest.approx(k["revenue"] - k["target"])


def test_breakdown_by_rep_and_month():
    result = compute_kpis(tiny(), NOV, by="rep")
    a, b = result.groups["A"], result.groups["B"]
    assert (a["revenue"], a["target"], a["deals"], a["customers"]) == (200, 500, 1, 1)
    assert (b["revenue"], b["target"], b["customers"]) == (400, 300, 1)
    assert a["win_rate"] == pytest.approx(0.5)
    q = compute_kpis(tiny(), Period.parse("2026-Q4"), by="month")
    assert list(q.groups) == ["2026-10", "2026-11", "2026-12"]
    assert q.groups["2026-10"]["revenue"] == 100 and q.groups["2026-12"]["attainment"] is None


def test_a_rep_with_a_target_or_an_activity_and_no_sales_is_in_the_breakdown():
    """A new hire with a target, a rep who only visited: in the by-rep breakdown at revenue
    0 and attainment 0, so the reps' targets add up to the team's (a rep without a target
    has none, not 0, and counts as nothing); a target of another month does not bring a
    rep in."""
    tables = tiny()
    tables["Targets"] = pd.concat([tables["Targets"], pd.DataFrame({
        "period": [date(2026, 11, 1), date(2026, 10, 1)], "rep": ["Ivy", "Old"],
        "revenue_target": [200.0, 50.0]})], ignore_index=True)
    tables["Activities"] = pd.DataFrame({"date": [date(2026, 11, 9)], "rep": ["Vic"],
                                         "type": ["visit"]})
    result = compute_kpis(tables, NOV, by="rep")
    assert list(result.groups) == ["A", "B", "Ivy", "Vic"]
    ivy, vic = result.groups["Ivy"], result.groups["Vic"]
    assert (ivy["revenue"], ivy["target"], ivy["attainment"], ivy["deals"]) == (0, 200, 0, 0)
    assert (vic["revenue"], vic["visits"], vic["target"], vic["attainment"]) == (0, 1, None, None)
    for key in ("target", "revenue", "visits"):
        assert sum(g[key] or 0 for g in result.groups.values()) == result.kpis[key], key
    assert ivy["gap"] == 200 and vic["gap"] is None  # no target, no gap (not 0, not −revenue)


def test_customer_type_breakdown_derives_a_blank_type_as_the_kpis_do():
    """S2 (X, first won in October) is existing, S3 and S4 (Y) new, though their type is
    blank: the groups add up to the total and the new group is the new-customer revenue."""
    result = compute_kpis(tiny(), NOV, by="customer_type")
    assert set(result.groups) == {"new", "existing"}
    new, existing = result.groups["new"], result.groups["existing"]
    assert (new["revenue"], existing["revenue"]) == (400, 200)
    assert new["new_customer_revenue"] == new["revenue"] == result.kpis["new_customer_revenue"]
    assert existing["new_customer_revenue"] == 0
    assert (new["lost_deals"], existing["lost_deals"]) == (1, 0)  # Z, typed new


def test_each_month_of_a_breakdown_is_a_period_of_its_own():
    """Growth on the month before and on the same month last year, as for the month alone
    (``--period 2026-11``)."""
    result = compute_kpis(tiny(), Period.parse("2026-Q4"), by="month")
    oct_, nov, dec = (result.groups[m] for m in ("2026-10", "2026-11", "2026-12"))
    assert oct_["mom_growth"] is None  # nothing sold in September
    assert nov["revenue_previous"] == 100 and nov["mom_growth"] == pytest.approx(5.0)
    assert nov["yoy_growth"] == pytest.approx(0.5)
    assert dec["mom_growth"] == pytest.approx(-1.0)
    for label, values in result.groups.items():
        assert values == compute_kpis(tiny(), Period.parse(label)).kpis, label


def test_an_empty_period_gives_empty_ratios_not_errors():
    k = compute_kpis(tiny(), Period.parse("2030-01")).kpis
    assert k["revenue"] == 0 and k["deals"] == 0
    for key in ("attainment", "aov", "win_rate", "collection_rate", "mom_growth", "yoy_growth",
                "new_customer_revenue_share"):
        assert k[key] is None, key
    assert compute_kpis({}, NOV).kpis["revenue"] == 0


rows = st.lists(st.tuples(
    st.dates(date(2025, 6, 1), date(2026, 12, 31)), st.sampled_from(["A", "B", "C"]),
    st.sampled_from([f"C{i}" for i in range(8)]),
    st.sampled_from(["lead", "follow_up", "proposal", "won", "lost"]),
    st.floats(0, 1e6, allow_nan=False), st.floats(0, 1), st.sampled_from([None, "new",
                                                                          "existing"]),
    st.sampled_from([None, "P", "Q"]), st.integers(0, 5), st.integers(0, 120),
), max_size=60)


#: Targets and activities of reps A–E (D and E sell nothing): month, rep, amount or type.
targets_rows = st.lists(st.tuples(st.dates(date(2025, 6, 1), date(2026, 12, 31)),
                                  st.sampled_from(list("ABCDE")), st.floats(0, 1e6)),
                        max_size=12)
activity_rows = st.lists(st.tuples(st.dates(date(2025, 6, 1), date(2026, 12, 31)),
                                   st.sampled_from(list("ABCDE")),
                                   st.sampled_from(["visit", "call"])), max_size=12)
#: KPIs that add up over the groups of a breakdown by rep, by customer type (those of the
#: sales table) and by month (flows over the months of the period).
ADDITIVE = ("revenue", "deals", "invoiced", "collected", "lost_deals", "quantity_won",
            "opportunities")
ADDITIVE_BY = {"rep": (*ADDITIVE, "new_customer_revenue", "open_pipeline", "weighted_pipeline",
                       "target", "visits", "follow_ups", "visits_target"),
               "customer_type": (*ADDITIVE, "new_customer_revenue", "open_pipeline",
                                 "weighted_pipeline"),
               "month": (*ADDITIVE, "target", "visits", "follow_ups", "visits_target")}


def random_tables(data, targets, activities) -> dict[str, pd.DataFrame]:
    sales = pd.DataFrame(
        [(f"O{i}", d, rep, "East", c, ct, stage, amt, amt, amt * paid, product, qty,
          d - pd.Timedelta(days=age))
         for i, (d, rep, c, stage, amt, paid, ct, product, qty, age) in enumerate(data)],
        columns=["order_id", "date", "rep", "region", "customer", "customer_type", "stage",
                 "amount", "invoiced", "collected", "product", "quantity", "created"])
    return {"Sales": sales,
            "Targets": pd.DataFrame([(d.replace(day=1), rep, amount, 3) for d, rep, amount
                                     in targets],
                                    columns=["period", "rep", "revenue_target",
                                             "visits_target"]),
            "Activities": pd.DataFrame(activities, columns=["date", "rep", "type"])}


@settings(max_examples=40, deadline=None)
@given(rows, targets_rows, activity_rows, st.sampled_from(["2026-11", "2026-Q3", "2026"]),
       st.sampled_from(list(ADDITIVE_BY)))
def test_breakdowns_add_up_to_the_totals(data, targets, activities, period_text, by):
    """Every rep with a target or an activity is a group (at 0 without sales), every sales
    row is in a customer type (derived when blank) and every month a group: the additive
    KPIs of the groups sum to the totals."""
    period = Period.parse(period_text)
    result = compute_kpis(random_tables(data, targets, activities), period, by=by)
    for key in ADDITIVE_BY[by]:
        total = sum(g[key] or 0 for g in result.groups.values())
        assert total == pytest.approx(result.kpis[key] or 0, rel=1e-9, abs=1e-6), (by, key)
    if by == "customer_type" and "new" in result.groups:
        new = result.groups["new"]
        assert new["new_customer_revenue"] == pytest.approx(new["revenue"])


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["2026-11", "2026-Q3", "2026"]))
def test_properties_on_random_data(data, period_text):
    period = Period.parse(period_text)
    result = compute_kpis(random_tables(data, [], []), period, by="rep")
    k = result.kpis
    for key in ("win_rate", "collection_rate", "new_customer_revenue_share"):
        assert k[key] is None or -1e-9 <= k[key] <= 1 + 1e-9
    for key in ("revenue", "deals", "invoiced", "collected", "lost_deals",
                "new_customer_revenue"):
        total = sum(g[key] for g in result.groups.values())
        assert total == pytest.approx(k[key], rel=1e-9, abs=1e-6), key
    assert sum(g["customers"] for g in result.groups.values()) >= k["customers"]
    assert k["customers"] <= k["deals"]
    # the funnel narrows; customers kept and lost add up to last period's customers
    assert k["opportunities"] >= k["reached_follow_up"] >= k["reached_proposal"] >= k["deals"]
    for key in ("lead_to_follow_up_rate", "follow_up_to_proposal_rate", "proposal_to_won_rate",
                "overall_conversion", "retention_rate", "churn_rate"):
        assert k[key] is None or -1e-9 <= k[key] <= 1 + 1e-9, key
    assert k["churned_customers"] + k["retained_customers"] == k["customers_previous"]
    assert k["weighted_pipeline"] <= k["open_pipeline"] + 1e-6
    for key in ("opportunities", "open_pipeline", "weighted_pipeline", "quantity_won"):
        total = sum(g[key] for g in result.groups.values())
        assert total == pytest.approx(k[key], rel=1e-9, abs=1e-6), key
    if not k["target"]:  # no target: no gap, nor volume's share of one
        assert k["gap"] is None and k["volume_effect"] is None
    elif k["previous_avg_price"] is not None:  # the three effects explain revenue − target
        effects = k["volume_effect"] + k["mix_effect"] + k["price_effect"]
        assert effects == pytest.approx(k["revenue"] - k["target"], rel=1e-9, abs=1e-6)


def test_cli_kpis_json_uses_the_spec_keys(sample_books):
    result = CliRunner().invoke(main, ["kpis", str(sample_books["en"]), "--json", "--by",
                                       "region"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["period"] == "2026-10"
    assert set(payload) == {"period", "start", "end", "currency", "kpis", "by"}
    assert payload["kpis"]["deals"] == int(payload["kpis"]["deals"])
    assert set(payload["by"]) == {"East", "South", "North"}
    text = CliRunner().invoke(main, ["kpis", str(sample_books["zh"])])
    assert text.exit_code == 0 and "目标完成率" in text.output
    # a Chinese book's KPIs for an English reader
    english = CliRunner().invoke(main, ["kpis", str(sample_books["zh"]), "--lang", "en"])
    assert english.exit_code == 0 and "Revenue this month (2026-10)" in english.output
    assert "目标完成率" not in english.output


def _digits(number: float) -> int:
    """Significant digits of ``number`` as JSON and CSV print it (``repr``)."""
    mantissa = repr(abs(number)).split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "." in repr(number) else len(mantissa)


def test_cli_kpis_json_numbers_carry_no_floating_point_noise(sample_books):
    """Sums of products leave noise (a price effect of -6020.000000000058): JSON gives
    the number a finance analyst would write (12 significant digits), equal to the
    engine's to within that."""
    payload = json.loads(CliRunner().invoke(
        main, ["kpis", str(sample_books["en"]), "--json", "--by", "rep"]).output)
    book = read_workbook(sample_books["en"])
    engine = compute_kpis({n: t.frame for n, t in book.tables.items()},
                          Period.parse("2026-10"), by="rep")
    pairs = [(payload["kpis"], engine.kpis)] + [
        (payload["by"][rep], values) for rep, values in engine.groups.items()]
    for printed, computed in pairs:
        for key, value in computed.items():
            if isinstance(value, float):
                assert _digits(printed[key]) <= 12, (key, printed[key])
                assert printed[key] == pytest.approx(value, rel=1e-11, abs=1e-9), key


def test_a_gap_between_equal_rates_is_zero_not_noise():
    """A collection rate of 80 % against reps' targets of 70/80/90 % (mean 80 %) is on
    target: its gap leaves as 0, not 1.1e-16, which a finance filter `gap > 0` takes for
    above target."""
    gap = 0.8 - (0.7 + 0.8 + 0.9) / 3
    assert gap != 0  # the noise this is about
    result = KpiResult(Period.parse("2026-10"), {"collection_rate_gap": gap, "deals": 3,
                                                 "revenue": 207331.99999999997, "aov": None})
    assert result.to_json()["kpis"] == {"collection_rate_gap": 0.0, "deals": 3,
                                        "revenue": 207332.0, "aov": None}


def test_a_large_amount_keeps_its_cents():
    """A TWD company's revenue of 123,456,789,012.30 left `kpis --json` and the export as
    123456789012.0 (12 significant digits), while the sales rows summed to the cents."""
    from xlsales.values import tidy

    assert tidy(123456789012.3) == 123456789012.3
    assert tidy(12345678901.23) == 12345678901.23
    assert tidy(123456789012.30002) == 123456789012.3  # the noise still goes
    assert tidy(0.9200000000000002) == 0.92


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ["销售人员", "销售额", "目标", "目标完成率", "成交单数", "成交客户数", "赢单率",
            "回款率"]),
    ("en", ["Rep", "Revenue", "Target", "Attainment", "Deals won", "Customers won",
            "Win rate", "Collection rate"])])
def test_cli_breakdown_headers_are_the_workbooks_labels_not_keys(sample_books, lang, expected):
    """The breakdown's header row names its columns as the workbook does (it read
    ``rep revenue … win_rate collection_rate`` in a Chinese book)."""
    output = CliRunner().invoke(main, ["kpis", str(sample_books[lang]), "--by", "rep"]).output
    lines = output.splitlines()
    header = lines[lines.index("") + 1]
    for label in expected:
        assert label in header, (label, header)
    assert "win_rate" not in header and "collection_rate" not in header


def test_cli_customer_types_read_in_the_books_language_json_keeps_the_keys(sample_books):
    """A zh book's text breakdown names 新客户 / 老客户; JSON keeps new / existing, and the
    two add up to the total (a blank type is derived, as for the new-customer KPIs)."""
    book = str(sample_books["zh"])
    text = CliRunner().invoke(main, ["kpis", book, "--by", "customer_type"])
    assert text.exit_code == 0, text.output
    starts = {line.split()[0] for line in text.output.splitlines() if line.strip()}
    assert {"新客户", "老客户"} <= starts and not {"new", "existing"} & starts
    payload = json.loads(CliRunner().invoke(
        main, ["kpis", book, "--by", "customer_type", "--json"]).output)
    assert set(payload["by"]) == {"new", "existing"}
    assert sum(g["revenue"] for g in payload["by"].values()) == pytest.approx(
        payload["kpis"]["revenue"])


def test_cli_breakdowns_list_months_in_order_and_reps_as_the_ranking_sheet(sample_books):
    """A year by month reads January to December (not by attainment); reps come in the
    order of the KPI report's rep ranking (revenue first), so the two never disagree."""
    from xlsales.io.reader import read_workbook
    from xlsales.kpis_figures import ranking_rows

    book = str(sample_books["en"])
    text = CliRunner().invoke(main, ["kpis", book, "--period", "2026", "--by", "month"])
    assert text.exit_code == 0, text.output
    months = [line.split()[0] for line in text.output.splitlines()
              if line[:5] == "2026-" and line[7:8] == " "]
    assert months == [f"2026-{m:02d}" for m in range(1, 13)]
    text = CliRunner().invoke(main, ["kpis", book, "--by", "rep"]).output.splitlines()
    header = next(i for i, line in enumerate(text) if line.startswith("Rep "))
    frames = {n: t.frame for n, t in read_workbook(book).tables.items()}
    result = compute_kpis(frames, Period.parse("2026-10"), by="rep")
    reps = [row[1] for row in ranking_rows(result)]
    assert [line[:14].strip() for line in text[header + 1:header + 1 + len(reps)]] == reps
    revenue = [result.groups[r]["revenue"] for r in reps]
    assert revenue == sorted(revenue, reverse=True)


def test_drafted_paragraph_and_ranking_follow_the_numbers():
    from xlsales.narrative import ranking, summary_paragraph

    result = compute_kpis(tiny(), NOV, by="rep")
    zh = summary_paragraph(result, "zh")
    assert zh.startswith("本月（2026-11）销售额 600，目标 800，完成目标的 75.0%")
    assert "环比 +500.0%" in zh and "同比 +50.0%" in zh
    # B attains 400/300, A 200/500: best first
    assert [r[0] for r in ranking(result)] == ["B", "A"]
    assert zh.endswith("完成率最高的是 B（133.3%），最低的是 A（40.0%）。")
    en = summary_paragraph(compute_kpis(tiny(), Period.parse("2025-11")), "en")
    # no target and nothing to compare with: said in words, not "a target of 0, – attained;
    # – on the previous period" (a LibreOffice user's first month)
    assert "was 400, with no target set; no earlier period to compare with. " in en, en
    assert "–" not in en
    from xlsales.kpis_figures import draft_paragraph

    assert "vs target" not in draft_paragraph(compute_kpis(tiny(), Period.parse("2025-11")),
                                              "en")  # no target: no gap to it either
    zh_first = summary_paragraph(compute_kpis(tiny(), Period.parse("2025-11")), "zh")
    assert "没有设目标；没有可比较的上期和去年同期数据。" in zh_first and "–" not in zh_first
    one = summary_paragraph(compute_kpis(tiny(), Period.parse("2025-11")), "en")
    assert "1 deal with 1 customer," in one, one  # not "1 deals with 1 customers"
    # a period just begun: no deal yet, said so (not "-100.0%" growth)
    empty = compute_kpis(tiny(), Period.parse("2026-12"), by="rep")
    assert summary_paragraph(empty, "en") == ("No deal won yet this month (2026-12; no "
                                              "target set): compute again once the sales "
                                              "records are in.")
    assert "-100.0%" not in summary_paragraph(empty, "zh")
    # reps that all attain alike: no "highest" and "lowest" of the same figure
    tie = tiny()
    tie["Targets"] = pd.DataFrame({"period": [date(2026, 11, 1)] * 2, "rep": ["A", "B"],
                                   "revenue_target": [200.0, 400.0]})
    assert "Highest attainment" not in summary_paragraph(compute_kpis(tie, NOV, by="rep"), "en")


def test_calculated_columns_come_after_the_ones_they_read():
    """Prerequisites are computed first: in the spec's column order (whole tables) and in
    the engine's order (groups); and every KPI's calculated column has a pandas twin."""
    from xlsales.kpis import CALCULATED, PREREQUISITES, calculated_for
    from xlsales.spec import SPEC

    for (table, key), needs in PREREQUISITES.items():
        keys = [c.key for c in SPEC.table(table).columns]
        order = list(CALCULATED)
        assert all(keys.index(n) < keys.index(key) for n in needs)
        assert all(order.index((table, n)) < order.index((table, key)) for n in needs)
    spec_calculated = {(t.name, c.key) for sheet in SPEC.sheets for t in sheet.tables
                       for c in t.columns if not c.is_input and c.formula}
    assert calculated_for(SPEC) == spec_calculated & set(CALCULATED) == set(CALCULATED)


def test_each_kpi_from_the_spec_cut_down_to_it_equals_the_whole_specs():
    """kpi_subset keeps what a KPI needs (the KPIs it is made of, the calculated columns
    behind them): each KPI alone, by rep and overall, and the plan's set, give the values
    of the whole spec on the sample team."""
    from xlsales.plan.targets import PLAN_KPIS
    from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
    from xlsales.spec import SPEC
    from xlsales.spec.subset import kpi_subset

    tables = sample_workbook_data("en").tables
    full = compute_kpis(tables, SAMPLE_PERIOD, by="rep")
    for keys in (*((k.key,) for k in SPEC.kpis), PLAN_KPIS):
        spec = kpi_subset(keys)
        assert {k.key for k in spec.kpis} >= set(keys)
        cut = compute_kpis(tables, SAMPLE_PERIOD, by="rep", spec=spec)
        for key in keys:
            assert cut.kpis[key] == pytest.approx(full.kpis[key]), key
            assert cut.groups.keys() == full.groups.keys()
            for rep, values in cut.groups.items():
                assert values[key] == pytest.approx(full.groups[rep][key]), (key, rep)
    assert len(kpi_subset(["revenue"]).kpis) == 1
    with pytest.raises(KeyError):
        kpi_subset(["no_such_kpi"])


def test_a_breakdown_leaves_empty_what_its_table_cannot_split(sample_data):
    """Targets and activities name a rep, not a region or product: by region their KPIs
    (and those computed from them) are empty, never a made-up 0; by rep they add up."""
    tables = sample_data["en"].tables
    period = Period.parse("2026-10")
    by_region = compute_kpis(tables, period, by="region")
    assert by_region.groups
    for values in by_region.groups.values():
        for key in ("target", "attainment", "gap", "visits", "visits_target",
                    "visit_attainment", "volume_effect"):
            assert values[key] is None, key
        assert values["revenue"] is not None and values["deals"] is not None
    assert sum(g["revenue"] for g in by_region.groups.values()) == pytest.approx(
        by_region.kpis["revenue"])
    by_rep = compute_kpis(tables, period, by="rep")
    assert sum(g["target"] for g in by_rep.groups.values()) == pytest.approx(
        by_rep.kpis["target"])
    assert all(g["visits"] is not None for g in by_rep.groups.values())
    by_product = compute_kpis(tables, period, by="product")
    assert all(g["target"] is None and g["revenue"] is not None
               for g in by_product.groups.values())
