"""The ``xlsales`` click group: what goes wrong becomes a short bilingual message and an
exit code, never a traceback — an :class:`~xlsales.errors.XlsalesError` (2: the input
cannot be used), a full disk or a locked file, a closed pipe, and click's own usage
errors (English), said in Chinese and in English as any other error. Its help, and every
command's, speaks the user's language (:mod:`xlsales.cli_help`)."""

from __future__ import annotations

import os
import re
import sys
from typing import TYPE_CHECKING, Any

import click

from xlsales.cli_help import HELP_LANG, HelpContext
from xlsales.cli_help_lang import help_language
from xlsales.errors import FileAccessError, UsageError, XlsalesError

if TYPE_CHECKING:
    from xlsales.script_variant import OwnText


class Group(click.Group):
    """Click group that turns :class:`XlsalesError` into a message and an exit code, its
    help and its commands' in the user's language."""

    context_class = HelpContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add ``cmd``, its help in the user's language too."""
        if cmd.context_class is click.Context:
            cmd.context_class = HelpContext
        super().add_command(cmd, name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        typed = _typed_lang(args)  # read before click parses: its usage errors too
        command = _command_of(self, args)
        if typed is not None and (command is None or _has_lang(command)):
            ctx.meta[_LANG] = typed  # not for `--lang en plan`: plan speaks BOOK's language
        elif typed is not None:  # ... but says what went wrong before reading it so
            ctx.meta[_TYPED] = typed
        ctx.meta[HELP_LANG] = help_language(typed)
        args = _without_lang_for_help(self, args) if typed is not None else args
        try:  # `xlsales --verison`: the group's own options
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:  # a bare `xlsales`: the help
            raise
        except click.UsageError as exc:
            _say(_usage_error(exc, ctx))
            ctx.exit(exc.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:  # `xlsales import`: its help
            raise
        except click.UsageError as exc:  # click's own words are English: said in both
            _say(_usage_error(exc, ctx))
            ctx.exit(exc.exit_code)
        except XlsalesError as exc:
            _say(exc)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # output piped into `head` and closed: stop quietly, but
            # never as a success (a roll-up missing a member must not pass a pipefail
            # script): 141, as a shell reports a command stopped by SIGPIPE
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(BROKEN_PIPE)
        except OSError as exc:  # disk full, permission denied, file locked by another program
            error = FileAccessError.of(exc)
            _say(error)
            ctx.exit(error.exit_code)


def _say(error: XlsalesError) -> None:
    """Print ``error`` on stderr: one paragraph, in both languages."""
    click.echo(error_text(error), err=True)


#: Where a command notes the language its errors are said in first (:func:`errors_in`).
_LANG = "xlsales.errors_lang"
#: The ``--lang`` typed before a command with none of its own (``xlsales --lang en plan``):
#: the language of its errors until its book says one (usage errors, a missing file).
_TYPED = "xlsales.typed_lang"
#: Where it notes how their Chinese is written (a Traditional book's: in Traditional).
_OWN = "xlsales.errors_own"


def errors_in(lang: str | None, own: OwnText | None = None) -> None:
    """Say an error of the running command in ``lang`` (the book's, once read) first from
    here on, unless a language was noted before: the ``--lang`` given (noted by
    :meth:`Group.parse_args`) wins over the book's; Chinese first when none was. ``own``:
    the book's script, its Chinese written so (:func:`~xlsales.terminal_script.
    terminal_text`: a Traditional book's errors in Traditional, what it quotes as typed)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang in ("zh", "en"):
        ctx.meta.setdefault(_LANG, lang)
    if ctx is not None and own is not None and own.script is not None:
        ctx.meta.setdefault(_OWN, own)


def noted_language() -> tuple[str | None, OwnText | None]:
    """The language the running command speaks, as :func:`errors_in` noted it (None
    before ``--lang`` or a book said one), and how its Chinese is written (None: as it
    is)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None, None
    return ctx.meta.get(_LANG), ctx.meta.get(_OWN)


def _typed_lang(args: list[str]) -> str | None:
    """The language ``--lang`` names in the command line ``args`` (``--lang EN``,
    ``--lang=en``), read before click parses it (and may fail on another option);
    None when it names none."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, _, value = arg.partition("=")
        if name == "--lang":
            value = value or (args[i + 1] if i + 1 < len(args) else "")
            if value.lower() in ("zh", "en"):
                return value.lower()
    return None


def _command_at(args: list[str]) -> int:
    """Where the command's name is in ``args``: past the group's own options (--lang zh)."""
    end = args.index("--") if "--" in args else len(args)
    at = 0
    while at < end and (args[at].startswith("-") or (at > 0 and args[at - 1] == "--lang")):
        at += 1
    return at if at < end else len(args)


def _command_of(group: click.Group, args: list[str]) -> click.Command | None:
    """The command ``args`` name (None: none, or not one of ``group``'s)."""
    at = _command_at(args)
    return group.commands.get(args[at]) if at < len(args) else None


def _has_lang(command: click.Command) -> bool:
    return any(p.name == "lang" for p in command.params)


def _without_lang_for_help(group: click.Group, args: list[str]) -> list[str]:
    """``args`` without the ``--lang`` given to ask a command that has no ``--lang`` of
    its own for its help in that language (``xlsales plan --lang zh --help``); as they are
    when no help is asked for (``plan --lang`` then fails as any unknown option)."""
    end = args.index("--") if "--" in args else len(args)
    if not {"-h", "--help"} & set(args[:end]):
        return args
    at = _command_at(args)
    command = _command_of(group, args)
    if command is None or _has_lang(command):
        return args
    kept, value_next = args[:at + 1], False
    for arg in args[at + 1:end]:
        if value_next:  # the language after --lang
            value_next = False
        elif arg == "--lang":
            value_next = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept + args[end:]


def lang_down(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """The group's ``--lang`` (``xlsales --lang en kpis BOOK``): also the ``--lang`` of the
    command after it, unless given there."""
    if value is None or not isinstance(ctx.command, click.Group):
        return
    langs = {name: {"lang": value} for name, command in ctx.command.commands.items()
             if _has_lang(command)}
    ctx.default_map = {**(ctx.default_map or {}), **langs}


def error_text(error: XlsalesError, lang: str | None = None, style: bool = True) -> str:
    """``error`` as said: ``错误 / Error:`` and its Chinese, then its English, or the other
    way round in ``lang`` (default: the language noted by :func:`errors_in`)."""
    ctx = click.get_current_context(silent=True)
    if lang is None:
        lang = (ctx.meta.get(_LANG) or ctx.meta.get(_TYPED, "zh")) if ctx is not None else "zh"
    label = "错误 / Error: " if lang == "zh" else "Error / 错误: "
    own: OwnText | None = ctx.meta.get(_OWN) if ctx is not None else None
    message = error.message(lang)
    if own is not None:  # the Chinese in the book's script, the values it quotes as typed
        from xlsales.terminal_script import quoted

        label, zh = own(label), own(error.zh, quoted([error.zh]))
        message = f"{zh}\n{error.en}" if lang == "zh" else f"{error.en}\n{zh}"
    elif error.script is not None:  # said in a book's script already
        from xlsales.script_variant import OwnText as Own

        label = Own(error.script)(label)
    return (click.style(label, fg="red", bold=True) if style else label) + message


#: The exit code when the output's reader went away (``| head``): 128 + SIGPIPE.
BROKEN_PIPE = 141

#: Click's usage errors, in Chinese: (pattern of its English message, the Chinese).
_USAGE_ZH = ((re.compile(r"No such option:? '?([^'\s]+)"), "没有选项 {0}"),
             (re.compile(r"No such command '([^']+)'"), "没有命令 {0}"),
             (re.compile(r"Missing argument '([^']+)'"), "缺少参数 {0}"),
             (re.compile(r"Missing option '([^']+)'"), "缺少选项 {0}"),
             (re.compile(r"Invalid value for '([^']+)': '(.*)' is not one of (.+)\.$"),
              "{0} 的值 '{1}' 无效（可选 {2}）"),
             (re.compile(r"Invalid value for '([^']+)': (.+) is not in the range (.+)\.$"),
              "{0} 的值 {1} 不在范围 {2} 内"),
             (re.compile(r"Invalid value for '([^']+)'"), "{0} 的值无效"),
             (re.compile(r"Option '([^']+)' requires an argument"), "选项 {0} 需要一个值"),
             (re.compile(r"Got unexpected extra arguments? \(([^)]*)\)"), "多余的参数 {0}"))


def _usage_error(exc: click.UsageError, group: click.Context) -> UsageError:
    """Click's usage error ``exc`` as an xlsales error: what is wrong and the --help to
    run, in Chinese and in English (click's own words, which say the most), instead of
    click's usage lines and its English alone."""
    command = exc.ctx.command_path if exc.ctx is not None else group.command_path
    if exc.ctx is None and group.invoked_subcommand:  # `new --lang`: said by the parser
        command = f"{command} {group.invoked_subcommand}"
    said = " ".join(exc.format_message().split())
    said += "" if said.endswith((".", "?")) else "."
    return UsageError(f"{_usage_zh(said)}：运行 {command} --help 查看用法。",
                      f"{said} Run {command} --help for usage.")


def _usage_zh(message: str) -> str:
    """The Chinese of click's usage error ``message``."""
    said = next((zh.format(*m.groups()) for pattern, zh in _USAGE_ZH
                 if (m := pattern.search(message)) is not None), "命令行有误")
    near = re.search(r"Did you mean (?:one of:? )?(.+?)\?", message)
    return said + (f"（是否想用 {near[1]}？）" if near else "")
