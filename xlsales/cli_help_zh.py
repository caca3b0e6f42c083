"""The Chinese of the command line's ``--help``, in one place: each command's help (its
first line, shown in the command list, and its body with the exit codes) and each
option's, keyed by the command's name ("" for ``xlsales`` itself) and the option's first
long name. Written in Simplified; a Traditional reader gets them converted
(:mod:`xlsales.cli_help`). Option names, commands, file names and values stay ASCII.

A paragraph is one line of text (the formatter wraps it to the terminal's width); a
blank line separates paragraphs. ``tests/test_cli_help_zh.py`` fails on an option or a
command without its Chinese here."""

from __future__ import annotations

from dataclasses import dataclass

from xlsales.export_schema import DEFAULT_TABLES, EXPORTS


@dataclass(frozen=True)
class CommandHelp:
    """A command's help in Chinese: ``short`` in the list of commands, ``body`` (None:
    ``short`` alone) on its own ``--help``."""

    short: str
    body: str | None = None

    @property
    def text(self) -> str:
        """The help shown by the command's ``--help``."""
        return self.body if self.body is not None else self.short


#: The help of ``--help`` itself, on every command.
HELP_OPTION = "显示本帮助并退出。"

#: Click's own words in a help page, in Chinese.
USAGE_PREFIX = "用法："
SECTIONS = {"Options": "选项", "Commands": "命令"}
EXTRAS = (("default: ", "默认："), ("required", "必填"))
USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))

COMMANDS: dict[str, CommandHelp] = {
    "": CommandHelp(
        "xlsales：用 Excel 做销售工作总结与下期计划。",
        "xlsales：用 Excel 做销售工作总结与下期计划。\n\n"
        "先运行 `xlsales demo` 看看示例团队的工作簿，或运行 `xlsales new` 生成一份可以直接填写的"
        "工作簿。\n\n"
        "English help: xlsales --lang en --help"),
    "build-templates": CommandHelp("重新生成标准模板（可复现：同样的规格，同样的字节）。"),
    "consolidate": CommandHelp(
        "把各成员的工作簿合并汇总为一个，并把下期计划分解到各成员。",
        "把各成员的工作簿（文件、文件夹或通配符）合并汇总为一个工作簿，"
        "并把下期计划分解到各成员。\n\n"
        "以下工作簿不会并入：无法读取的、有校验错误的、周期不同的、金额币种与多数成员不同的；"
        "以及会被重复计算的：另一份工作簿的副本（负责人相同、各行完全相同），同一销售两个版本中"
        "较早保存的那份（负责人相同、有共同的订单、其他行不同：改过金额、增删过订单），"
        "已包含在同时给出的某个合并汇总表中的，以及本命令上次写出的 OUTPUT。每一份都会说明原因；"
        "出现在两个成员工作簿中的订单会列出。\n\n"
        "退出码 0：所有成员都已合并（副本和旧版本已排除）；2：有成员因内容问题或无法读取而未并入，"
        "某个成员的合并汇总表缺少它的部分成员，某个通配符或文件夹里没有工作簿，或所给文件夹中"
        "有装着工作簿的子文件夹（不会读取）（合并汇总表照常写出，只是不含它们），"
        "或者没有可合并的工作簿。"),
    "demo": CommandHelp("用内置的示例团队数据演示主要流程。"),
    "export": CommandHelp(
        "把一个或多个工作簿导出为供财务使用的数据表。",
        "把一个或多个工作簿导出为机器可读的数据表，供财务使用。\n\n"
        "BOOKS：工作簿文件、文件夹（其中的 .xlsx/.xlsm 文件）或通配符。\n\n"
        "退出码 0：已导出；2：有工作簿无法使用（给出多个时，其余的照常导出，未导出的在 stderr "
        "中列出；一个都不能用时不写出任何文件），或者某个文件夹或通配符里没有工作簿，或所给"
        "文件夹中有装着工作簿的子文件夹（不会读取）（同 consolidate）。\n\n"
        "导出文件夹中会写入 export_manifest.json，列出本次写出的文件。以前导出同一批工作簿时写在"
        "那里、本次不导出的表（--tables 不同）如果之后没有改过，会被删除；其他文件一律保留，"
        "保留下来的以前导出的表会在 stderr 中列出。"),
    "import": CommandHelp(
        "把 CRM 导出（CSV 或 xlsx）中的销售记录追加到 BOOK。",
        "把 CRM 导出文件（CSV 或 xlsx）中的销售记录追加到 BOOK。\n\n"
        "除非用 --map 或 --mapping 指定，各列按表头匹配（字段键名，简体、繁体中文或英文的列名，"
        "或各 CRM 的叫法）。BOOK 中已有其订单编号的行、必填字段无法读取的行会跳过并报告；"
        "无法读取的选填值按导出的原样导入并标出；周期之外的行作为历史数据保留。标有与 BOOK "
        "不同币种的金额（写在金额里，或由币种列给出：Amount Currency、币种）连同其货币写入"
        "（15,000 USD）并报告出来，绝不换算：换算前校验会标为错误。\n\n"
        "退出码 0：每一行都已导入或 BOOK 中已有；1：有行因必填字段为空或无法读取、"
        "或订单编号重复而其他值不同（两条订单行）而跳过；"
        "2：导出文件或 BOOK 无法使用（不写入任何内容）。\n\n"
        "表头带 % 的概率列（Probability (%)、赢单概率(%)）按百分点读取：10 即 10 %"
        "（设为百分比格式的单元格按显示的值读取）。表头注明单位的金额列（金额（万元）、"
        "Amount (K)）会乘以该单位；没有金额列时，已赢单的行不予导入。11/1/2026 这样的日期，"
        "按导出中其他日期能证明的次序读取（10/20/2026：月在前），或按 --date-order 指定的次序，"
        "绝不猜测。使用 --rep 时只导入所列销售的行（比较姓名时忽略空格和繁简差异）；"
        "BOOK 的自定义列由导出中表头相同的列填入。BOOK 中的其他内容不变。"),
    "kpis": CommandHelp("用 Python 引擎计算 BOOK 的 KPI 指标。"),
    "new": CommandHelp("生成一份可以直接填写的总结工作簿。"),
    "plan": CommandHelp("根据 BOOK 的总结生成下期计划工作表。"),
    "validate": CommandHelp(
        "校验 BOOKS 中的每一项填写。",
        "校验 BOOKS 中的每一项填写：一个工作簿，或多个（文件、文件夹、通配符），"
        "逐个单独校验。\n\n"
        "退出码 0：没有错误；1：发现错误；2：有文件无法使用（给出多个时，其余的照常校验）。"),
}

