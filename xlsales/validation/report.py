"""Findings as a readable text table and as JSON."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from xlsales.findings import Finding, Severity, count_by_severity
from xlsales.script_variant import OwnText
from xlsales.spec import SPEC, Lang
from xlsales.terminal_script import finding_keep

SEVERITY_LABEL = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}


#: Findings of one kind (severity, rule, sheet, column) listed before the rest of that
#: kind is summarised in one line (``--all`` lists every one).
SHOWN_PER_KIND = 5


def _kind(finding: Finding) -> tuple[object, ...]:
    return (finding.severity, finding.rule, finding.sheet, finding.column)


def _listed(findings: list[Finding], show_all: bool) -> list[Finding | list[Finding]]:
    """What the report lists: errors first, then warnings (then info with ``show_all``),
    each finding in the order found, but of a kind with more than :data:`SHOWN_PER_KIND`
    findings the first ones and then the rest as one list (unless ``show_all``)."""
    order = {s: i for i, s in enumerate(Severity)}
    shown = sorted((f for f in findings if show_all or f.severity is not Severity.INFO),
                   key=lambda f: order[f.severity])
    if show_all:
        return list(shown)
    listed: list[Finding | list[Finding]] = []
    rest: dict[tuple[object, ...], list[Finding]] = {}  # kind → its findings past the first
    seen: Counter[tuple[object, ...]] = Counter()
    for f in shown:
        kind = _kind(f)
        seen[kind] += 1
        if seen[kind] <= SHOWN_PER_KIND:
            listed.append(f)
        elif kind in rest:
            rest[kind].append(f)
        else:  # the summary line takes the place of the kind's first finding past them
            rest[kind] = [f]
            listed.append(rest[kind])
    return listed


def _where(f: Finding) -> str:
    return f"{f.sheet}!{f.cell}" if f.cell else f.sheet


def text_report(path: Path, findings: list[Finding], lang: Lang, limit: int = 200,
                show_info: bool = False, book_lang: Lang | None = None,
                own: OwnText | None = None) -> list[str]:
    """Lines of a readable report: errors, then warnings, one per line (up to ``limit``
    lines) — past :data:`SHOWN_PER_KIND` findings of one rule in one column, one line
    says how many more and where — and info findings summarised by kind; ``show_info``
    lists every finding, info too. Columns are named as the workbook names them (in
    ``book_lang``, default ``lang``), as the findings' messages do. ``own``: xlsales'
    text in the book's script (:mod:`xlsales.terminal_script`)."""
    label = SEVERITY_LABEL[lang]
    zh, own = lang == "zh", own or OwnText()
    lines = [own(f"{path.name}: " + severity_counts(findings, lang), (path.name,))]
    listed = _listed(findings, show_info)
    singles = [f for f in listed[:limit] if isinstance(f, Finding)]
    width = max((len(_where(f)) for f in singles), default=0)
    for item in listed[:limit]:
        if isinstance(item, Finding):
            message = item.message_zh if zh else item.message_en
            lines.append(f"  {own(label[item.severity]):<7} {_where(item):<{width}}  "
                         f"{item.rule:<26} {own(message, finding_keep(item))}")
            continue
        first, last = item[0], item[-1]
        span = _where(first) if len(item) == 1 else (
            f"{_where(first)} 至 {last.cell or last.sheet}" if zh
            else f"{_where(first)} to {last.cell or last.sheet}")
        lines.append(own(f"  … 同类{label[first.severity]}还有 {len(item):,} 条（{span}）；"
                     "--all 列出全部", (first.sheet, last.sheet)) if zh else
                     f"  … {len(item):,} more {label[first.severity]}"
                     f"{'s' if len(item) > 1 else ''} like this ({span}); --all lists them all")
    if len(listed) > limit:
        rest = sum(len(i) if isinstance(i, list) else 1 for i in listed[limit:])
        lines.append(own(f"  … 另有 {rest:,} 条，完整列表请用 --all、--json 或 --write"
                         "（校验结果表）")
                     if zh else f"  … {rest:,} more; --all, --json or --write (the "
                     "validation sheet) list them all")
    infos = Counter((f.sheet, column_label(f, book_lang or lang), _what(f, lang))
                    for f in findings if f.severity is Severity.INFO) if not show_info else {}
    if infos:
        lines.append(own("  自动修正（提示）：") if zh else "  Automatic repairs (info):")
        quoted = own.keeping(f.value for f in findings if f.severity is Severity.INFO)
        for (sheet, column, what), n in sorted(infos.items(), key=lambda kv: -kv[1])[:20]:
            where = f"{sheet} {own(column)}" if column else sheet
            lines.append(f"    {n:>7,} × {where}{'：' if zh else ': '}{quoted(what)}")
    return lines


