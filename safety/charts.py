"""The evaluation trend chart of a community, drawn as inline SVG by the template (no script):
one polyline per indicator over the evaluated periods, with a data table beside it."""

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 28

#: (indicator key, label msgid) of the series, read from each evaluation's indicators.
SERIES = ("risks_found", "risks_removed", "overdue_interventions", "checklist_score")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: str  # "x,y x,y …" for <polyline points>
    dots: list   # (x, y, value) for each period with a value


@dataclass(frozen=True)
class TrendChart:
    series: list
    ticks: list       # (x, label) of the periods
    y_ticks: list     # (y, value)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def values_of(evaluation, indicators) -> dict:
    return {
        "risks_found": indicators.get("risks_found", {}).get("total"),
        "risks_removed": indicators.get("risks_removed", {}).get("total"),
        "overdue_interventions": indicators.get("overdue_interventions"),
        "checklist_score": evaluation.checklist_score,
    }


def trend_chart(rows, labels: dict) -> TrendChart | None:
    """``rows``: (period label, {series key: value or None}) oldest first; ``labels``: key → label."""
    if not rows:
        return None
    top = max([value for _label, values in rows for value in values.values() if value is not None] + [1])
    span_x = WIDTH - LEFT - RIGHT
    step = span_x / max(len(rows) - 1, 1)
    plot_height = HEIGHT - TOP - BOTTOM

    def y_of(value):
        return round(TOP + plot_height * (1 - value / top), 1)

    xs = [round(LEFT + (step * index if len(rows) > 1 else span_x / 2), 1) for index in range(len(rows))]
    series = []
    for key in SERIES:
        dots = [(x, y_of(values[key]), values[key]) for x, (_label, values) in zip(xs, rows)
                if values.get(key) is not None]
        series.append(Series(key=key, label=labels[key], points=" ".join(f"{x},{y}" for x, y, _v in dots), dots=dots))
    return TrendChart(series=series, ticks=list(zip(xs, [label for label, _values in rows])),
                      y_ticks=[(y_of(value), value) for value in (0, round(top / 2), top)])
