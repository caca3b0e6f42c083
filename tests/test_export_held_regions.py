"""A region's roll-up beside the company's that holds it, in the folder finance exports
(:mod:`test_rollup_company_namesakes`: the regions 华东南 and 华北, and the company of
both). The company's rows of a region name the members below from the region down
(``北一组 › 张伟``), the region's own from its team (``张伟``): the export compared that
column too, took each region for another version of the company's member (“saved
before company.xlsx … consolidate the team again”) and left it out with exit code 2.
Each is set aside as held by the company, as ``consolidate`` does, exit code 0."""

from __future__ import annotations

import shutil

import pandas as pd
from test_rollup_company_namesakes import (  # noqa: F401 - the fixtures
    _invoke,
    books,
    company,
)


def test_regions_beside_their_company_are_set_aside(company, tmp_path):  # noqa: F811
    """The folder's regions are set aside as held by the company: its one kpis row is
    exported, the exit code is 0, stderr says why of each."""
    folder = tmp_path / "head office"
    folder.mkdir()
    for key in ("company", "region", "north"):
        shutil.copy2(company[key], folder / company[key].name)
    made = _invoke("export", folder, "-o", tmp_path / "out", "--tables", "kpis",
                   "--lang", "en")
    assert made.exit_code == 0, made.output
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv")
    assert list(kpis["source_file"]) == [company["company"].name]
    for key in ("region", "north"):
        assert f"{company[key].name}: company.xlsx holds it already" in made.output, \
            made.output
    assert "another version" not in made.output, made.output
