"""The workbook's choice sets and settings lists: the values its dropdowns offer.

The fixed choice sets (stage, customer type, activity type …) have keys the product's
logic depends on; the settings lists (regions, products, reps, problem and budget
categories) are the team's own, edited on the settings sheet. Part of the spec
assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.model import Choice, ChoiceSet, Column, ColumnType, L, SettingsList

T = ColumnType

# --- fixed choice sets (the product's logic depends on their keys) -----------------


def _choices(key: str, *items: tuple[str, ...]) -> ChoiceSet:
    """Choices as (key, zh, en, *aliases)."""
    return ChoiceSet(key, tuple(Choice(k, L(zh, en), tuple(aliases))
                                for k, zh, en, *aliases in items))


# Aliases include the default stages of common CRMs (Salesforce, HubSpot, 纷享销客, 销售易),
# so their exports import without editing: each lands on the funnel step it belongs to.
# Traditional Chinese spellings (Taiwan, Hong Kong: 贏單, 新客戶, 電話) need no alias: every
# label and alias is read in Traditional characters too (:mod:`xlsales.spec.traditional`).
STAGE = _choices(
    "stage",
    ("lead", "线索", "Lead", "潜在客户", "prospect", "prospecting", "初步接洽", "商机",
     "appointmentscheduled", "appointment scheduled"),
    ("follow_up", "跟进", "Follow-up", "跟进中", "follow up", "followup", "follow_up",
     "qualification", "needs analysis", "id. decision makers", "perception analysis",
     "qualifiedtobuy", "qualified to buy", "验证客户", "需求确定", "需求分析",
     # Taiwan's 洽談中 ("in talks"): talking needs over, no quote made yet; a deal reaches
     # 方案 with its proposal or quote (报价, and 谈判/negotiation: bargaining over one)
     "洽谈中", "洽谈"),
    ("proposal", "方案", "Proposal", "报价", "quote", "quotation", "value proposition",
     "proposal/price quote", "negotiation/review", "negotiation", "presentationscheduled",
     "presentation scheduled", "decisionmakerboughtin", "decision maker bought-in",
     "contractsent", "contract sent", "方案/报价", "方案报价", "商务谈判", "谈判",
     # Taiwan CRMs: 提案 (a proposal), 議價 (bargaining over one)
     "提案", "提案中", "议价"),
    ("won", "赢单", "Won", "成交", "已成交", "签约", "已签约", "已赢单", "closed won", "win",
     "closedwon", "赢单关闭"),
    ("lost", "输单", "Lost", "丢单", "未成交", "closed lost", "loss", "closedlost",
     "输单关闭", "失败", "已输单", "已丢单"),
)
#: Stage names that say a deal is closed but not whether it was won or lost (Taiwan's
#: 結案): read as no stage, never guessed; the import says to name won or lost.
UNDECIDED_STAGES = ("结案", "已结案", "关闭", "已关闭", "closed")
CUSTOMER_TYPE = _choices(
    "customer_type",
    ("new", "新客户", "New", "新", "新客", "new customer", "new business", "newbusiness"),
    ("existing", "老客户", "Existing", "老", "老客", "old", "repeat", "existing customer",
     "existing business", "existingbusiness", "旧客户", "旧客", "existing customer - upgrade",
     "existing customer - replacement",
     "existing customer - downgrade", "returning", "renewal", "复购", "回头客", "续约"),
)
ACTIVITY_TYPE = _choices(
    "activity_type",
    ("visit", "拜访", "Visit", "上门", "面访", "meeting"),
    ("call", "电话", "Call", "电访", "phone"),
    ("email", "邮件", "Email", "e-mail", "邮箱"),
    ("other", "其他", "Other"),
)
YES_NO = _choices(
    "yes_no",
    ("yes", "是", "Yes", "y", "1", "true", "√", "✓", "对"),
    ("no", "否", "No", "n", "0", "false", "×", "✗", "不"),
)
SEVERITY = _choices(
    "severity", ("high", "高", "High"), ("medium", "中", "Medium"), ("low", "低", "Low")
)
CONTROLLABILITY = _choices(
    "controllability",
    ("controllable", "可控", "Controllable"),
    ("uncontrollable", "不可控", "Uncontrollable"),
)
LESSON_TYPE = _choices(
    "lesson_type", ("success", "成功经验", "Success"), ("shortcoming", "不足", "Shortcoming")
)
PERIOD_TYPE = _choices(
    "period_type",
    ("month", "月度", "Month"),
    ("quarter", "季度", "Quarter"),
    ("year", "年度", "Year"),
)
LEVEL = _choices(
    "level",
    ("individual", "个人", "Individual"),
    ("team", "团队", "Team"),
    ("region", "区域", "Region"),
    ("company", "公司", "Company"),
)
ROLE = _choices(
    "role",
    ("rep", "一线销售", "Sales rep"),
    ("manager", "销售经理", "Sales manager"),
    ("director", "销售总监", "Sales director"),
)
ACTION_STATUS = _choices(
    "action_status",
    ("todo", "未开始", "Not started"),
    ("doing", "进行中", "In progress"),
    ("done", "已完成", "Done"),
    ("partly", "部分完成", "Partly done"),
    ("not_done", "未完成", "Not done"),
)
#: A plan target row is a whole (the team's, or the owner's own total) or one person's part
#: of it: the owner can be both, with the same period and metric, so it is said on the row.
TARGET_SCOPE = _choices(
    "target_scope",
    ("total", "合计", "Total"),
    ("part", "分解", "Breakdown"),
)

# --- team-editable lists on the settings sheet -------------------------------------

REGIONS = SettingsList(
    "region",
    L("区域", "Region"),
    (L("华东", "East"), L("华南", "South"), L("华北", "North"), L("西部", "West")),
)
PRODUCTS = SettingsList(
    "product",
    L("产品", "Product"),
    (L("标准版", "Standard"), L("专业版", "Professional"), L("企业版", "Enterprise"),
     L("实施服务", "Services")),
)
REPS = SettingsList(
    "rep",
    L("销售人员", "Sales rep"),
    help=L("团队成员名单；目标和记录中的销售人员必须出自此表。",
           "Team members; reps in records and targets must come from this list."),
    extra=(Column("weight", L("分配权重", "Weight"), T.NUMBER, min_value=0, width=9,
                  help=L("xlsales plan --split weights 按此权重把目标分到人。",
                         "xlsales plan --split weights splits targets by these weights.")),
           # the roster: optional (a book of an older version has neither: all active)
           Column("joined", L("入职日期", "Joined on"), T.DATE, width=11, optional=True,
                  help=L("在团队的第一天；留空表示一直在。下期计划只从此日起分配目标"
                         "（按天折算；按销售额占比分配时，份额不低于其他人的平均份额）。",
                         "First day on the team; empty: always was. The next plan gives "
                         "targets only from this day (pro-rata by days; in a split by "
                         "share, at least the others' average share).")),
           Column("left", L("离职日期", "Left on"), T.DATE, width=11, optional=True,
                  help=L("在团队的最后一天；留空表示在职。此前的销售仍计入其名下；下期计划"
                         "不再在此日之后给其分配目标，其份额分给其他人；此后的销售记录和"
                         "由其负责的行动会被提示。",
                         "Last day on the team; empty: still on it. Sales up to this day "
                         "stay theirs; the next plan gives them no target after it (their "
                         "share goes to the others), and validation flags later sales "
                         "rows and actions they own.")),),
)
PROBLEM_CATEGORIES = SettingsList(
    "problem_category",
    L("问题类别", "Problem category"),
    (L("客户流失", "Customer churn"), L("竞争与价格", "Competition and price"),
     L("市场波动", "Market change"), L("政策", "Policy"), L("内部资源", "Internal resources"),
     L("销售技巧", "Sales skills"), L("流程", "Process"), L("回款", "Collection"),
     L("商机不足", "Pipeline shortfall")),
)
BUDGET_CATEGORIES = SettingsList(
    "budget_category",
    L("预算类别", "Budget category"),
    (L("客户礼品", "Customer gifts"), L("市场活动", "Events"), L("差旅", "Travel"),
     L("培训", "Training"), L("工具", "Tools")),
)
