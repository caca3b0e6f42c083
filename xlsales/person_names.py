"""How two spellings of a person's name are told to be one person: OpenCC's Traditional →
Simplified (``陳靜`` is ``陈静``; Apache-2.0, pure Python, loaded only for a name that is
not plain ASCII) and :func:`person_key`. Used where a name typed in one place must find
its row in another: ``import --rep``, ``plan --target-from``, a roll-up's Traditional
and Simplified twins."""

from __future__ import annotations

import re
from functools import lru_cache

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
