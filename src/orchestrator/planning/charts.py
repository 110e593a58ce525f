"""Server-rendered SVG charts: the geometry here, the markup in templates (with a table beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    path: str
    ticks: list[tuple[float, str]]  # y position, label
    dates: list[tuple[float, str]]  # x position, label
    target_y: float | None
    target_label: str
    baseline_y: float | None


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def line_chart(metric, measurements) -> Chart | None:
    """A metric's measurements over time, with its baseline and target; None with no measurements."""
    if not measurements:
        return None
    values = [m.value for m in measurements]
    refs = [v for v in (metric.baseline, metric.target) if v is not None]
    low, high = min(values + refs), max(values + refs)
    if low == high:
        low, high = low - 1, high + 1
    first, last = measurements[0].measured_on, measurements[-1].measured_on
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day) -> float:
        if len(measurements) == 1:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * float((high - value) / (high - low)), 1)

    unit = f" {metric.unit}" if metric.unit else ""
    points = [
        Point(x(m.measured_on), y(m.value), f"{_fmt(m.value)}{unit} on {m.measured_on:%-d %B %Y}")
        for m in measurements
    ]
    path = "M " + " L ".join(f"{p.x} {p.y}" for p in points)
    ticks = [(y(v), _fmt(v)) for v in (high, (high + low) / 2, low)]
    dates = [(x(first), f"{first:%b %Y}")]
    if last != first:
        dates.append((x(last), f"{last:%b %Y}"))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=path,
        ticks=ticks,
        dates=dates,
        target_y=y(metric.target) if metric.target is not None else None,
        target_label=f"target {_fmt(metric.target)}{unit}" if metric.target is not None else "",
        baseline_y=y(metric.baseline) if metric.baseline is not None else None,
    )
