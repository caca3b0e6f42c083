"""Deterministic, realistic sample data: a team of six reps in three regions with 18
months of history up to the end of the period (a year's: 24, the year and the one
before it), targets, activities, flagged problems and lessons.

The same seed gives the same rows in both languages (only names and texts
differ), so the zh and en sample workbooks have identical figures.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from xlsales.periods import Period, PeriodType
from xlsales.spec import Lang
from xlsales.workbook_data import WorkbookData

SAMPLE_PERIOD = Period(date(2026, 10, 1), PeriodType.MONTH)
HISTORY_MONTHS = 18
SEED = 20261126
CUSTOMERS_PER_REGION = 60

REPS = {
    "zh": ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"],
    "en": ["Alice Chen", "Ben Wang", "Cathy Li", "David Liu", "Emma Zhou", "Frank Yang"],
}
REGIONS = {"zh": ["华东", "华南", "华北"], "en": ["East", "South", "North"]}
REP_REGION = [0, 0, 1, 1, 2, 2]
REP_SKILL = [1.15, 1.0, 1.05, 0.8, 1.0, 0.9]
PRODUCTS = {
    "zh": ["标准版", "专业版", "企业版", "实施服务"],
    "en": ["Standard", "Professional", "Enterprise", "Services"],
}
PRICES = [2800.0, 6800.0, 16800.0, 9800.0]
PRODUCT_MIX = [0.4, 0.3, 0.12, 0.18]
SEASON = [0.8, 0.6, 0.95, 1.0, 1.0, 1.05, 0.95, 0.9, 1.05, 1.1, 1.15, 1.3]
CITIES = {
    "zh": [["上海", "杭州", "南京", "苏州"], ["广州", "深圳", "厦门", "东莞"],
           ["北京", "天津", "济南", "青岛"]],
    "en": [["Shanghai", "Hangzhou", "Nanjing", "Suzhou"],
           ["Guangzhou", "Shenzhen", "Xiamen", "Dongguan"],
           ["Beijing", "Tianjin", "Jinan", "Qingdao"]],
}
WORDS = {
    "zh": ["华辰", "恒通", "瑞丰", "中科", "鼎盛", "远航", "博源", "嘉信", "明德", "天元"],
    "en": ["Sino", "Hengtong", "Ruifeng", "Zhongke", "Dingsheng", "Yuanhang", "Boyuan",
           "Jiaxin", "Mingde", "Tianyuan"],
}
SUFFIX = {"zh": ["科技有限公司", "贸易有限公司", "制造有限公司"],
          "en": ["Technology Co.", "Trading Co.", "Manufacturing Co."]}
OUTCOMES = {
    "zh": ["确认需求", "约定演示", "发送报价", "客户暂缓", "推进合同", "收集反馈"],
    "en": ["Needs confirmed", "Demo booked", "Quote sent", "On hold", "Contract in progress",
           "Feedback collected"],
}

#: (id, category index in the spec's default list, controllable, severity, carry,
#:  owner index, impact amount, impact share, zh texts, en texts)
PROBLEMS = [
    ("P01", 0, "controllable", "high", "yes", 0, 180000, 0.08,
     ("两家老客户转向竞品", "上海瑞丰科技 10 月未续约", "华东老客户"),
     ("Two existing customers moved to a competitor", "Shanghai Ruifeng did not renew in October",
      "East, existing customers")),
    ("P02", 1, "uncontrollable", "high", "yes", 2, 120000, 0.05,
     ("华南竞品降价 15%", "深圳两个方案因价格输单", "华南"),
     ("Competitor cut prices by 15% in the South", "Two Shenzhen proposals lost on price",
      "South")),
    ("P03", 7, "controllable", "medium", "yes", 1, 95000, 0.04,
     ("回款逾期增加", "三笔发票逾期超过 60 天", "华东、华北"),
     ("More overdue receivables", "Three invoices over 60 days overdue", "East, North")),
    ("P04", 5, "controllable", "medium", "yes", 3, 60000, 0.03,
     ("新人方案转化率低", "刘洋方案到赢单转化率 20%", "华南"),
     ("Low proposal-to-win rate of a new rep", "David Liu converts 20% of proposals", "South")),
    ("P05", 2, "uncontrollable", "low", "no", 4, 30000, 0.01,
     ("北方制造业需求放缓", "两家客户推迟采购", "华北"),
     ("Manufacturing demand slowing in the North", "Two customers postponed purchases",
      "North")),
    ("P06", 6, "controllable", "medium", "yes", 0, 40000, 0.02,
     ("报价审批耗时 5 天", "一个企业版订单因审批延误被竞品抢走", "全部"),
     ("Quote approval takes 5 days", "An Enterprise deal lost while waiting for approval",
      "All")),
]
LESSONS = [
    ("L01", "success", "yes",
     ("行业沙龙带来 12 个线索，成交 3 单", "线索 12 个，赢单 3 单", "主题贴合客户痛点",
      "每季度举办一次"),
     ("An industry meetup brought 12 leads and 3 deals", "12 leads, 3 won", "Topic matched "
      "customer pain points", "Hold one every quarter")),
    ("L02", "success", "yes",
     ("老客户转介绍成交率高", "转介绍赢单率 60%", "服务口碑好", "建立转介绍激励"),
     ("Referrals from existing customers convert well", "60% win rate on referrals",
      "Good service reputation", "Add a referral incentive")),
    ("L03", "shortcoming", "no",
     ("部分商机跟进不及时", "8 个商机超过 14 天未跟进", "拜访计划不清晰", "每周复盘商机"),
     ("Some opportunities were not followed up in time", "8 opportunities idle for 14+ days",
      "No clear visit plan", "Weekly pipeline review")),
    ("L04", "shortcoming", "no",
     ("回款跟踪靠人工记忆", "逾期发票发现晚", "缺少回款提醒", "每月回款对账"),
     ("Collection tracking relies on memory", "Overdue invoices found late",
      "No collection reminders", "Monthly collection reconciliation")),
]
BUDGET_CAPS = [5000.0, 20000.0, 10000.0, 8000.0, 3000.0]
TEAM = {"zh": ("华东销售一组", "华东、华南、华北"), "en": ("Sales Team 1", "East, South, North")}


def history_months(period: Period) -> list[Period]:
    """The months of the sample's history for ``period``: the 18 months (at least, the
    period and the 12 months before it) ending with the period's last month, so that a
    quarter's or a year's sample holds every one of its months and a year's its whole
    previous year."""
    count = max(HISTORY_MONTHS, period.months + 12)
    first = Period(period.end.replace(day=1), PeriodType.MONTH).shift(-(count - 1))
    return [first.shift(i) for i in range(count)]


def _customers(lang: Lang, rng: np.random.Generator) -> list[list[str]]:
    """60 distinct customer names per region."""
    out = []
    for region in range(3):
        names: list[str] = []
        while len(names) < CUSTOMERS_PER_REGION:
            city = CITIES[lang][region][int(rng.integers(4))]
            word, suffix = WORDS[lang][int(rng.integers(10))], SUFFIX[lang][int(rng.integers(3))]
            name = f"{city}{word}{suffix}" if lang == "zh" else f"{city} {word} {suffix}"
            if name not in names:
                names.append(name)
        out.append(names)
    return out


def _stage_probabilities(months_before_end: int) -> list[float]:
    """lead, follow_up, proposal, won, lost: open stages only in the latest months."""
    if months_before_end == 0:
        return [0.05, 0.07, 0.08, 0.50, 0.30]
    if months_before_end == 1:
        return [0.01, 0.03, 0.03, 0.55, 0.38]
    return [0.0, 0.03, 0.02, 0.55, 0.40]


def sample_sales(lang: Lang, period: Period = SAMPLE_PERIOD, seed: int = SEED) -> pd.DataFrame:
    """Sales records of the sample team for the :func:`history_months` of ``period``."""
    rng = np.random.default_rng(seed)
    customers = _customers(lang, rng)
    months = history_months(period)
    rows = []
    active = [8, 8, 8]  # customers already acquired per region; the pool grows over time
    for m_index, month in enumerate(months):
        age = len(months) - 1 - m_index
        for rep, region in enumerate(REP_REGION):
            n = int(rng.poisson(26 * SEASON[month.start.month - 1] * REP_SKILL[rep]))
            for _ in range(n):
                if rng.random() < 0.035 and active[region] < CUSTOMERS_PER_REGION:
                    active[region] += 1
                    customer = customers[region][active[region] - 1]
                else:
                    customer = customers[region][int(rng.integers(active[region]))]
                product = int(rng.choice(4, p=PRODUCT_MIX))
                quantity = float(rng.integers(1, 12 if product == 0 else 5))
                discount = 1.0 if rng.random() < 0.7 else float(rng.choice([0.9, 0.95]))
                unit_price = PRICES[product] * discount
                stage = ["lead", "follow_up", "proposal", "won", "lost"][
                    int(rng.choice(5, p=_stage_probabilities(age)))]
                day = month.start + timedelta(days=int(rng.integers(0, month.end.day)))
                invoiced = collected = None
                amount = round(quantity * unit_price, 2)
                if stage == "won":
                    invoiced = amount if rng.random() < 0.92 or age > 2 else round(amount * 0.5, 2)
                    paid = 1.0 if age > 2 else float(rng.choice([1.0, 1.0, 0.6, 0.0]))
                    collected = round(invoiced * paid, 2)
                rows.append({
                    "date": day, "rep_index": rep, "rep": REPS[lang][rep],
                    "region": REGIONS[lang][region],
                    "customer": customer, "product": PRODUCTS[lang][product],
                    "quantity": quantity, "unit_price": unit_price, "amount": amount,
                    "stage": stage, "invoiced": invoiced, "collected": collected,
                })
    # sort by rep index, not name, so that zh and en samples hold the same rows in order
    frame = (pd.DataFrame(rows).sort_values(["date", "rep_index"], kind="stable")
             .drop(columns="rep_index").reset_index(drop=True))
    frame.insert(0, "order_id", [f"SO{d:%y%m}-{i:05d}" for i, d in enumerate(frame["date"], 1)])
    frame["customer_type"] = _some_customer_types(frame, rng)
    _add_process_fields(frame, np.random.default_rng(seed + 1))
    frame["note"] = None
    return frame


def _add_process_fields(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Created dates (a few missing, as in real exports) and probabilities on some
    open opportunities; drawn from their own generator so the rest stays stable."""
    n = len(frame)
    cycle = np.round(rng.gamma(3.0, 12.0, n)).astype(int) + 3
    created = [d - timedelta(days=int(c)) for d, c in zip(frame["date"], cycle, strict=True)]
    missing = rng.random(n) < 0.08
    frame["created"] = [None if m else c for c, m in zip(created, missing, strict=True)]
    base = frame["stage"].map({"lead": 0.1, "follow_up": 0.3, "proposal": 0.6})
    noisy = (base + rng.choice([-0.05, 0.0, 0.05, 0.1], n)).clip(0.05, 0.95).round(2)
    filled = base.notna() & (rng.random(n) < 0.7)
    frame["probability"] = noisy.where(filled, None).astype(object)
    frame.loc[~filled, "probability"] = None


