"""The notes `xlsales plan` prints ended some with a full stop and some without (the
notes on a target left without a basis did, those on an unlisted problem category or a
leaver did not; the Chinese alike with 。): they end alike now, 。 in Chinese and . in
English, whichever part of the plan said them — the report, a roll-up's and a button's."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_plan_unlisted_category import flagged_book

from xlsales.cli import main
from xlsales.plan.model import ended

CATEGORY = {"zh": "回款慢", "en": "Late payers"}  # not in the settings list: a note


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_note_of_the_plan_ends_as_a_sentence(tmp_path, lang):
    book = flagged_book(tmp_path, lang, [("Slow payment", CATEGORY[lang], 20000)])
    result = CliRunner().invoke(main, ["plan", str(book), "-o", str(tmp_path / "plan.xlsx")])
    assert result.exit_code == 0, result.output
    head, stop = ("  注意：", "。") if lang == "zh" else ("  note: ", ".")
    notes = [line for line in result.stdout.splitlines() if line.startswith(head)]
    assert len(notes) >= 2, result.stdout  # the category's and the basis' notes at least
    assert [n for n in notes if not n.endswith(stop)] == [], result.stdout


def test_a_note_ends_once_in_its_languages_full_stop():
    assert ended("目标已分给其他人", "their share went to the others") == (
        "目标已分给其他人。", "their share went to the others.")
    assert ended("请核对；", "check them;") == ("请核对。", "check them.")
    assert ended("已完成。", "done.") == ("已完成。", "done.")
    assert ended("（如仍需要，请手动加回）", "(add it back by hand if needed)") == (
        "（如仍需要，请手动加回）。", "(add it back by hand if needed).")
