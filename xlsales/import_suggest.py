"""Which export column a field the import cannot find is most likely in, for the
``--map field=Column`` an error suggests: the column whose header is closest
(:mod:`difflib`) to one of the field's names: its key, its labels in both languages and
what CRMs call it (:data:`~xlsales.spec.declarations.CRM_HEADERS`), compared as headers
are matched (:func:`~xlsales.spec.traditional.name_key`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from xlsales.errors import UsageError
from xlsales.spec import Column
from xlsales.spec.declarations import CRM_HEADERS
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

#: How close a header must be to suggest it for a second field (the first field's
#: closest column is suggested however far: an example of ``--map`` is still shown).
CLOSE_ENOUGH = 0.5
_NOISE = re.compile(r"[\s_\-./()（）:：#]+")


def _compared(text: str) -> str:
    return _NOISE.sub(" ", name_key(text)).strip()


def closeness(column: Column, header: str) -> float:
    """How close ``header`` is to one of ``column``'s names (1 the same, 0 nothing alike)."""
    names = (column.key, column.label.zh, column.label.en, *CRM_HEADERS.get(column.key, ()))
    wanted = _compared(header)
    return max(SequenceMatcher(None, wanted, _compared(n)).ratio() for n in names)


def closest_columns(fields: Sequence[Column], headers: Sequence[str]) -> list[tuple[str, str]]:
    """(field key, header) for the fields ``fields`` the import did not find, each with the
    closest of the unmatched ``headers`` (each header suggested once, the closest pair
    first): the closest pair always, the others when close enough."""
    scored = sorted(((closeness(c, h), -i, -j, c.key, h) for i, c in enumerate(fields)
                     for j, h in enumerate(headers)), reverse=True)
    pairs: list[tuple[str, str]] = []
    keys: set[str] = set()
    taken: set[str] = set()
    for score, _, _, key, header in scored:
        if key in keys or header in taken or (pairs and score < CLOSE_ENOUGH):
            continue
        pairs.append((key, header))
        keys.add(key)
        taken.add(header)
    order = {c.key: i for i, c in enumerate(fields)}
    return sorted(pairs, key=lambda p: order[p[0]])


def map_example(fields: Sequence[Column], headers: Sequence[str]) -> str:
    """``--map key='Header'`` for :func:`closest_columns`, one after the other; ''
    when no header is left."""
    return " ".join(f"--map {k}={h!r}" for k, h in closest_columns(fields, headers))


def fields_not_found(absent: Sequence[Column], headers: Sequence[str],
                     mapped: Sequence[str]) -> UsageError:
    """The error for required fields ``absent`` no column of the export (``headers``;
    ``mapped`` are those matched to other fields) was matched to, with the ``--map`` to
    try naming the closest columns."""
    zh = "、".join(f"{c.label.zh}（{c.key}）" for c in absent)
    en = ", ".join(f"{c.label.en} ({c.key})" for c in absent)
    unmapped = [h for h in headers if h not in mapped]
    if not unmapped:  # every column is taken: the export lacks them
        return UsageError(
            f"导出文件中没有这些必填字段的列：{zh}（其每一列都已对应到其他字段）。请在 CRM 中"
            "把它们加入导出后重新导出。",
            f"The export has no column for: {en} (each of its columns is matched to "
            "another field). Add them to the CRM's export and export again.")
    example = map_example(absent, unmapped)
    return UsageError(
        f"无法确定这些必填字段对应的列：{zh}。导出文件中未对应的列：{'、'.join(unmapped)}。"
        f"若其中有，请用 --map 字段=列名 指定（例如 {example}）；若导出中没有这些列，"
        "请在 CRM 中把它们加入导出后重新导出。",
        f"Cannot tell which column holds: {en}. The export's columns not matched: "
        f"{', '.join(unmapped)}. If one of them holds it, say so with --map field=Column "
        f"(e.g. {example}); if the export has no such column, add it to the CRM's "
        "export and export again.")


#: Words in a header that say it may hold the amount, to name it when none is matched
_AMOUNT_WORDS = ("金额", "额", "amount", "value", "revenue", "price", "total", "价", "款")


def refuse_won_without_amount(data: Mapping[str, list[object]],
                              mapping: Mapping[str, str], headers: list[str],
                              source: pd.DataFrame) -> None:
    """Refuses an export with won rows and no column for the amount: imported, every won
    row would count no revenue. Names the export's column most likely to hold it."""
    if "amount" in mapping or "stage" not in data:
        return
    won = sum(1 for v in data["stage"] if v == "won")
    if not won:
        return
    free = [h for h in headers if h not in mapping.values()
            and not source[h].map(is_blank).all()]
    likely = next((h for w in _AMOUNT_WORDS for h in free if w in name_key(h)), None)
    if likely is not None:
        zh = (f"“{likely}”像是金额列：请用 --map amount={likely!r} 指定（表头注明单位的，如"
              "“（万元）”，按单位换算）。")
        en = (f"'{likely}' looks like the amount: say so with --map amount={likely!r} (a unit "
              "in its header, such as (K) or （万元）, is applied).")
    elif free:
        zh = (f"导入文件中未对应的列：{'、'.join(free)}；若其中有金额，请用 --map amount=列名 "
              "指定，否则请在 CRM 中把金额加入导出后重新导出。")
        en = (f"The export's columns not matched: {', '.join(free)}; if one holds the amount, "
              "say so with --map amount=Column, else add the amount to the CRM's export and "
              "export again.")
    else:
        zh = "导入文件的每一列都已对应到其他字段：请在 CRM 中把金额加入导出后重新导出。"
        en = ("Each of the export's columns is matched to another field: add the amount to "
              "the CRM's export and export again.")
    raise UsageError(
        f"导入文件有 {won:,} 行赢单，但没有哪一列对应到金额（amount）：这样导入，这些行都没有"
        f"金额，收入会少算。{zh}",
        f"The export has {won:,} won {'row' if won == 1 else 'rows'} but no column matched "
        f"to the amount: imported so, none of them would count any revenue. {en}")
