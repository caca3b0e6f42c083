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


def _candidates(code: str) -> list[str]:
    """The ISO codes an unclear currency mark may stand for (``¥``: CNY, JPY; ``CYN``, a
    typo: CNY …); none known for text such as ``$``."""
    from xlsales.currency import ISO_CODES, book_currencies, unknown_code

    typo = unknown_code(code)
    if typo is not None:
        return typo[1]
    return sorted(c for c in book_currencies(code) or () if c in ISO_CODES)


def _unclear_note(name: str, code: str, typed: str, lang: Lang) -> str:
    """The note on one book whose currency is no ISO code, in one language."""
    may = _candidates(code)
    example = may[0] if may else ("CNY、USD" if lang == "zh" else "CNY or USD")
    if lang == "zh":
        which = f"（可能是 {'、'.join(may)}）" if may else ""
        return (f"[export] 注意：{name} 的币种写作 “{code}”，不是一种货币的 ISO 代码{which}："
                f"它各行的 report_currency 原样为 “{code}”，看不出金额是哪种币种；请让负责人在"
                f"基本信息的币种中写代码（如 {example}）；运行 xlsales validate {typed} 查看该"
                "单元格")
    which = f" ({' or '.join(may)}?)" if may else ""
    return (f"[export] note: {name} names its currency '{code}', which is no ISO currency "
            f"code{which}: its rows' report_currency is '{code}' as typed, which tells no "
            f"currency; ask its owner to write the code (such as {example}) as the currency "
            f"on its basic information; run `xlsales validate {typed}` to see the cell")


def unclear_lines(currencies: Mapping[str, str], typed: Mapping[str, str],
                  lang: Lang | None = None, langs: Mapping[str, str] | None = None
                  ) -> list[str]:
    """What to say, on stderr, of each book exported (``source_file`` → its
    ``report_currency``) whose currency is no ISO code (``¥``, ``$``, a typo ``CYN``):
    finance cannot tell which currency its amounts are in. ``typed``: each book's path
    as the user types it, for the ``xlsales validate`` that shows the cell; in ``lang``,
    else in the book's own (``langs``), else in both languages."""
    from xlsales.currency import ISO_CODES

    out = []
    for name, code in currencies.items():
        if code in ISO_CODES:
            continue
        own = lang or (langs or {}).get(name)
        for one in ([own] if own in ("zh", "en") else ["zh", "en"]):
            out.append(_unclear_note(name, code, typed.get(name, name), one))
    return out
