"""The rules across fields and sheets: duplicate and shared ids, roll-ups, amounts that
disagree, dates against the period and each other, reps against the team list, the next
period's plan, the basic info's period and currency, a target set in two workbooks."""

from __future__ import annotations

from xlsales.rule_model import E, Rule, W, rule

#: The rules across fields and sheets, in the catalogue's order.
ACROSS_RULES: dict[str, Rule] = dict([
    rule("duplicate_id", E, "“{label}” {value!r} 重复（也出现在第 {other_row} 行）。",
         "'{label}' {value!r} is duplicated (also on row {other_row})."),
    rule("shared_id", W,
         "“{label}” {value!r} 在多个成员的行中（{holders}；也在第 {other_row} 行）：合并时已报告，"
         "按每个成员各计一次。若是同一笔订单只应计一次，请在成员工作簿中更正后重新合并。",
         "'{label}' {value!r} is in the rows of more than one member ({holders}; also on row "
         "{other_row}): reported when consolidating, it counts for each. If it is one order "
         "to count once, correct it in the members' workbooks and consolidate again."),
    rule("counted_twice", E,
         "“{label}” {value!r} 是销售人员 {rep} 的同一笔订单，却在多个成员的行中（{members}；也在"
         "第 {other_row} 行），被重复计算（同一份工作簿合并进了两个成员？）：请把它从其中一个成员"
         "中移出，重新合并该成员及其上各级汇总。",
         "'{label}' {value!r}, one order of rep {rep}, is in the rows of more than one member "
         "({members}; also on row {other_row}) and counts twice (one workbook rolled up into "
         "two members?): take it out of one of them and consolidate that member and the "
         "roll-ups above it again."),
    rule("rollup_incomplete", W,
         "本合并表缺少工作簿 {value} 的数据（{why_zh}）：它的数字不完整。{do_zh}。",
         "This roll-up lacks the data of workbook {value} ({why_en}): its figures are "
         "incomplete; {do_en}."),
    rule("rollup_period_changed", E,
         "基础信息的周期是 {now_zh}，但本合并表的排名和销售记录的计算列（新客户、流失、上期价格"
         "等）是按 {then_zh} 计算的数值：KPI 表会按 {now_zh} 加总 {then_zh} 的数值，结果不对。"
         "请把各成员按 {now_zh} 重新合并（xlsales consolidate），或把周期改回 {then_zh}。",
         "The basic info names the period {now_en}, but this roll-up's ranking and its sales "
         "records' calculated columns (new customers, churn, previous prices …) are values "
         "computed for {then_en}: its KPI sheet would add up {then_en}'s values for "
         "{now_en}, and be wrong. Consolidate the members again for {now_en} (xlsales "
         "consolidate), or set the period back to {then_en}."),
    rule("amount_mismatch", W, "金额 {value} 与 数量 × 单价 = {expected} 不符。",
         "Amount {value} differs from quantity × unit price = {expected}."),
    rule("collected_exceeds_invoiced", E, "回款金额 {value} 大于开票金额 {invoiced}。",
         "Collected {value} is more than invoiced {invoiced}."),
    rule("collected_without_invoiced", W,
         "回款金额 {value} 但开票金额为空：请填写开票金额（回款率 = 回款 ÷ 开票，空的开票金额"
         "让回款率偏高）。",
         "Collected {value} but the invoiced amount is empty: fill it in (the collection "
         "rate is collected ÷ invoiced, so an empty invoiced amount makes it run high)."),
    rule("won_without_amount", E, "赢单记录必须填写金额。", "A won row needs an amount."),
    rule("created_after_date", E,
         "创建日期 {value} 晚于该行的赢单日期 {date}：商机不能在创建之前赢单，销售周期会是负数、"
         "拉低平均销售周期。请检查两个日期是否填反或填错。",
         "Created {value} is after the row's won date {date}: a deal cannot be won before "
         "it was opened, and its sales cycle would be negative, pulling the average cycle "
         "down. Check whether the two dates are swapped or mistyped."),
    rule("date_after_period", W, "日期 {value} 晚于本期结束日 {period_end}：请检查是否填错。",
         "Date {value} is after the period end {period_end}: check it."),
    rule("date_before_history", W, "日期 {value} 早于历史窗口起点 {history_start}，不参与计算。",
         "Date {value} is before the history window start {history_start}; it is not used."),
    rule("partial_history", W,
         "最早的销售记录日期是 {value}：{what_zh}（{compared}）只有 {covered}/{months} "
         "个月有记录，{ratio_zh}是与不完整的{what_zh}相比。若更早的记录漏填了，请补入"
         "（xlsales import）；否则请带着这一点读这个比率。",
         "The earliest sales record is dated {value}: the {what_en} ({compared}) has records "
         "for {covered} of its {months} months, so {ratio_en} compares with part of it. If "
         "earlier records are missing, add them (xlsales import); otherwise read that ratio "
         "with this in mind."),
    rule("unknown_rep", E,
         "销售人员 {value!r} 不在“设置”表的销售人员名单中：请加入名单或改正姓名；若这些行"
         "是别人的（从同事的工作簿粘贴来的），请删除，不要改成自己的名字，否则团队汇总会把"
         "它们算两次。",
         "Rep {value!r} is not in the team list on the Settings sheet: add them or fix the "
         "name; rows that are someone else's (pasted from a colleague's workbook) should be "
         "deleted, not renamed to yours, or the team roll-up counts them twice."),
    rule("former_rep", W,
         "销售人员 {value!r} 不在“设置”表的销售人员名单中：这是本期之前的历史记录"
         "（已离开的同事？），仍计入环比、同比等；若是笔误，请改正姓名。",
         "Rep {value!r} is not in the team list on the Settings sheet: a history row from "
         "before the period (someone who left?), still counted in growth figures; if the "
         "name is a typo, fix it."),
    rule("after_rep_left", W,
         "日期 {value} 在 {rep} 离职（{left}，见“设置”表销售人员名单）之后：若是接手的同事的"
         "记录，请把销售人员改为其姓名；否则请改正日期或离职日期。",
         "Dated {value}, after {rep} left on {left} (the rep list of the Settings sheet): "
         "if the row is whoever took over, name them as its rep; else correct the date or "
         "the leaving date."),
    rule("before_rep_joined", W,
         "日期 {value} 在 {rep} 入职（{joined}，见“设置”表销售人员名单）之前：若是其他同事的"
         "记录，请把销售人员改为其姓名；否则请改正日期或入职日期。",
         "Dated {value}, before {rep} joined on {joined} (the rep list of the Settings "
         "sheet): if the row is someone else's, name them as its rep; else correct the "
         "date or the joining date."),
    rule("left_before_joined", W,
         "{rep} 的离职日期 {value} 早于入职日期 {joined}：请改正其中一个"
         "（计划不会给其分配目标）。",
         "{rep}'s leaving date {value} is before their joining date {joined}: correct one "
         "of them (the plan gives them no target)."),
    rule("owner_left", W,
         "{rep} 已于 {left} 离职（见“设置”表销售人员名单），{what_zh}：请改派给在职的同事。",
         "{rep} left on {left} (the rep list of the Settings sheet), {what_en}: reassign "
         "it to someone on the team."),
    rule("flagged_problem_incomplete", E, "纳入下期计划的问题必须填写“{label}”。",
         "A problem carried into the next plan needs '{label}'."),
    rule("plan_due_outside", E, "截止日期 {value} 不在下期（{start} ~ {end}）内。",
         "Due date {value} is outside the next period ({start} – {end})."),
    rule("plan_parts_differ", W,
         "计划目标 {target_id}（{period} {metric_zh}）{total} 与各人分解之和 {parts} 不符。"
         "下期工作簿（xlsales new --from）按各人的分解行取目标（即 {parts}）：若总数是对的，"
         "请改分解行，使其相加等于总数；否则把总数改为 {parts}。{also_zh}",
         "Plan target {target_id} ({period} {metric_en}) {total} differs from the sum of "
         "the reps' rows, {parts}. The next period's workbook (xlsales new --from) takes its "
         "targets from the reps' rows ({parts}): if the total is right, change those rows so "
         "that they add up to it; else set the total to {parts}.{also_en}"),
    rule("plan_rep_parts_differ", W,
         "计划目标 {target_id}（{rep} 的 {period} {metric_zh}）{total} 与其本人在该期间内各行之和 "
         "{parts} 不符。下期工作簿（xlsales new --from）取{taken_zh}：请把两者改为一致。",
         "Plan target {target_id} ({rep}'s {period} {metric_en}) {total} differs from the "
         "sum of their rows inside it, {parts}. The next period's workbook (xlsales new "
         "--from) takes {taken_en}: make them agree."),
    rule("period_missing", E, "基础信息缺少周期开始日期或周期类型，无法判断本期。",
         "Basic info has no period start or period type, so the period is unknown."),
    rule("currency_unclear", W,
         "币种 {value!r} 不是唯一的一种货币（“元”可以是人民币、新台币或港币，“¥”是人民币或"
         "日元，“$”是多种美元）：请写货币代码，如 CNY、TWD、HKD、USD，合并和导出才能确定本"
         "工作簿的币种。",
         "The currency {value!r} names no one currency ('元' is the yuan, the New Taiwan or "
         "the Hong Kong dollar, '¥' the yuan or the yen, '$' any of the dollars): write its "
         "code, such as CNY, TWD, HKD or USD, so that roll-ups and the export can tell the "
         "workbook's currency."),
    rule("currency_unknown", W,
         "币种 {value!r} 不是 ISO 4217 货币代码{near_zh}：请改为正确的代码（如 CNY、TWD、HKD、"
         "USD），否则合并时它与其他成员的币种不符而被排除，计划和导出的金额单位也随之出错。",
         "The currency {value!r} is no ISO 4217 currency code{near_en}: correct it (CNY, TWD, "
         "HKD, USD …); else a roll-up leaves the book out as in another currency, and plans "
         "and the export name that unit for its amounts."),
    rule("period_start_unaligned", E,
         "周期类型为{kind_zh}，但周期开始 {value} 不是{kind_zh}的开始（{starts_zh}）：本工作簿"
         "按 {dates} 计算，却标为 {label}，与其他 {label} 的工作簿不是同一时段，合并和导出时"
         "会混在一起。请把周期开始改为 {fix_zh}；要按月汇总，请把周期类型改为月度。",
         "The period type is {kind_en} but the period start {value} is not the start of a "
         "{kind_en} ({starts_en}): this workbook counts {dates_en} yet is labelled {label}, "
         "not the dates of other {label} workbooks, and roll-ups and the export would mix "
         "them up. Change the period start to {fix_en}; for a month, set the period type "
         "to month."),
    rule("period_start_day", E,
         "周期开始 {value} 不是月初：xlsales 按 {period}（{first} ~ {end}）计算，而工作簿的 "
         "KPI 表从 {value} 起算，两者会不一致。请改为 {first}。",
         "The period start {value} is not the first day of a month: xlsales counts {period} "
         "({first} to {end}) while the workbook's KPI sheet counts from {value}, so the two "
         "would differ. Change it to {first}."),
    rule("target_in_two_books", W,
         "{rep} 的目标（{months_zh}）在本工作簿和 {other} 中都有设定：两个工作簿一起合并时，"
         "同一个人同一个月的目标只计一次。请确认两处一致，或只在其中一个工作簿中设定。",
         "{rep}'s target for {months_en} is set both in this workbook and in {other}: rolled "
         "up together, one person's target for a month counts once. Check the two agree, "
         "or set it in one of the workbooks only."),
])