_OVERWRITE_OUTPUT = "OUTPUT 已存在时覆盖它。"

OPTIONS: dict[tuple[str, str], str] = {
    ("", "--version"): "显示版本号并退出。",
    ("", "--lang"): "帮助的语言：zh 中文，en 英文（默认：XLSALES_LANG 或系统语言为中文时用中文，"
                    "否则用英文）。写在命令之前时，也作为该命令的 --lang。",
    ("build-templates", "--out"): "标准模板所在的文件夹。",
    ("consolidate", "--output"): "要写出的合并汇总工作簿（.xlsx）。",
    ("consolidate", "--level"): "合并汇总的层级：团队（team）、区域（region）或公司（company）。",
    ("consolidate", "--name"): "团队、区域或公司的名称（默认：输出文件的文件名）。",
    ("consolidate", "--workers"): "并行读取的进程数（默认：CPU 核数）。",
    ("consolidate", "--plan"): "加入下期计划，把目标分解到各成员（与用默认选项运行 "
                               "`xlsales plan OUTPUT` 相同）。",
    ("consolidate", "--lang"): "合并汇总表的语言（默认：多数成员的语言；相持时，--name 含"
                               "汉字则用中文，否则用英文）。",
    ("consolidate", "--force"): "OUTPUT 已存在时替换它（其中有你填写的内容时，先另存为 "
                                "OUTPUT.backup-<时间>.xlsx）。",
    ("demo", "--out"): "示例工作簿写入的文件夹。",
    ("demo", "--force"): "覆盖上次运行留下的示例文件。",
    ("demo", "--lang"): "全部用这种语言运行，只生成该语言的示例工作簿（默认：中英文示例各一份，"
                        "其余输出用中文）。",
    ("export", "--format"): "文件格式（CSV 为带 BOM 的 UTF-8；parquet 需要安装 pyarrow）。",
    ("export", "--tables"): "要导出的表，用逗号分隔，可选：" + ", ".join(EXPORTS) + "。默认："
                            + ", ".join(DEFAULT_TABLES) + "。",
    ("export", "--out"): "导出文件所在的文件夹。",
    ("export", "--labels"): "在所有工作簿中都用这种语言写内置的区域、产品、问题类别和预算类别，"
                            "以及计划目标的指标和单位（中英文工作簿一起导出时便只有一个 华东，"
                            "而不是 华东 和 East）。默认：沿用各工作簿自己的写法。",
    ("export", "--lang"): "stderr 上提示的语言（默认：各工作簿自己的语言；涉及所有工作簿的提示"
                          "中英双语）。",
    ("import", "--into"): "接收这些行的工作簿（.xlsx/.xlsm），行追加到它的销售记录中。",
    ("import", "--map"): "指定导出中哪一列是某个字段（--map amount=成交金额）、每行的币种"
                         "（--map currency=币种）或 BOOK 的某个自定义列（--map 行业="
                         "'Industry Code'）；可重复使用，优先于 --mapping 和按表头匹配。",
    ("import", "--mapping"): "字段到列的映射文件：JSON {\"amount\": \"成交金额\"}，或每行一对 "
                             "字段,列名 的 CSV。",
    ("import", "--rep"): "只导入这个销售的行（可重复使用）：把团队的导出导入某个销售自己的"
                         "工作簿。其他销售的行只计数，不导入。",
    ("import", "--date-order"): "导出中写成 11/1/2026 这样的日期、而没有哪个日期能说明次序时"
                                "（日大于 12 的能说明：10/20/2026）的日月次序：mdy 月在前"
                                "（美国 CRM 的写法），dmy 日在前。",
    ("import", "--dry-run"): "只报告会导入什么，不写入任何内容。",
    ("kpis", "--period"): "要计算的周期（默认：工作簿的周期）：2026-11、2026-Q4 或 2026。",
    ("kpis", "--by"): "再按此字段、或按月、按季度细分 KPI：每月（每季度）单独作为一个周期计算，"
                      "增长率与上一个月（季度）相比，完成率按它自己的目标计算（一年按季度："
                      "2026-Q1 … 2026-Q4）。月度工作簿没有完整的季度：--by quarter 会说明该用哪个 "
                      "--period。对合并汇总表（xlsales consolidate），--by member 列出每个成员的 "
                      "KPI，与该成员自己的工作簿一致。",
    ("kpis", "--json"): "以 JSON 输出 KPI（键名与产品规格一致）。",
    ("kpis", "--lang"): "文字输出和提示的语言（默认：工作簿的语言；--write 添加的报告工作表"
                        "用工作簿的语言）。",
    ("kpis", "--write"): "在 BOOK 中添加（或更新）KPI 报告工作表：可编辑的总结、销售排名、月度"
                         "趋势、各季度（年度报告）、销售漏斗、全部 KPI 和原生图表。BOOK 中的其他"
                         "内容不变；编辑过的总结会保留。",
    ("new", "--lang"): "工作簿的语言（默认 zh，或沿用 --from 工作簿的语言）。",
    ("new", "--period"): "2026-11（月度）、2026-Q4（季度）或 2026（年度）。默认：本月。",
    ("new", "--level"): "谁的总结：个人（individual）、团队（team）、区域（region）或公司"
                        "（company）。",
    ("new", "--role"): "决定说明页侧重什么：一线销售（rep）、销售经理（manager）或销售总监"
                       "（director）。",
    ("new", "--owner"): "个人或团队的名称，写在每张工作表上。",
    ("new", "--output"): "输出文件：.xlsx，或带按钮、启用宏的 .xlsm（需要 xlwings）。默认："
                         "xlsales_<period>_<owner|level>_<lang>.xlsx",
    ("new", "--force"): "输出文件已存在时覆盖它。",
    ("new", "--currency"): "金额所用的货币，ISO 代码，如 CNY、TWD、HKD 或 USD（默认 CNY，或沿用 "
                           "--from 工作簿的货币）。",
    ("new", "--from"): "从 BOOK（含计划的总结工作簿）开始下一期：沿用它的设置、历史数据、计划"
                       "目标和待回顾的行动。给出三次、即一个季度的三个月度工作簿时：生成该季度的"
                       "总结，汇集它们的记录、问题、经验和上期行动（及其完成情况）；给出一年的"
                       "四个季度工作簿（或十二个月度工作簿）时：生成该年度的总结。",
    ("plan", "--output"): "把含计划的工作簿写到 OUTPUT，不改动 BOOK。",
    ("plan", "--target"): "下期销售额目标，如 1800000。",
    ("plan", "--growth"): "相对本期销售额的增长率，如 12%。",
    ("plan", "--target-from"): "以 TEAM.xlsx（合并汇总表或做好计划的团队工作簿）的计划分给 BOOK "
                               "负责人的目标，作为销售额目标。",
    ("plan", "--method"): "目标如何分摊到各月（月度计划再按工作日分到各周）。",
    ("plan", "--split"): "目标如何分给各销售：按本期占比（share）、平均分（equal），或按设置表"
                         "销售名单中设定的权重（weights）。",
    ("plan", "--new-version"): "计划工作表已存在且编辑过：在旁边另写一套新的（'… v2'）。",
    ("plan", "--replace"): "先备份 BOOK，再覆盖编辑过的计划工作表。",
    ("plan", "--force"): _OVERWRITE_OUTPUT,
    ("validate", "--json"): "以 JSON 输出校验结果（BOOKS 为多个、文件夹或通配符时输出一个列表，"
                            "每个工作簿一项）。",
    ("validate", "--lang"): "提示信息的语言（默认：工作簿的语言）。",
    ("validate", "--all"): "列出全部校验结果：不汇总提示（info）类结果，同一类超过五条也不汇总。",
    ("validate", "--write"): "在每个工作簿中添加（或更新）校验结果工作表，附指向单元格的链接；"
                             "给有问题的单元格加底色；把紧挨在表格下方输入的行纳入表格；补回"
                             "销售记录中缺失的计算列公式。其他内容不变。无法写入的工作簿（只读、"
                             "正在 Excel 中打开）照样列出校验结果，退出码为 2。",
}
