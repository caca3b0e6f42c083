"""How two spellings of a person's name are told to be one person: OpenCC's Traditional →
Simplified (``陳靜`` is ``陈静``; Apache-2.0, pure Python, loaded only for a name that is
not plain ASCII) and :func:`person_key`. Used where a name typed in one place must find
its row in another: ``import --rep``, ``plan --target-from``, a roll-up's Traditional
and Simplified twins. A Chinese name's pinyin spellings (:func:`pinyin_spellings`, by
pypinyin: MIT, pure Python, loaded only when an address is matched to a Chinese name)
tell which rep a CRM's owner ``zhang.wei@corp.cn`` is."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from xlsales.values import fold

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters written Simplified (OpenCC ``t2s``)."""
    if text.isascii():
        return text
    return str(_converter().convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return to_simplified(_SPACES.sub("", fold(text)))


def person_key(name: object) -> str:
    """How a person's name is compared: full-width as half-width, case and every space
    aside, Traditional characters as Simplified (``張 偉`` is ``张伟``, ``alice  CHEN`` is
    ``Alice Chen``)."""
    return _key(str(name))


#: A name of Chinese characters (Simplified, as :func:`person_key` writes it), two to four
#: of them: a surname and a given name, as a rep's name is listed.
_CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
#: How many pinyin readings of one name are spelt out at most (heteronyms: 单 is dan,
#: shan or chan; 曾 ceng or zeng); a name with more is spelt with its first readings.
_READINGS = 64


@lru_cache(maxsize=1024)
def _pinyin_of(key: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    syllables = [list(dict.fromkeys(_u_spellings(readings)))
                 for readings in pinyin(key, style=Style.NORMAL, heteronym=True, v_to_u=False)]
    out: set[str] = set()
    for n, spelt in enumerate(product(*syllables)):
        if n >= _READINGS:
            break
        # surname first (zhangwei), or the given name first (weizhang, fei.ouyang)
        out.update("".join(spelt[k:] + spelt[:k]) for k in range(len(spelt)))
    return frozenset(out)


def _u_spellings(readings: list[str]) -> list[str]:
    """Each of one character's ``readings`` as addresses write its ü: ``lv``, ``lu`` and
    ``lyu`` for 吕."""
    return [r.replace("v", u) if "v" in r else r for r in readings for u in ("v", "u", "yu")]


def pinyin_spellings(name: object) -> frozenset[str]:
    """How an email address may spell the Chinese name ``name`` in pinyin, lower case
    and without separators: surname first or last, each reading of a character with
    several (``张伟`` → ``zhangwei``, ``weizhang``; ``吕方`` → ``lvfang``, ``lufang`` …);
    empty for a name that is not two to four Chinese characters (``Alice Chen``)."""
    key = person_key(name)
    return _pinyin_of(key) if _CHINESE_NAME.match(key) else frozenset()
