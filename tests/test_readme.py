"""The README's tables of sheets and KPIs are the spec's, not a copy that drifts."""

from conftest import REPO

from xlsales.spec import SPEC
from xlsales.spec.docs import kpi_markdown, sheet_markdown, update_readme


def test_readme_documents_the_spec_as_it_is():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert kpi_markdown(SPEC) in readme and sheet_markdown(SPEC) in readme
    assert update_readme(readme, SPEC) == readme, (
        "regenerate: python -m xlsales.spec.docs README.md")


def test_readme_images_exist():
    for name in ("kpis_zh.png", "kpis_en.png", "sales_zh.png"):
        assert (REPO / "docs" / "img" / name).stat().st_size > 10_000