def restored_lines(restored: list[Finding], lang: Lang, own: OwnText | None = None
                   ) -> list[str]:
    """Lines saying what ``validate --write`` put right: the tables it extended over rows
    below them (``table_extended``), the calculated-column formulas it put back
    (``formula_restored``, one per column), as the report's lines are laid out."""
    if not restored:
        return []
    own = own or OwnText()
    head = (own("  已修正（--write）：") if lang == "zh" else "  Put right (--write):")
    where = [f"{f.sheet}!{f.cell}" if f.cell else f.sheet for f in restored]
    width = max(len(w) for w in where)
    return [head] + [f"    {w:<{width}}  " + (own(f.message_zh, finding_keep(f)) if lang == "zh"
                                             else f.message_en)
                     for w, f in zip(where, restored, strict=True)]


def column_label(finding: Finding, lang: Lang) -> str:
    """The label the workbook shows for the finding's column in ``lang`` (its key when the
    spec has no such column: a custom one); empty when the finding names no column."""
    if finding.column is None:
        return ""
    try:
        return SPEC.table(finding.table or "").column(finding.column).label.get(lang)
    except KeyError:
        return finding.column


def _what(finding: Finding, lang: Lang) -> str:
    """What an info finding did, without the cell and value it names first."""
    if lang == "zh":
        return finding.message_zh.split("：", 1)[-1]
    return finding.message_en.split(": ", 1)[-1]


def severity_counts(findings: list[Finding], lang: Lang) -> str:
    """How many findings of each severity: ``3 errors, 1 warning, 0 info`` (``3 错误，1 警告，
    0 提示``, with Chinese commas) — as every report of a validation says it."""
    counts = count_by_severity(findings)
    label = SEVERITY_LABEL[lang]
    return ("，" if lang == "zh" else ", ").join(f"{counts[s]:,} {label[s]}"
                     + ("s" if lang == "en" and counts[s] != 1 and s is not Severity.INFO
                        else "") for s in Severity)


def json_object(path: Path, findings: list[Finding], own: OwnText | None = None
                ) -> dict[str, Any]:
    """Findings for JSON: file, counts by severity and the list of findings (errors,
    then warnings, then info, as the text report and the validation sheet list them);
    ``own``: each ``message_zh`` in the book's script (a Traditional book's), the keys and
    the rest as they are."""
    counts = count_by_severity(findings)
    order = {s: i for i, s in enumerate(Severity)}
    return {
        "file": str(path),
        "counts": {s.value: n for s, n in counts.items()},
        "findings": [_json(f, own) for f in sorted(findings, key=lambda f: order[f.severity])],
    }


def _json(finding: Finding, own: OwnText | None) -> dict[str, object]:
    found = finding.to_json()
    if own is not None and own.script is not None:
        found["message_zh"] = own(finding.message_zh, finding_keep(finding))
    return found


def json_report(path: Path, findings: list[Finding], own: OwnText | None = None) -> str:
    """Findings as JSON (:func:`json_object`)."""
    return json.dumps(json_object(path, findings, own), ensure_ascii=False, indent=2)
