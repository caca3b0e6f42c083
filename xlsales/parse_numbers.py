"""Numbers as people type them — ``"¥1,234.50"``, ``"１２３"``, ``"12%"``, ``"1.2万"``,
``"(300)"`` — read as numbers, and the currency a mark names (never converted).

Pure functions, no Excel: :func:`parse_number` returns ``(value, conversion)`` as every
parser of :mod:`xlsales.normalise` does (:data:`INVALID` for text that is no number)."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final

from xlsales.iso_codes import ISO_CODES

INVALID: Final = object()  # marker: the text cannot be read as the wanted type

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_TWD, _HKD, _USD, _CNY = (frozenset({c}) for c in ("TWD", "HKD", "USD", "CNY"))
#: Currency marks written before or after an amount, with or without a space (compared in
#: lower case, full-width folded: ``￥`` is ``¥``) → the ISO codes each may stand for; an
#: empty set: any currency (``$``). ``元`` is the yuan, the New Taiwan and the Hong Kong
#: dollar alike; ``¥`` the yuan and the yen.
CURRENCY_MARKS: dict[str, frozenset[str]] = {
    "$": frozenset(), "¥": frozenset({"CNY", "JPY"}), "元": frozenset({"CNY", "TWD", "HKD"}),
    "圆": frozenset({"CNY", "TWD", "HKD"}),  # 元 as a contract writes it (12,000圆整)
    # 元 as people say it (两千块, 2000块钱); yuan as English writes it
    **dict.fromkeys(("块", "块钱", "塊", "塊錢"), frozenset({"CNY", "TWD", "HKD"})),
    "yuan": _CNY,
    "nt$": _TWD, "ntd": _TWD, "nt": _TWD, "twd": _TWD,
    "新台币": _TWD, "新台幣": _TWD, "新臺幣": _TWD,
    "台币": _TWD, "台幣": _TWD, "臺幣": _TWD,
    "hk$": _HKD, "hkd": _HKD, "港币": _HKD, "港幣": _HKD, "港元": _HKD,
    "us$": _USD, "usd": _USD, "美元": _USD, "美金": _USD,
    "rmb": _CNY, "cny": _CNY, "人民币": _CNY, "人民幣": _CNY,
    "€": frozenset({"EUR"}), "eur": frozenset({"EUR"}),
    "£": frozenset({"GBP"}), "gbp": frozenset({"GBP"}),
    # other currencies named in Chinese end in 元 too: the longer name wins (欧元 is EUR)
    **dict.fromkeys(("欧元", "歐元"), frozenset({"EUR"})),
    **dict.fromkeys(("英镑", "英鎊"), frozenset({"GBP"})),
    **dict.fromkeys(("jpy", "円", "日元", "日圓", "日圆", "日币", "日幣"), frozenset({"JPY"})),
    **dict.fromkeys(("aud", "a$", "澳元", "澳币", "澳幣"), frozenset({"AUD"})),
    **dict.fromkeys(("cad", "c$", "加元", "加币", "加幣"), frozenset({"CAD"})),
    **dict.fromkeys(("krw", "₩", "韩元", "韓元"), frozenset({"KRW"})),
    **dict.fromkeys(("sgd", "s$", "新加坡元", "新币", "新幣"), frozenset({"SGD"})),
    **dict.fromkeys(("mop", "澳门币", "澳門幣", "澳门元", "澳門元"), frozenset({"MOP"})),
    # what a team in Southeast Asia or India meets in its reps' and partners' exports
    **dict.fromkeys(("myr", "rm", "令吉", "马币", "馬幣"), frozenset({"MYR"})),
    **dict.fromkeys(("idr", "rp", "印尼盾"), frozenset({"IDR"})),
    **dict.fromkeys(("thb", "฿", "泰铢", "泰銖"), frozenset({"THB"})),
    **dict.fromkeys(("php", "₱", "菲律宾比索", "菲律賓披索"), frozenset({"PHP"})),
    **dict.fromkeys(("vnd", "₫", "越南盾"), frozenset({"VND"})),
    **dict.fromkeys(("inr", "₹", "卢比", "盧比"), frozenset({"INR"})),
}
#: An ISO 4217 code as exports and ``xlsales import`` write it beside an amount (``2,000
#: CHF``, ``CHF 2,000``): in capitals, not touching a letter, so a word (``100 pcs``,
#: ``Dollars``) stays no mark. Those :data:`CURRENCY_MARKS` has are read as it says.
_ISO_BEFORE = re.compile(r"^([A-Z]{3})(?![A-Za-z])")
_ISO_AFTER = re.compile(r"(?<![A-Za-z])([A-Z]{3})$")
_MARKS = "|".join(re.escape(m) for m in sorted(CURRENCY_MARKS, key=len, reverse=True))
_CURRENCY_BEFORE = re.compile(f"^(?:{_MARKS})", re.I)
_CURRENCY_AFTER = re.compile(f"(?:{_MARKS})$", re.I)
#: number units (after the currency: ``6.16万元``), Traditional ``萬``/``億`` too, and
#: as people abbreviate them in Latin letters: ``12k``, ``1.2w`` (万, wàn), ``1.5M``
_UNITS = {"%": 0.01, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8,
          "k": 1e3, "K": 1e3, "w": 1e4, "W": 1e4, "m": 1e6, "M": 1e6}
#: a number written with its own unit after it (``1.2万``, ``12k``): :func:`has_own_unit`
_OWN_UNIT = re.compile(r"\d\s*[" + "".join(u for u in _UNITS if u != "%") + "]")
#: "exactly", after the yuan in contracts and receipts: ``12000元整``
_EXACTLY = ("元整", "圆整")
#: a number in 万 and the rest in four digits (``6萬1600``, ``3万0500``), or in 亿 and
#: the rest in 万 (``1亿2000万``); not ``3万5`` nor ``3万500`` (35,000 or 30,500?)
_WAN_AND_REST = re.compile(r"^([+-]?)(\d+)(?:[万萬](\d{4})|[亿億](\d{1,4})[万萬])$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

def _fold(text: str) -> tuple[str, bool]:
    """NFKC-fold full-width characters (１２３，．％) and say whether anything changed."""
    folded = unicodedata.normalize("NFKC", text)
    return folded, folded != text


def parse_number(value: object) -> tuple[object, str | None]:
    """A number from a number or from text such as ``"¥1,234.50"``, ``"NT$ 61,600"``,
    ``"61,600 TWD"``, ``"１２３"``, ``"12%"`` (0.12, as Excel stores percentages),
    ``"1.2万"``, ``"6.16萬"``, ``"61.6千"``, ``"12k"``, ``"1.2w"``, ``"1.5M"``,
    ``"12000元整"``, ``"(300)"``. A currency mark is dropped, not
    converted (:func:`currency_of` says which currency it names). A number too long to
    keep exactly (:func:`too_many_digits`) is :data:`INVALID`."""
    number, code = _parse_number(value)
    return (INVALID, None) if code == _TOO_LONG else (number, code)


#: From this size on, a number keeps at most 15 significant digits (a double's precision,
#: and all Excel keeps): one written with more is changed by reading it, and is no amount
EXACT_LIMIT, EXACT_DIGITS = 1e15, 15
_TOO_LONG = "too_many_digits"


def too_many_digits(value: object) -> bool:
    """Whether ``value`` (a number, or text :func:`parse_number` reads) is :data:`EXACT_LIMIT`
    or more with more than :data:`EXACT_DIGITS` significant digits (``12345678901234567``,
    ``99999999999999999999``: most likely an ID or a phone number; ``1e20`` is exact)."""
    return _parse_number(value)[1] == _TOO_LONG


def _inexact(number: float, mantissa: str) -> bool:
    """Whether ``number``, written with the digits ``mantissa``, is too long to keep."""
    digits = mantissa.lstrip("+-").replace(".", "").strip("0")
    return abs(number) >= EXACT_LIMIT and len(digits) > EXACT_DIGITS


def has_own_unit(value: object) -> bool:
    """Whether ``value`` is text writing a number with its own unit (``1.2万``, ``12k``,
    ``1.5M``: :data:`_UNITS`), which a unit given elsewhere (a header's 万元) must not
    scale again."""
    return isinstance(value, str) and _OWN_UNIT.search(_fold(value)[0]) is not None


def _parse_number(value: object) -> tuple[object, str | None]:
    """:func:`parse_number`, with the code :data:`_TOO_LONG` for a number too long."""
    if isinstance(value, bool):
        return INVALID, None
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, None
        if isinstance(value, float) and math.isinf(value):
            return INVALID, None
        mantissa = str(value) if isinstance(value, int) else repr(value).split("e")[0]
        return (INVALID, _TOO_LONG) if _inexact(value, mantissa) else (float(value), None)
    if not isinstance(value, str):
        return INVALID, None
    text, folded = _fold(value)
    text = _SPACES.sub("", text)
    if not text:
        return None, None
    codes: list[str] = ["full_width"] if folded else []
    if text.endswith(_EXACTLY):
        text = text[:-1]
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
        codes.append("accounting_negative")
    text, marked = _strip_currency(text)
    if marked is INVALID:  # two marks naming different currencies: US$100TWD
        return INVALID, None
    if marked is not None:
        codes.append("currency")
    if m := _WAN_AND_REST.match(text):  # 6萬1600 (61,600), 1亿2000万 (120,000,000)
        number = (float(m[2]) * 1e4 + float(m[3]) if m[3] else
                  float(m[2]) * 1e8 + float(m[4]) * 1e4)
        number *= -1 if negative != (m[1] == "-") else 1
        return number, (codes[0] if codes else "wan")
    scale = _UNITS.get(text[-1:], 1.0) if text else 1.0
    if scale != 1.0:
        text = text[:-1]
        codes.append("percent_text" if scale == 0.01 else "wan")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
        codes.append("thousands")
    if not _PLAIN_NUMBER.match(text):
        return INVALID, None
    number = float(text) * scale * (-1 if negative else 1)
    if not math.isfinite(number):  # '1e400': no amount, and no sum or plan can hold it
        return INVALID, None
    if _inexact(number, text.lower().split("e")[0]):
        return INVALID, _TOO_LONG
    return number, (codes[0] if codes else "number_as_text")


def _strip_currency(text: str) -> tuple[str, object]:
    """``text`` (folded, without spaces) without the currency mark before and the one
    after it (a sign before the mark moves after it: ``-NT$5`` is ``-5``), and the
    currencies the marks may stand for: None without a mark, :data:`INVALID` when
    two marks name different currencies."""
    sign = text[:1] if text[:1] in ("+", "-") and _mark_before(text[1:]) else ""
    text = text[len(sign):]
    found: list[frozenset[str]] = []
    if m := _mark_before(text):
        found.append(_named(m[0]))
        text = text[m.end():]
    if text and (m := _iso_code(_ISO_AFTER.search(text)) or _CURRENCY_AFTER.search(text)):
        found.append(_named(m[0]))
        text = text[:m.start()]
    if not found:
        return sign + text, None
    named = [f for f in found if f]
    currencies = frozenset.intersection(*named) if named else frozenset()
    if len(named) == 2 and not currencies:
        return text, INVALID
    return sign + text, currencies


def _iso_code(m: re.Match[str] | None) -> re.Match[str] | None:
    """``m`` when it matched an ISO 4217 code (``CHF``; not ``PCS``), else None; checked
    before the marks, so ``MNT`` is the tögrög, not ``M`` (million) ``NT`` (TWD)."""
    return m if m is not None and m[1] in ISO_CODES else None


def _mark_before(text: str) -> re.Match[str] | None:
    """The currency mark or ISO code ``text`` starts with (``NT$``, ``CHF``), if any."""
    return _iso_code(_ISO_BEFORE.match(text)) or _CURRENCY_BEFORE.match(text)


def _named(mark: str) -> frozenset[str]:
    """The currencies ``mark`` (a mark or an ISO code) stands for."""
    return CURRENCY_MARKS.get(mark.lower()) if mark.lower() in CURRENCY_MARKS else (
        frozenset({mark.upper()}))


def currency_marked(value: object) -> bool:
    """Whether ``value`` is text with a currency mark or an ISO code beside its number
    (``¥2,000``, ``$5``, ``10 KGS``): an amount, which a quantity or a percentage
    column cannot take as its number."""
    if not isinstance(value, str):
        return False
    text = _SPACES.sub("", _fold(value)[0])
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return _strip_currency(text)[1] is not None


def currency_of(value: object) -> frozenset[str] | None:
    """The ISO codes of the currency an amount's mark names (``NT$61,600`` and ``61,600
    TWD``: TWD; ``¥``: CNY or JPY); None without a mark, or with one any currency
    writes (``$``)."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", _fold(value)[0])
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    _, marked = _strip_currency(text)
    return marked if isinstance(marked, frozenset) and marked else None


