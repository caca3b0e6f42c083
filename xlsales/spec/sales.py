"""The sales records table (A2), its calculated columns, and what CRM exports call its fields.

The Sales table's calculated columns are native Excel formulas (built from the
helpers here); :data:`CRM_HEADERS`, :data:`HEADER_UNITS` and the currency words are
how `xlsales import` recognises a CRM export's columns. Part of the spec assembled
in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.choices import CUSTOMER_TYPE, PRODUCTS, REGIONS, STAGE
from xlsales.spec.columns import money, rep_column, text
from xlsales.spec.model import Column, ColumnType, L, Table

T = ColumnType

#: Rows dated up to this many months before the period are history (they feed
#: month-on-month, year-on-year and new-customer detection); older rows are flagged.
HISTORY_MONTHS = 24
#: Relative tolerance of the amount = quantity × unit price check.
AMOUNT_TOLERANCE = 0.005

# --- A2 sales records ---------------------------------------------------------------

_WON_IN_PERIOD = (
    '{this:stage}={choice:stage.won},{this:date}>={name:kpi_current_start},'
    '{this:date}<={name:kpi_current_end}'
)
#: COUNTIFS criterion matching this row's customer exactly: "=" keeps a leading = < >
#: from acting as an operator, ~ escapes the wildcards * ? ~ (matching ignores case).
_SAME_CUSTOMER = (
    '"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({this:customer},"~","~~"),"*","~*"),"?","~?")'
)


def _won_in(window: str) -> str:
    """Row condition: this row is won and dated in ``window``."""
    return (f'{{this:stage}}={{choice:stage.won}},{{this:date}}>={{name:kpi_{window}_start}},'
            f'{{this:date}}<={{name:kpi_{window}_end}}')


def _won_criteria(window: str) -> str:
    """COUNTIFS/SUMIFS criteria: won rows dated in ``window``."""
    return (f'{{col:stage}},{{choice:stage.won}},{{col:date}},">="&{{name:kpi_{window}_start}},'
            f'{{col:date}},"<="&{{name:kpi_{window}_end}}')


def _previous_customer_formula(again: str) -> str:
    """1/n on last period's won rows of a customer whose won rows this period ``again``
    (``=0``: churned, ``>0``: retained); sums to a distinct-customer count."""
    return (f'=IF(AND({_won_in("previous")},{{this:customer}}<>""),'
            f'IF(COUNTIFS({{col:customer}},{_SAME_CUSTOMER},{_won_criteria("current")}){again},'
            f'1/COUNTIFS({{col:customer}},{_SAME_CUSTOMER},{_won_criteria("previous")}),0),0)')


#: The same escaping as :data:`_SAME_CUSTOMER`, for this row's product.
_SAME_PRODUCT = (
    '"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({this:product},"~","~~"),"*","~*"),"?","~?")'
)


def _previous_product_sum(field: str) -> str:
    """SUMIFS of ``field`` over won rows of this row's product in the previous period that
    have a quantity (above 0): a row without one has no price to average."""
    return (f'SUMIFS({{col:{field}}},{{col:product}},{_SAME_PRODUCT},{_won_criteria("previous")},'
            '{col:quantity},">0")')


#: Chance an open opportunity is won when its probability is empty, by stage.
STAGE_PROBABILITY = {"lead": 0.1, "follow_up": 0.3, "proposal": 0.6}
OPEN_STAGES = tuple(STAGE_PROBABILITY)
_OPEN_STAGE = ",".join(f"{{this:stage}}={{choice:stage.{k}}}" for k in OPEN_STAGES)
_DEFAULT_PROBABILITY = "".join(
    f"IF({{this:stage}}={{choice:stage.{k}}},{p}," for k, p in STAGE_PROBABILITY.items()
) + "0" + ")" * len(STAGE_PROBABILITY)

#: A probability the weighted pipeline uses: filled and a fraction of 0–1. One typed as
#: 50 (meaning 50 %: validation says so) or -0.2 takes the stage default, as an empty one.
#: N() leaves text as it was (``12%`` typed as text, which validation asks to retype).
_USABLE_PROBABILITY = ('AND({this:probability}<>"",N({this:probability})>=0,'
                       'N({this:probability})<=1)')

_WON_IN_PERIOD_CRITERIA = (
    '{col:stage},{choice:stage.won},{col:date},">="&{name:kpi_current_start},'
    '{col:date},"<="&{name:kpi_current_end}'
)

#: What CRM exports call the sales fields (Salesforce, HubSpot, 纷享销客, 销售易, Taiwan CRMs
#: and ERPs, hand-made sheets): `xlsales import` maps such a column on its own, after the
#: fields' keys and labels, the first name listed first when an export has several (成交日期
#: before 预计成交日期); ``--map`` still wins. Taiwan's own words are here in Simplified
#: characters as every name is (建立日期 for 创建日期, 业务 for the rep, 品名, 地区,
#: 收款金额 …); 客户编号 is not: a customer's number is no name.
CRM_HEADERS: dict[str, tuple[str, ...]] = {
    "order_id": ("Opportunity ID", "Deal ID", "Record ID", "商机编号", "商机ID", "订单号",
                 "合同编号", "订单号码", "销货单号"),
    "date": ("Close Date", "Closed Date", "Deal close date", "成交日期", "赢单日期", "结单日期",
             "签约日期", "订单日期", "预计成交日期", "预计成交日"),
    "rep": ("Opportunity Owner", "Deal owner", "Owner", "Owner Full Name", "Owner: Full Name",
            "Opportunity Owner: Full Name", "Owner Name", "负责人", "销售负责人", "所有人", "销售",
            "销售代表", "业务员", "业务代表", "业务人员", "负责业务", "业务"),
    "region": ("地区", "所属区域"),
    "customer": ("Account Name", "Company", "Company name", "Associated company", "客户名称",
                 "公司名称", "客户简称"),
    "customer_type": ("Type", "Deal type", "Opportunity type", "商机类型"),
    "product": ("品名", "产品名称", "商品名称"),
    "amount": ("Deal Amount", "Amount (converted)", "Opportunity amount", "成交金额",
               "合同金额", "商机金额", "销售金额", "订单金额"),
    "stage": ("Stage Name", "Deal Stage", "销售阶段", "商机阶段"),
    # a header with a % (Salesforce's "Probability (%)", 赢单概率(%), 概率%) matches too, its
    # numbers read as points of 100: 10 is 10 % (xlsales/import_percent.py)
    "probability": ("概率", "成交概率", "赢率", "赢单率", "可能性", "机率", "成交机率",
                    "赢单机率"),
    "created": ("Created Date", "Create Date", "创建时间", "建立日期", "建立时间"),
    "invoiced": ("发票金额",),
    "collected": ("收款金额", "已收金额"),
    "note": ("Notes", "Description", "Comments", "描述"),
}
#: Units an amount's header may give its numbers in, as ``金额（万元）``, ``Amount (K)``,
#: ``合同金额/千元`` or ``Revenue in thousands`` write them (compared folded: lower case,
#: half-width; Traditional 萬/億 as 万/亿) → what `xlsales import` multiplies the column's
#: numbers by (xlsales/import_units.py); ``元`` says they are plain, and the header still
#: names the field (``商机金额（元）`` is the amount).
HEADER_UNITS: dict[str, float] = {
    "元": 1, "千": 1e3, "千元": 1e3, "k": 1e3, "thousand": 1e3, "thousands": 1e3,
    "'000": 1e3, "000": 1e3, "000s": 1e3, "万": 1e4, "万元": 1e4, "w": 1e4,
    "百万": 1e6, "百万元": 1e6, "m": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "亿": 1e8, "亿元": 1e8,
}
#: What CRM exports call a column naming each row's currency (Salesforce's ``Opportunity
#: Currency`` and ``Amount Currency``, HubSpot's ``Currency``, 币种, Taiwan's 币别): read by
#: `xlsales import` only, for the row's amounts (xlsales/import_currency_column.py), never
#: a column of the workbook; the first listed first. A column named after an amount's
#: column and one of :data:`CURRENCY_WORDS` (``Amount (converted) Currency``, 金额币种)
#: names that amount's currency.
CURRENCY_HEADERS = ("Currency", "Opportunity Currency", "Amount Currency", "Deal Currency",
                    "Currency Code", "Deal currency code", "Currency ISO Code", "币种", "货币",
                    "币别", "交易币种", "结算币种", "货币类型")
CURRENCY_WORDS = ("Currency", "Currency Code", "币种", "货币", "币别")
#: Words in an amount's header saying the CRM converted it into the company's currency
#: (Salesforce's ``Amount (converted)``): a currency column of the whole row does not say
#: its currency, only one named after it does.
CONVERTED_WORDS = ("converted", "换算", "折算", "折合", "本位币")

SALES = Table(
    "Sales",
    (
        text("order_id", "订单编号", "Order ID", width=12, required=True,
             help=L("订单或商机的编号，如 CRM 中的编号。",
                    "The order's or opportunity's ID, as in the CRM.")),
        Column("date", L("日期", "Date"), T.DATE, required=True, width=12,
               help=L("成交日期，未结商机填预计成交日期：决定该行计入哪个周期。",
                      "Close date (an open opportunity's expected one): the period the row "
                      "counts in.")),
        rep_column(breakdown=True),
        Column("region", L("区域", "Region"), T.LIST, list_source=REGIONS, width=10,
               breakdown=True,
               help=L("销售区域；可不填。", "The sales region; may be empty.")),
        text("customer", "客户", "Customer", width=22, required=True,
             help=L("客户名称：同名（不分大小写）即同一客户，用于客户数和新客户判断。",
                    "The customer's name: rows of one name (any case) are one customer, "
                    "for customer counts and new customers.")),
        Column("customer_type", L("客户类型", "Customer type"), T.CHOICE, choices=CUSTOMER_TYPE,
               width=10, breakdown=True, help=L("新客户或老客户；可不填：按首次赢单日期自动判断。",
                                "New or existing customer; may be empty: then derived from the "
                                "first won date.")),
        Column("product", L("产品", "Product"), T.LIST, list_source=PRODUCTS, width=12,
               breakdown=True,
               help=L("产品或产品线；可不填。", "The product or product line; may be empty.")),
        Column("quantity", L("数量", "Quantity"), T.NUMBER, min_value=0, width=9,
               help=L("数量，按产品自己的单位；可不填。",
                      "Units, in the product's own unit; may be empty.")),
        money("unit_price", "单价", "Unit price",
              help=L("每单位价格（折扣后）；可不填。", "Price per unit, after discount; may be "
                     "empty.")),
        money("amount", "金额", "Amount", essential=True,
              help=L("订单金额 = 数量 × 单价（含折扣）；未结商机为预计金额，未定价时留空。",
                     "Order value: quantity × unit price, after discount; an open "
                     "opportunity's expected value, empty until priced.")),
        Column("stage", L("阶段", "Stage"), T.CHOICE, required=True, choices=STAGE, width=10,
               help=L("销售阶段：线索、跟进、方案是未结商机，赢单、输单是已结。",
                      "Sales stage: lead, follow-up and proposal are open; won and lost "
                      "are closed.")),
        Column("probability", L("赢单概率", "Probability"), T.PERCENT, min_value=0, max_value=1,
               width=10, help=L(
                   "未结商机的赢单概率；留空按阶段默认："
                   + "、".join(f"{STAGE.label(k, 'zh')} {p:.0%}"
                              for k, p in STAGE_PROBABILITY.items()) + "。",
                   "Chance an open opportunity is won; empty uses the stage default: "
                   + ", ".join(f"{STAGE.label(k, 'en')} {p:.0%}"
                               for k, p in STAGE_PROBABILITY.items()) + ".")),
        Column("created", L("创建日期", "Created"), T.DATE, width=12,
               help=L("商机或线索的创建日期；用于新增线索数和销售周期。",
                      "When the lead or opportunity was created; feeds leads developed and "
                      "the sales cycle.")),
        money("invoiced", "开票金额", "Invoiced",
              help=L("该订单至填写时已开票的金额；未开票留空。",
                     "Amount invoiced on the order so far; empty when none.")),
        money("collected", "回款金额", "Collected",
              help=L("该订单至填写时已收到的回款；未回款留空。",
                     "Amount the customer has paid on the order so far; empty when none.")),
        text("note", "备注", "Note", width=20, help=L("备注，可不填。", "A note; may be empty.")),
        Column(
            "customer_weight", L("客户计数权重", "Customer weight"), T.CALC, width=12,
            formula=f'=IF(AND({{this:customer}}<>"",{_WON_IN_PERIOD}),'
                    f'1/COUNTIFS({{col:customer}},{_SAME_CUSTOMER},{_WON_IN_PERIOD_CRITERIA}),0)',
            help=L("自动计算：用于统计本期成交客户数。",
                   "Calculated: counts distinct customers won in the period."),
        ),
        Column(
            "new_customer_flag", L("新客户标记", "New customer flag"), T.CALC, width=12,
            formula=f'=IF(AND({_WON_IN_PERIOD}),IF({{this:customer_type}}<>"",'
                    'IF({this:customer_type}={choice:customer_type.new},1,0),'
                    'IF({this:customer}="",1,'
                    f'IF(COUNTIFS({{col:customer}},{_SAME_CUSTOMER},'
                    '{col:stage},{choice:stage.won},'
                    '{col:date},"<"&{name:kpi_current_start})=0,1,0))),0)',
            help=L("自动计算：本期赢单且为新客户时为 1。",
                   "Calculated: 1 when the row is won in the period from a new customer."),
        ),
        Column(
            "new_customer_weight", L("新客户计数权重", "New customer weight"), T.CALC, width=12,
            formula=f'=IF(AND({{this:new_customer_flag}}=1,{{this:customer}}<>""),'
                    f'1/COUNTIFS({{col:customer}},{_SAME_CUSTOMER},{{col:new_customer_flag}},1),0)',
            help=L("自动计算：用于统计本期不同新客户数。",
                   "Calculated: counts distinct new customers won in the period."),
        ),
        Column(
            "cycle_days", L("销售周期天数", "Cycle days"), T.CALC, width=12,
            formula='=IF(AND({this:stage}={choice:stage.won},{this:created}<>"",'
                    '{this:date}<>""),{this:date}-{this:created},"")',
            help=L("自动计算：赢单日期 − 创建日期。", "Calculated: won date − created date."),
        ),
        Column(
            "weighted_amount", L("加权商机金额", "Weighted amount"), T.CALC, width=14,
            formula=f'=IF(OR({_OPEN_STAGE}),N({{this:amount}})*IF({_USABLE_PROBABILITY},'
                    f'{{this:probability}},{_DEFAULT_PROBABILITY}),0)',
            help=L("自动计算：未结商机金额 × 赢单概率（未填或不在 0–100% 之间时按阶段默认）。",
                   "Calculated: open opportunity amount × probability (the stage default "
                   "when it is empty or not within 0–100%)."),
        ),
        Column(
            "churn_weight", L("流失客户权重", "Churn weight"), T.CALC, width=12,
            formula=_previous_customer_formula("=0"),
            help=L("自动计算：用于统计上期成交、本期未成交的客户数。",
                   "Calculated: counts customers won last period and not this one."),
        ),
        Column(
            "retained_weight", L("留存客户权重", "Retention weight"), T.CALC, width=12,
            formula=_previous_customer_formula(">0"),
            help=L("自动计算：用于统计上期和本期都成交的客户数。",
                   "Calculated: counts customers won in both periods."),
        ),
        Column(
            "baseline_value", L("按上期单价金额", "Value at previous prices"), T.CALC, width=14,
            formula=f'=IF(AND({_WON_IN_PERIOD}),IF(AND({{this:product}}<>"",'
                    f'N({{this:quantity}})>0,{_previous_product_sum("quantity")}>0),'
                    f'{{this:quantity}}*{_previous_product_sum("amount")}/'
                    f'{_previous_product_sum("quantity")},N({{this:amount}})),0)',
            help=L("自动计算：本期赢单数量 × 该产品上期平均单价（无上期单价时为本行金额）。",
                   "Calculated: quantity won × the product's previous-period average price "
                   "(the row's amount when there is none)."),
        ),
    ),
    id_key="order_id",
    id_holders=("member", "member_within", "rep"),
    help=L("每行一条商机或订单（可直接粘贴 CRM 导出）；"
           "历史月份的记录请保留，用于环比、同比和新客户判断。",
           "One opportunity or order per row (paste a CRM export); keep history rows: they feed "
           "month-on-month, year-on-year and new-customer detection."),
)

#: Said above a table whose calculated columns a roll-up stores as values.
CALCULATED_AS_VALUES = L(
    "合并表：计算列（客户计数权重等）是按本期算好的数值，不是公式；要改周期或数据，请修改成员工作簿后重新合并。",
    "Roll-up: the calculated columns (customer weight …) hold values computed for this period, "
    "not formulas; to change the period or the data, edit the members' workbooks and "
    "consolidate again.")
