"""The README's tables of sheets and KPIs are the spec's, not a copy that drifts."""

from conftest import REPO

from xlsales.spec import SPEC
from xlsales.spec.docs import kpi_markdown, sheet_markdown, update_readme


def test_readme_documents_the_spec_as_it_is():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stale = "the spec changed, regenerate: python -m xlsales.spec.docs README.md"
    assert kpi_markdown(SPEC) in readme and sheet_markdown(SPEC) in readme, stale
    assert update_readme(readme, SPEC) == readme, stale


def test_readme_images_exist():
    for name in ("kpis_zh.png", "kpis_en.png", "sales_zh.png"):
        assert (REPO / "docs" / "img" / name).stat().st_size > 10_000


def test_readme_rollup_example_is_what_the_commands_print(tmp_path, monkeypatch):
    """The roll-up example runs as shown from the demo's workbooks (it once showed a
    region built from books the README did not say how to make, and an output no one
    could get)."""
    import shlex
    from pathlib import Path

    from click.testing import CliRunner

    from xlsales.cli import main

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n$ xlsales demo -o region-demo\n$ cd region-demo\n")
    block = readme[start:readme.index("```", start + 8)].splitlines()[1:]
    commands = [line[2:] for line in block if line.startswith("$ ")]
    shown = [line for line in block if not line.startswith("$ ")]
    monkeypatch.chdir(tmp_path)
    result = None
    for command in commands:
        words = shlex.split(command)
        if words[0] == "cd":
            monkeypatch.chdir(words[1])
        elif words[0] == "echo":
            Path(words[-1]).write_text(words[1] + "\n")
        else:
            assert words[0] == "xlsales"
            result = CliRunner().invoke(main, words[1:])
            assert result.exit_code in (0, 2), result.output
    assert result is not None and result.exit_code == 2  # broken.xlsx left out
    assert result.stdout.splitlines() == shown