#: The numbers only a decimal comma writes, as European exports and locales do — one set
#: for reading them (:func:`decimal_comma`) and for telling an export's decimal mark
#: (:func:`decimal_mark`):
#: a decimal comma after digits grouped by dots or spaces, with any number of decimals
#: (``1.234,56``, ``1 234,5``, ``1.234,567``: a point-writer never puts a comma after a
#: dot, so the comma is the decimal mark, and ``1.234,567`` is 1234.567, three decimals as
#: a unit price or a weight has), or after plain digits with one or two (``12,50``; not
#: ``12,000``, which a decimal point writes as twelve thousand);
_DECIMAL_COMMA = re.compile(r"-?(?:\d{1,3}(?:[. \u00a0]\d{3})+,\d+|\d+,\d{1,2})")
#: and dots between groups of three digits, at least two of them (one is a decimal
#: point): ``12.345.678``.
_DOTTED_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3}){2,}")


def decimal_comma(value: object) -> str | None:
    """The number ``value`` writes as European exports do, as it should be typed: a
    decimal comma (``1.234,56`` → ``1234.56``, ``12,5%`` → ``12.5%``, ``€1.234,56`` →
    ``1234.56``) or dots between thousands (``12.345.678`` → ``12345678``); None when it
    is neither."""
    if not isinstance(value, str):
        return None
    m = _MARKED.fullmatch(value.strip())
    if m is None:
        return None
    core, percent = m[2], "%" if m[3].strip().endswith("%") else ""
    if _DECIMAL_COMMA.fullmatch(core):
        whole, _, cents = core.rpartition(",")
        return re.sub(r"[. \u00a0]", "", whole) + "." + cents + percent
    if _DOTTED_THOUSANDS.fullmatch(core):
        return core.replace(".", "") + percent
    return None


