"""The README's screenshots can be rendered through LibreOffice (PDF, then PNG)."""

import importlib.util

from conftest import REPO, require_libreoffice


def test_kpi_and_sales_sheets_render_to_png(tmp_path):
    require_libreoffice()
    spec = importlib.util.spec_from_file_location("make_screenshots",
                                                  REPO / "docs" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.make_screenshots(tmp_path)
    assert [p.name for p in paths] == ["kpis_zh.png", "sales_zh.png", "kpis_en.png",
                                       "report_zh.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000