def _some_customer_types(frame: pd.DataFrame, rng: np.random.Generator) -> list[str | None]:
    """Fill customer_type on about a quarter of the rows, as a CRM would, including a few
    that disagree with the history (the typed value then wins)."""
    won = frame[frame["stage"] == "won"]
    first_won = won.groupby("customer")["date"].min()
    out: list[str | None] = []
    for customer, day in zip(frame["customer"], frame["date"], strict=True):
        if rng.random() > 0.25:
            out.append(None)
            continue
        first = first_won.get(customer)
        is_new = first is not None and (first.year, first.month) == (day.year, day.month)
        if rng.random() < 0.05:
            is_new = not is_new
        out.append("new" if is_new else "existing")
    return out


def sample_targets(sales: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Monthly targets per rep: last year's won revenue of the month × 1.1 (or the
    rep's average), rounded to thousands."""
    won = sales[sales["stage"] == "won"]
    month = won["date"].map(lambda d: date(d.year, d.month, 1))
    by = won.groupby([month, won["rep"]])["amount"].sum()
    months = sorted({date(d.year, d.month, 1) for d in sales["date"]})
    rows = []
    for m in months:
        for rep in REPS[lang]:
            rep_avg = by.xs(rep, level=1).mean() if rep in by.index.get_level_values(1) else 0
            base = by.get((date(m.year - 1, m.month, 1), rep), rep_avg)
            revenue_target = float(round(base * 1.1, -3))
            rows.append({
                "period": m, "rep": rep, "revenue_target": revenue_target,
                "new_customers_target": 3, "visits_target": 16,
                "collection_rate_target": 0.9,
                # pipeline to create: the target at a win rate of about one in two
                "pipeline_target": float(round(revenue_target * 1.8, -3)), "note": None,
            })
    return pd.DataFrame(rows)


def sample_activities(sales: pd.DataFrame, lang: Lang, seed: int = SEED) -> pd.DataFrame:
    """About a dozen visits, calls and emails per rep and month (same rows in zh and en)."""
    rng = np.random.default_rng(seed + 1)
    rep_index = sales["rep"].map(REPS[lang].index)
    month = sales["date"].map(lambda d: (d.year, d.month))
    rows = []
    for (index, _), group in sales.groupby([rep_index, month], sort=True):
        for _ in range(int(rng.integers(9, 16))):
            pick = group.iloc[int(rng.integers(len(group)))]
            kind = ["visit", "call", "email", "other"][int(rng.choice(4, p=[.4, .4, .15, .05]))]
            rows.append({
                "date": pick["date"], "rep_index": index, "rep": pick["rep"],
                "customer": pick["customer"], "type": kind,
                "outcome": OUTCOMES[lang][int(rng.integers(len(OUTCOMES[lang])))],
                "next_step": None,
            })
    return (pd.DataFrame(rows).sort_values(["date", "rep_index"], kind="stable")
            .drop(columns="rep_index").reset_index(drop=True))


def sample_problems(lang: Lang, categories: list[str]) -> pd.DataFrame:
    """The team's problem register, five of six flagged for the next plan."""
    i = 0 if lang == "zh" else 1
    return pd.DataFrame([{
        "problem_id": pid, "description": texts[i][0], "example": texts[i][1],
        "affected": texts[i][2], "impact_amount": float(amount), "impact_share": share,
        "category": categories[cat], "controllability": ctrl, "severity": sev,
        "carry_forward": carry, "owner": REPS[lang][owner],
    } for pid, cat, ctrl, sev, carry, owner, amount, share, *texts in PROBLEMS])


def sample_lessons(lang: Lang) -> pd.DataFrame:
    """Successes (best practices) and shortcomings with cause and improvement."""
    i = 0 if lang == "zh" else 1
    return pd.DataFrame([{
        "lesson_id": lid, "type": kind, "description": t[i][0], "evidence": t[i][1],
        "cause": t[i][2], "improvement": t[i][3], "best_practice": best,
    } for lid, kind, best, *t in LESSONS])


def sample_workbook_data(lang: Lang, period: Period = SAMPLE_PERIOD) -> WorkbookData:
    """Everything the sample team's summary workbook holds for ``period``."""
    from xlsales.spec.declarations import BUDGET_CATEGORIES, PROBLEM_CATEGORIES

    sales = sample_sales(lang, period)
    months = history_months(period)
    categories = [c.get(lang) for c in PROBLEM_CATEGORIES.defaults]
    budget = [c.get(lang) for c in BUDGET_CATEGORIES.defaults]
    owner, scope = TEAM[lang]
    return WorkbookData(
        info={
            "owner": owner, "level": "team", "role": "manager", "scope": scope,
            "period_type": period.type.value, "period_start": period.start,
            "data_source": f"CRM export sales_{months[0].label}_{months[-1].label}.csv",
            "export_date": period.end + timedelta(days=1),
            "author": REPS[lang][0], "filled_on": period.end + timedelta(days=2),
        },
        tables={
            "Sales": sales,
            "Targets": sample_targets(sales, lang),
            "Activities": sample_activities(sales, lang),
            "Problems": sample_problems(lang, categories),
            "Lessons": sample_lessons(lang),
        },
        lists={"rep": REPS[lang], "region": REGIONS[lang], "product": PRODUCTS[lang]},
        assumptions={"growth_rate": 0.12, "buffer_days": 5},
        budget_caps=pd.DataFrame({"category": budget, "monthly_cap": BUDGET_CAPS}),
    )


def sample_members(lang: Lang, period: Period = SAMPLE_PERIOD) -> dict[str, WorkbookData]:
    """The sample team as one individual workbook per rep (their own rows, targets,
    activities and problems), as the members of a roll-up."""
    team = sample_workbook_data(lang, period)
    members = {}
    for rep in team.lists["rep"]:
        tables = {k: v[v["rep"] == rep].reset_index(drop=True) for k, v in team.tables.items()
                  if k in ("Sales", "Targets", "Activities")}
        problems = team.tables["Problems"]
        tables["Problems"] = problems[problems["owner"] == rep].reset_index(drop=True)
        members[rep] = WorkbookData(
            info={**team.info, "owner": rep, "level": "individual", "role": "rep"},
            tables=tables, lists={**team.lists, "rep": [rep]},
            assumptions=dict(team.assumptions), budget_caps=team.budget_caps)
    return members