#: A number only a decimal point writes (``1,234.5``, ``999.99``, ``12,345,678``, and
#: ``12,000``: with a decimal comma, 12 to three decimals, which no amount is written as);
#: those only a decimal comma writes are :data:`_DECIMAL_COMMA` and
#: :data:`_DOTTED_THOUSANDS`; ``1.234`` may be either.
_ONLY_POINT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.(?:\d{1,2}|\d{4,}))")


def decimal_mark(value: object) -> str | None:
    """``","`` when ``value`` is text writing a number as only a decimal comma writes it
    (``1.234,50 €``, ``999,99``), ``"."`` when as a decimal point does (``¥1,234.50``,
    ``1.5万``, ``12,000``), None when it may be either (``1.234``) or is no such number."""
    m = _MARKED.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        return None
    core = m[2]
    if _DECIMAL_COMMA.fullmatch(core) or _DOTTED_THOUSANDS.fullmatch(core):
        return ","
    return "." if _ONLY_POINT.fullmatch(core) else None


def with_decimal_point(value: object) -> object:
    """``value`` written with a decimal comma (as European exports write numbers) written
    with a decimal point, its marks kept (``1.234,50 €`` → ``1234.50 €``, ``1,234`` →
    ``1.234``, ``1.234`` → ``1234``); any other value as it is."""
    m = _MARKED.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None or m[2].count(",") > 1:
        return value
    core = re.sub(r"[. \u00a0]", "", m[2]).replace(",", ".")
    return m[1] + core + m[3]


#: A number with a currency mark or unit before or after it (``€``, ``元``, ``EUR``, ``%``).
_MARKED = re.compile(r"([^\d\-.,]*)(-?[\d.,\u00a0 ]*\d)([^\d.,]*)")
