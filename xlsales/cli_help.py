"""``--help`` in the user's language: the click context every xlsales command runs in
formats its help in Chinese (:mod:`xlsales.cli_help_zh`'s texts, click's own words, lines
wrapped by the columns a terminal shows) when :mod:`xlsales.cli_help_lang` says so, in
Traditional characters for a Traditional reader, and in English, as written on the
commands, otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from xlsales.cli_help_lang import HelpLang, help_language
from xlsales.cli_help_zh import COMMANDS, HELP_OPTION, OPTIONS

#: Where the group notes the help's language (the ``--lang`` typed, read before click).
HELP_LANG = "xlsales.help_lang"


class HelpContext(click.Context):
    """Click context whose help is in the language :func:`help_language` picks."""

    def help_lang(self) -> HelpLang:
        """The language this command's help is in: as the group noted it, else (a command
        run on its own) as the environment says."""
        noted: HelpLang | None = self.meta.get(HELP_LANG)
        return noted if noted is not None else help_language(None)

    def make_formatter(self) -> click.HelpFormatter:
        """Click's formatter, or the Chinese one for help in Chinese."""
        if self.help_lang() == "en":
            return super().make_formatter()
        from xlsales.cli_help_format import ChineseHelpFormatter

        return ChineseHelpFormatter(width=self.terminal_width, max_width=self.max_content_width,
                                    traditional=self.help_lang() == "zh-Hant")

    def get_help(self) -> str:
        """The command's help page, in its language."""
        if self.help_lang() == "en":
            return super().get_help()
        with in_chinese(self.command, self):
            return super().get_help()


def command_key(command: click.Command) -> str:
    """The key of ``command``'s Chinese in :data:`~xlsales.cli_help_zh.COMMANDS`: its
    name, or "" for the ``xlsales`` group itself."""
    return "" if isinstance(command, click.Group) else command.name or ""


def option_key(param: click.Parameter) -> str | None:
    """The key of ``param``'s Chinese in :data:`~xlsales.cli_help_zh.OPTIONS`: its first
    long name (``--output`` of ``-o/--output``; ``--plan`` of ``--plan/--no-plan``);
    None for an argument, which has no help of its own."""
    if not isinstance(param, click.Option):
        return None
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def chinese_option(command: click.Command, param: click.Parameter) -> str | None:
    """The Chinese help of ``param`` on ``command`` (None: none written)."""
    key = option_key(param)
    if key in ("--help", "-h"):
        return HELP_OPTION
    return OPTIONS.get((command_key(command), key)) if key is not None else None


@contextmanager
def in_chinese(command: click.Command, ctx: click.Context) -> Iterator[None]:
    """``command``'s help texts (its own, its options', its subcommands' in a group's
    list) in Chinese while its help is formatted, put back after."""
    saved: list[tuple[object, str, object]] = []

    def put(owner: object, attribute: str, text: str | None) -> None:
        if text is not None:
            saved.append((owner, attribute, getattr(owner, attribute)))
            setattr(owner, attribute, text)

    own = COMMANDS.get(command_key(command))
    put(command, "help", own.text if own is not None else None)
    for param in command.get_params(ctx):
        put(param, "help", chinese_option(command, param))
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            listed = COMMANDS.get(command_key(sub) or name)
            put(sub, "short_help", listed.short if listed is not None else None)
    try:
        yield
    finally:
        for owner, attribute, value in reversed(saved):
            setattr(owner, attribute, value)
