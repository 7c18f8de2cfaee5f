"""The bar chart of a standard's key-question percentages, one bar per organisation."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from fieldwork.core.report.styles import FONT, MUTED, RULE, org_colour


def key_question_chart(
    labels: Sequence[str],
    organisations: Sequence[str],
    percents: Sequence[Sequence[float | None]],
    thresholds: Sequence[tuple[float, str]] = (),
    width: float = 480,
) -> Drawing:
    """`percents[org][kq]`; None (no applicable case) draws no bar and says "n/a".

    `thresholds` are (percent, band name) lines drawn across the plot, so the reader
    sees which band each bar falls in. Strings in a Drawing are not markup, so
    labels need no escaping.
    """
    n_kq = max(1, len(labels))
    n_org = max(1, len(organisations))
    bar = 9
    plot_h = n_kq * (n_org * bar + 12)
    legend_h = 16
    left = 110
    height = plot_h + 56 + legend_h
    d = Drawing(width, height)

    chart = HorizontalBarChart()
    chart.x = left
    chart.y = 30 + legend_h
    chart.width = width - left - 30
    chart.height = plot_h
    # Bars are drawn bottom up; reverse so the first key question is on top.
    # Series reversed too, so within each group the first organisation's bar is on top.
    series = list(reversed(percents))
    chart.data = [[(p if p is not None else 0) for p in reversed(row)] for row in series] or [[0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e3e3")
    chart.barWidth = bar
    chart.groupSpacing = 12
    chart.barSpacing = 1
    chart.barLabelFormat = _bar_label(series)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for i in range(n_org):
        chart.bars[i].fillColor = org_colour(n_org - 1 - i)
        chart.bars[i].strokeColor = None
    # Band thresholds as dashed lines, named above the plot in two staggered rows.
    for i, (value, name) in enumerate(sorted(thresholds)):
        x = chart.x + chart.width * value / 100
        top = chart.y + chart.height + 3 + 8 * (i % 2)
        d.add(Line(x, chart.y, x, top, strokeColor=MUTED, strokeDashArray=[2, 2], strokeWidth=0.6))
        d.add(
            String(
                x, top + 2, name, fontName=FONT, fontSize=6.5, fillColor=MUTED, textAnchor="middle"
            )
        )
    d.add(chart)  # after the lines, so bars and their labels sit on top

    legend = Legend()
    legend.x = left
    legend.y = 10
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.boxAnchor = "w"
    legend.dx = legend.dy = 7
    legend.deltax = 110
    legend.colorNamePairs = [(org_colour(i), name) for i, name in enumerate(organisations)]
    d.add(legend)
    return d


def _bar_label(percents: Sequence[Sequence[float | None]]) -> list[list[Callable[[float], str]]]:
    """Per-bar label functions (reportlab's list-of-lists form): the figure, or "n/a"."""
    return [
        [_fixed("n/a" if p is None else f"{p:.1f}%") for p in reversed(row)] for row in percents
    ]


def _fixed(text: str) -> Callable[[float], str]:
    return lambda _value: text
