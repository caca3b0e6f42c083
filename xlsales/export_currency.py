"""What ``xlsales export`` says when the books it exported keep their amounts in more than
one currency: the tables stack them all, never converted, so a total over every row of
``revenue`` or ``amount`` would add yuan to dollars. Each row names its currency
(``report_currency``); the note on stderr says which books are in which one."""

from __future__ import annotations

from collections.abc import Mapping

from xlsales.spec import Lang

#: Books named one by one under a currency up to this many; more are counted.
NAMED_UP_TO = 3


def _books_in(names: list[str], lang: Lang) -> str:
    """The books of one currency: their names, or how many when there are more than
    :data:`NAMED_UP_TO`."""
    if len(names) <= NAMED_UP_TO:
        return ("、" if lang == "zh" else ", ").join(names)
    return f"{len(names)} 个工作簿" if lang == "zh" else f"{len(names)} workbooks"


def _by_currency(currencies: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """The books (their ``source_file``) of each currency, the currency of most books
    first (then by code)."""
    books: dict[str, list[str]] = {}
    for name, code in currencies.items():
        books.setdefault(code, []).append(name)
    return sorted(books.items(), key=lambda item: (-len(item[1]), item[0]))


def _note(groups: list[tuple[str, list[str]]], lang: Lang) -> str:
    """The note in one language."""
    if lang == "zh":
        listed = "；".join(f"{code}：{_books_in(names, lang)}" for code, names in groups)
        return (f"[export] 注意：导出的工作簿的金额是 {len(groups)} 种币种（{listed}），"
                "金额没有换算，不同币种不能相加：请按 report_currency 列分开求和")
    listed = "; ".join(f"{code}: {_books_in(names, lang)}" for code, names in groups)
    return (f"[export] note: the workbooks exported keep their amounts in "
            f"{len(groups)} currencies ({listed}); amounts are not converted and cannot be "
            "added up across currencies: sum by the report_currency column")


def currency_lines(currencies: Mapping[str, str], lang: Lang | None = None) -> list[str]:
    """What to say, on stderr, of the currencies of the books exported (``source_file``
    → ISO code): nothing when they share one; otherwise which books are in which, in
    ``lang`` (both languages when None)."""
    groups = _by_currency(currencies)
    if len(groups) < 2:
        return []
    return [_note(groups, lang)] if lang else [_note(groups, "zh"), _note(groups, "en")]
