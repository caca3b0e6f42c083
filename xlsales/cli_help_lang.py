"""Which language ``--help`` speaks: ``--lang`` given on the command line, else the
``XLSALES_LANG`` environment variable, else the terminal's locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, the first one set, as POSIX reads them; on Windows, when none
is set, the user's display language). Chinese in Traditional characters for Taiwan, Hong
Kong and Macau (``zh_TW``, ``zh-HK``, ``zh-Hant``), in Simplified for any other Chinese;
English for anything else."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import Literal

#: English, Chinese in Simplified, Chinese in Traditional.
HelpLang = Literal["en", "zh", "zh-Hant"]

#: The environment variable naming the help's language (zh, zh-TW, zh-Hant, en …).
ENV_VAR = "XLSALES_LANG"
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
_TRADITIONAL = re.compile(r"hant|_(tw|hk|mo)\b")


def help_language(typed: str | None, environ: Mapping[str, str] | None = None) -> HelpLang:
    """The language of ``--help``: ``typed`` (the ``--lang`` on the command line: zh or
    en) first, written in the script the environment ``environ`` (default: this
    process's) names; else as the environment names it; else English."""
    environ = os.environ if environ is None else environ
    named = language_named(environ.get(ENV_VAR, "")) or _locale_language(environ)
    if typed == "en":
        return "en"
    if typed == "zh":
        return "zh-Hant" if named == "zh-Hant" else "zh"
    return named or "en"


def language_named(value: str) -> HelpLang | None:
    """The help language a locale or language tag ``value`` names (``zh_CN.UTF-8``,
    ``zh-TW``, ``zh-Hant``, ``en_US``): None when it is empty, ``C`` or ``POSIX``."""
    tag = value.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if tag in ("", "c", "posix"):
        return None
    if tag != "zh" and not tag.startswith("zh_"):
        return "en"
    return "zh-Hant" if _TRADITIONAL.search(tag) else "zh"


def windows_language(langid: int) -> HelpLang:
    """The help language of a Windows language identifier ``langid`` (as
    ``GetUserDefaultUILanguage`` gives it): Chinese is primary language 0x04, Traditional
    in Taiwan (0x0404), Hong Kong (0x0C04), Macau (0x1404) and zh-Hant (0x7C04)."""
    if langid & 0x3FF != 0x04:
        return "en"
    return "zh-Hant" if langid >> 10 in (0x01, 0x03, 0x05, 0x1F) else "zh"


def _locale_language(environ: Mapping[str, str]) -> HelpLang | None:
    """The language of the terminal's locale: the first of ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG`` set; on Windows, without any, the user's display language."""
    for name in _LOCALE_VARS:
        if environ.get(name):
            return language_named(environ[name])
    if sys.platform == "win32":
        try:
            import ctypes

            return windows_language(ctypes.windll.kernel32.GetUserDefaultUILanguage())
        except (AttributeError, OSError):  # no such call: English, as elsewhere
            return None
    return None
