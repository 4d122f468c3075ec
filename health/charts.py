"""Server-drawn bar charts: geometry only. templates/health/_bar_chart.html draws the SVG, so
every label passes through the template's escaping and no JavaScript is needed to read it.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 200
LEFT, BOTTOM, TOP = 8, 28, 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the week, e.g. "3 Nov"
    text: str  # the value as shown, e.g. "4.5 h" or "no data"


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def bar_chart(*, title: str, points: list[tuple[str, float | None]], fmt) -> Chart:
    """One bar per (label, value); None draws no bar and says "no data"."""
    peak = max((v for _, v in points if v is not None), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(points), 1)
    plot = HEIGHT - BOTTOM - TOP
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0 if value is None else plot * value / peak
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                text="no data" if value is None else fmt(value),
            )
        )
    return Chart(title=title, bars=bars)
