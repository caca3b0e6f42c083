"""Click's help formatter for Chinese: lines wrapped by the columns a terminal shows
(a Chinese character takes two: click counts one and wrote lines twice as wide as the
window), broken between any two Chinese characters but never before a closing mark
（，。）nor after an opening one, and click's own words (Usage, Options, Commands,
default, required) in Chinese."""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

from xlsales.cli_help_zh import EXTRAS, SECTIONS, USAGE_PREFIX, USAGE_WORDS
from xlsales.text_width import display_width

#: A run of spaces, one wide character (a Chinese character or mark), or a word.
_TOKEN = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|"
                    r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
#: Marks a line may not start with, and marks it may not end with.
_NO_START = frozenset("，。、；：？！）」』”’》〉】,.;:?!)]")
_NO_END = frozenset("（「『“‘《〈【")
_EXTRAS = re.compile(r"  \[([^\[\]]*)\]$")


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` columns, the first after
    ``first``, the others after ``rest``; a word longer than a line stays whole."""
    lines: list[list[str]] = [[]]
    used, space = display_width(first), False
    for token in _TOKEN.findall(text):
        if token.isspace():
            space = bool(lines[-1])
            continue
        piece = " " + token if space else token
        if used + display_width(piece) > width and lines[-1]:
            lines.append([*_carried(lines[-1], token), token])
            used = display_width(rest + "".join(lines[-1]))
        else:
            lines[-1].append(piece)
            used += display_width(piece)
        space = False
    return [(first if i == 0 else rest) + "".join(line).rstrip() for i, line in enumerate(lines)]


def _carried(line: list[str], token: str) -> list[str]:
    """The tokens at the end of ``line`` to carry to the next line with ``token``: those
    before a mark that may not start a line (the 元 of 万元）), a mark that may not end one
    (（), up to a space, where a line may break."""
    carried: list[str] = []
    head = token
    while len(line) > 1 and (head in _NO_START or line[-1].strip() in _NO_END):
        piece = line.pop()
        head = piece.strip()
        carried.insert(0, head)
        if piece != head:  # a space before it: the line breaks there
            break
    return carried


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's help formatter, for help written in Chinese: in Traditional characters
    with ``traditional`` (converted before the lines are wrapped: 通配符 becomes 萬用字元,
    one character longer)."""

    def __init__(self, width: int | None = None, max_width: int | None = None,
                 traditional: bool = False) -> None:
        super().__init__(width=width, max_width=max_width)
        self.traditional = traditional

    def own(self, text: str) -> str:
        """``text`` in the reader's script."""
        if not self.traditional:
            return text
        from xlsales.script_variant import OwnText

        return OwnText("s2twp")(text)  # Taiwan's words: 預設, 資料夾, 匯出

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line: ``用法：xlsales plan [选项] BOOK``."""
        for english, chinese in USAGE_WORDS:
            args = args.replace(english, chinese)
        first = f"{'':>{self.current_indent}}{self.own(prefix or USAGE_PREFIX)}{prog} "
        args = self.own(args)
        rest = " " * display_width(first)
        self.write("\n".join(wrap(args, self.width, first, rest)) + "\n")

    def write_heading(self, heading: str) -> None:
        """A section's heading: ``选项：``."""
        self.write(f"{'':>{self.current_indent}}{self.own(SECTIONS.get(heading, heading))}：\n")

    def write_text(self, text: str) -> None:
        """``text``'s paragraphs (parted by a blank line), each wrapped to the width."""
        indent = " " * self.current_indent
        paragraphs = [" ".join(p.split("\n")) for p in self.own(text).strip().split("\n\n")]
        self.write("\n\n".join("\n".join(wrap(p, self.width, indent, indent))
                               for p in paragraphs) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        """Options (or commands) and their help, the help wrapped beside them."""
        rows = list(rows)
        first_col = min(max(display_width(r[0]) for r in rows), col_max) + col_spacing
        for term, help_text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not help_text:
                self.write("\n")
                continue
            if display_width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(self.own(_extras_zh(help_text)), max(self.width - first_col - 2, 10))
            indent = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(indent + line for line in lines[1:])]) + "\n")


def _extras_zh(help_text: str) -> str:
    """An option's help with click's ``[default: …; required]`` after it in Chinese."""
    def said(match: re.Match[str]) -> str:
        extras = match[1]
        for english, chinese in EXTRAS:
            extras = extras.replace(english, chinese)
        return f"  [{extras}]"

    return _EXTRAS.sub(said, help_text)
