"""DrawingML for the native charts of a SheetContent: one chart part (``c:chartSpace``) per
:class:`~xlsales.io.sheetcontent.Chart` and the sheet's drawing part (``xdr:wsDr``) that
anchors them over the cells.

Every series refers to the cells of its table (``c:f``: ``'Sheet'!$B$5:$B$16``, its name
to the header cell), so the chart follows edits of the table; the values as written are
cached beside the references for viewers that do not recalculate. Booleans are written
with an explicit ``val`` (an absent one means true) and both axes with
``<c:delete val="0"/>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from xlsales.io import ooxml
from xlsales.io.cellxml import col_letter, excel_serial
from xlsales.io.sheetcontent import Block, Chart, Placed
from xlsales.io.xmltext import esc_attr, esc_text

NS_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_SHEET_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
REL_DRAWING = ooxml.NS_REL + "/drawing"
REL_CHART = ooxml.NS_REL + "/chart"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

#: Series colours in order (Office's default accents: blue, orange, grey, gold, green).
COLORS = ("4472C4", "ED7D31", "A5A5A5", "FFC000", "70AD47", "5B9BD5")
_AX_CAT, _AX_VAL = 50010001, 50010002
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _sheet_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _range(sheet: str, col: int, first: int, last: int) -> str:
    letter = col_letter(col + 1)
    return f"{_sheet_ref(sheet)}!${letter}${first}:${letter}${last}"


def _number(value: object) -> float | None:
    if isinstance(value, date):
        return excel_serial(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value == value and abs(value) != float("inf") else None


def _pts(values: Sequence[object], text: bool) -> str:
    out = []
    for i, v in enumerate(values):
        if text:
            shown = v.isoformat() if isinstance(v, date | datetime) else v
            if shown is not None and shown != "":
                out.append(f'<c:pt idx="{i}"><c:v>{esc_text(str(shown))}</c:v></c:pt>')
        elif (n := _number(v)) is not None:
            out.append(f'<c:pt idx="{i}"><c:v>{n!r}</c:v></c:pt>')
    return f'<c:ptCount val="{len(values)}"/>' + "".join(out)


def _ref(tag: str, formula: str, values: Sequence[object], fmt: str | None = None) -> str:
    """``c:strRef`` (text) or ``c:numRef`` (numbers, dates) of ``formula`` with a cache."""
    f = f"<c:f>{esc_text(formula)}</c:f>"
    if fmt is None and not all(_number(v) is not None or v is None for v in values):
        return f"<c:{tag}><c:strRef>{f}<c:strCache>{_pts(values, True)}</c:strCache>" \
               f"</c:strRef></c:{tag}>"
    code = f"<c:formatCode>{esc_text(fmt or 'General')}</c:formatCode>"
    return f"<c:{tag}><c:numRef>{f}<c:numCache>{code}{_pts(values, False)}</c:numCache>" \
           f"</c:numRef></c:{tag}>"


def _fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def _series(chart: Chart, sheet: str, placed: Placed, col: int, index: int,
            line: bool) -> str:
    block = placed.part
    assert isinstance(block, Block)
    first, last = placed.header + 1, placed.header + max(len(block.rows), 1)
    column = [r[col] if col < len(r) else None for r in block.rows] or [None]
    cats = [r[chart.categories] if chart.categories < len(r) else None
            for r in block.rows] or [None]
    is_date = any(isinstance(v, date) for v in cats)
    name = f"{_sheet_ref(sheet)}!${col_letter(col + 1)}${placed.header}"
    color = COLORS[index % len(COLORS)]
    out = [f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>',
           _ref("tx", name, [block.columns[col].header])]
    if line:
        out.append(f'<c:spPr><a:ln w="28575" cap="rnd">{_fill(color)}<a:round/></a:ln></c:spPr>'
                   f'<c:marker><c:symbol val="circle"/><c:size val="5"/><c:spPr>{_fill(color)}'
                   f"</c:spPr></c:marker>")
    else:
        out.append(f'<c:spPr>{_fill(color)}</c:spPr><c:invertIfNegative val="0"/>')
    out.append(_ref("cat", _range(sheet, chart.categories, first, last), cats,
                    "yyyy-mm-dd" if is_date else None))
    fmt = block.columns[col].kind
    out.append(_ref("val", _range(sheet, col, first, last), column,
                    "0.00%" if fmt == "percent" else "General"))
    out.append('<c:smooth val="0"/></c:ser>' if line else "</c:ser>")
    return "".join(out)


def _labels() -> str:
    return ('<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
            "</c:dLbls>")


def _axes(chart: Chart) -> str:
    bar = chart.kind == "bar"
    cat_fmt = (f'<c:numFmt formatCode="{esc_attr(chart.category_format)}" sourceLinked="0"/>'
               if chart.category_format else "")
    return (f'<c:catAx><c:axId val="{_AX_CAT}"/><c:scaling><c:orientation '
            f'val="{"maxMin" if bar else "minMax"}"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="{"l" if bar else "b"}"/>{cat_fmt}<c:majorTickMark val="none"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
            f'<c:crossAx val="{_AX_VAL}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
            f'<c:valAx><c:axId val="{_AX_VAL}"/><c:scaling><c:orientation val="minMax"/>'
            f'</c:scaling><c:delete val="0"/><c:axPos val="{"b" if bar else "l"}"/>'
            '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/>'
            '</a:solidFill></a:ln></c:spPr></c:majorGridlines>'
            f'<c:numFmt formatCode="{esc_attr(chart.value_format)}" sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="nextTo"/><c:crossAx val="{_AX_CAT}"/>'
            f'<c:crosses val="{"max" if bar else "autoZero"}"/>'
            '<c:crossBetween val="between"/></c:valAx>')


def _title(text: str) -> str:
    return ('<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
            '<a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr sz="1200" b="1"/>'
            f"<a:t>{esc_text(text)}</a:t></a:r></a:p></c:rich></c:tx>"
            '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>')


def chart_xml(chart: Chart, sheet: str, placed: Placed) -> bytes:
    """The chart part of ``chart`` on sheet ``sheet``, its block at ``placed``."""
    bars = [_series(chart, sheet, placed, col, i, False) for i, col in enumerate(chart.values)]
    lines = [_series(chart, sheet, placed, col, i, True)
             for i, col in enumerate(chart.lines, len(chart.values))]
    stacked = chart.kind == "stacked_column"
    overlap = '<c:overlap val="100"/>' if stacked else ""
    plot = []
    if bars:
        plot.append(f'<c:barChart><c:barDir val="{"bar" if chart.kind == "bar" else "col"}"/>'
                    f'<c:grouping val="{"stacked" if stacked else "clustered"}"/>'
                    f'<c:varyColors val="0"/>{"".join(bars)}'
                    f'{_labels() if chart.labels else ""}<c:gapWidth val="80"/>'
                    f"{overlap}"
                    f'<c:axId val="{_AX_CAT}"/><c:axId val="{_AX_VAL}"/></c:barChart>')
    if lines:
        plot.append('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
                    f'{"".join(lines)}<c:marker val="1"/>'
                    f'<c:axId val="{_AX_CAT}"/><c:axId val="{_AX_VAL}"/></c:lineChart>')
    legend = ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
              if len(bars) + len(lines) > 1 else "")
    return (f'{_XML_HEAD}<c:chartSpace xmlns:c="{NS_CHART}" xmlns:a="{NS_DRAWINGML}" '
            f'xmlns:r="{ooxml.NS_REL}"><c:roundedCorners val="0"/><c:chart>'
            f'{_title(chart.title)}<c:plotArea><c:layout/>{"".join(plot)}{_axes(chart)}'
            f'</c:plotArea>{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>'
            "</c:chart></c:chartSpace>").encode()


def _marker(tag: str, col: int, row: int) -> str:
    return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>")


def drawing_xml(charts: Sequence[Chart]) -> bytes:
    """The drawing part anchoring ``charts``; chart ``i`` (0-based) is the target of the
    drawing's relationship ``rId{i + 1}``."""
    anchors = []
    for i, chart in enumerate(charts):
        col, row = chart.cell
        width, height = chart.size
        anchors.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f'{_marker("from", col, row)}{_marker("to", col + width, row + height)}'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{i + 2}" '
            f'name="Chart {i + 1}" descr="{esc_attr(chart.title)}"/><xdr:cNvGraphicFramePr/>'
            f'</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            '<a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{NS_CHART}"><c:chart xmlns:c="{NS_CHART}" '
            f'xmlns:r="{ooxml.NS_REL}" r:id="rId{i + 1}"/></a:graphicData></a:graphic>'
            "</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")
    return (f'{_XML_HEAD}<xdr:wsDr xmlns:xdr="{NS_SHEET_DRAWING}" xmlns:a="{NS_DRAWINGML}">'
            f'{"".join(anchors)}</xdr:wsDr>').encode()
