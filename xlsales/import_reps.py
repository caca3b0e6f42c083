"""``xlsales import --rep NAME``: only the named reps' rows of a team's export.

A team's CRM export holds every rep's rows; a rep importing into their own workbook wants
theirs only. Names are compared as people's names are
(:func:`~xlsales.person_names.person_key`: case, width and spaces aside, Traditional
characters as Simplified: ``張 偉`` is ``张伟``, ``王　芳`` with a full-width space is
``王芳``).
A name no row of the export holds is refused naming the reps it does hold: a misspelt
``--rep`` would otherwise import nothing and say nothing went wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from xlsales.errors import UsageError
from xlsales.import_emails import EmailMatches, by_email
from xlsales.person_names import person_key
from xlsales.values import is_blank

#: The export's reps named in the error for a ``--rep`` it does not hold; the rest counted.
REPS_SHOWN = 30


def wanted_reps(names: Sequence[str], values: Sequence[object],
                header: str) -> dict[str, str] | None:
    """The :func:`~xlsales.person_names.person_key` of each of ``names`` (``--rep``) →
    the name as given, checked against the export's rep column ``header`` holding
    ``values``; None when no name is given (every row is imported). Raises
    :class:`~xlsales.errors.UsageError` naming the reps the export holds when one of
    ``names`` is none of them."""
    if not names:
        return None
    held: Counter[str] = Counter()
    spelled: dict[str, str] = {}  # key → the first spelling in the export
    for value in values:
        if is_blank(value):
            continue
        key = person_key(value)
        held[key] += 1
        spelled.setdefault(key, str(value).strip())
    unknown = [n for n in names if person_key(n) not in held]
    if unknown:
        reps = [spelled[k] for k, _ in held.most_common()]
        shown, more = reps[:REPS_SHOWN], len(reps) - REPS_SHOWN
        zh_list = "、".join(shown) + (f" 等 {len(reps):,} 人" if more > 0 else "")
        en_list = ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")
        if not reps:
            zh_list, en_list = "（该列是空的）", "(the column is empty)"
        raise UsageError(
            f"导入文件的“{header}”列中没有 --rep 给出的销售人员：{'、'.join(unknown)}。该列中的"
            f"销售人员（行数多的在前）：{zh_list}。请按其中的写法给出 --rep（繁简、空格不限）。",
            f"No row of the export names the rep {', '.join(unknown)} (--rep) in its column "
            f"'{header}'. The reps it holds (most rows first): {en_list}. Give --rep as one of "
            "them (Traditional or Simplified characters and spaces aside).")
    return {person_key(n): n.strip() for n in reversed(names)}  # the first given wins


def is_other_rep(value: object, wanted: Mapping[str, str] | None) -> bool:
    """Whether a row whose rep is ``value`` belongs to a rep ``--rep`` did not name (a row
    with no rep is nobody else's: it is imported or skipped as any row is)."""
    return wanted is not None and not is_blank(value) and person_key(value) not in wanted


def as_given(values: list[object], wanted: Mapping[str, str] | None) -> list[int]:
    """Writes each of ``values`` naming a rep of ``wanted`` as ``--rep`` gave it (``張 偉``
    as ``张伟``: the rows are that rep's, and the workbook names them one way); the
    positions changed."""
    changed = []
    for i, value in enumerate(values):
        if wanted is None or is_blank(value):
            continue
        name = wanted.get(person_key(value))
        if name is not None and name != value:
            values[i] = name
            changed.append(i)
    return changed


def as_listed(values: list[object], listed: Sequence[object]) -> list[int]:
    """Writes each of ``values`` as the workbook's list of reps ``listed`` names the same
    person (``张伟`` from ``--rep 张伟`` as ``張偉`` in a book converted to Traditional:
    validation takes reps as typed, so the other spelling would be an unknown rep); a
    name the list holds in two spellings stays as it is. The positions changed."""
    spellings: dict[str, set[str]] = {}
    for name in listed:
        if not is_blank(name):
            spellings.setdefault(person_key(name), set()).add(str(name).strip())
    return as_given(values, {key: next(iter(names)) for key, names in spellings.items()
                             if len(names) == 1})


def wanted_rows(names: Sequence[str], values: list[object], header: str,
                listed: Sequence[object], said: EmailMatches | None = None
                ) -> tuple[dict[str, str] | None, list[int]]:
    """:func:`wanted_reps` for ``--rep`` ``names`` and the export's rep column ``header``
    holding ``values``, whose owners exported as email addresses are first written as the
    rep they name (:func:`~xlsales.import_emails.by_email`: of the workbook's list
    ``listed``, else of ``names``: ``--rep "Alice Chen"`` takes ``alice.chen@corp.com``),
    then each of ``names``' rows as given (:func:`as_given`); with the positions of
    ``values`` changed. ``said`` collects the addresses matched by pinyin or fitting
    several reps."""
    changed = (by_email(values, listed, said) + by_email(values, names, said)
               if names else [])
    wanted = wanted_reps(names, values, header)
    return wanted, changed + as_given(values, wanted)


def rep_column_missing(names: Sequence[str], suggestion: str) -> UsageError:
    """The error for ``--rep`` with an export none of whose columns is matched to the rep:
    ``suggestion`` is the ``--map rep=…`` to try (empty when no column is left)."""
    given = ", ".join(names)
    if suggestion:
        return UsageError(
            f"--rep {given} 需要导入文件中写着销售人员的列，但没有哪一列对应到销售人员（rep）。"
            f"请用 --map rep=列名 指定，例如 {suggestion}。",
            f"--rep {given} needs the export's column naming each row's rep, and none is "
            f"matched to the rep. Say which with --map rep=Column, e.g. {suggestion}.")
    return UsageError(
        f"--rep {given} 需要导入文件中写着销售人员的列，但导入文件的每一列都已对应到其他字段。"
        "请在 CRM 中把负责人加入导出后重新导出。",
        f"--rep {given} needs the export's column naming each row's rep, and each of its "
        "columns is matched to another field. Add the owner to the CRM's export and export "
        "again.")


def other_reps_line(count: int, names: Sequence[str], lang: str) -> list[str]:
    """The report's one line for the rows of other reps left out by ``--rep``."""
    if not count:
        return []
    names = list(dict.fromkeys(n.strip() for n in names))  # `--rep 林怡君 --rep 林怡君`: once
    if lang == "zh":
        return [f"  其他销售人员的 {count:,} 行未导入（--rep {'、'.join(names)}）。"]
    rows = "row" if count == 1 else "rows"
    return [f"  {count:,} {rows} of other reps not imported (--rep {', '.join(names)})."]
