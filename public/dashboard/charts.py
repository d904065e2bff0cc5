"""The dashboard's charts as geometry for server-rendered SVG (templates/public/dashboard/_chart.html):
horizontal bars, a funnel and a trend over months. No script draws them and nothing is fetched;
every chart has a data table beside it with the same numbers, and a title the SVG is labelled by.
"""

from dataclasses import dataclass, field

WIDTH = 360
LABEL_WIDTH = 130
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TREND_HEIGHT = 140


@dataclass(frozen=True)
class Mark:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass
class Chart:
    key: str            # the figure's key in the JSON (an id for the page and the tests)
    kind: str           # "bars", "funnel" or "trend"
    title: str
    marks: list = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    value_label: str = ""

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 6

    @property
    def empty(self) -> bool:
        return not any(mark.value for mark in self.marks)


def _scale(values) -> float:
    top = max((value for value in values if value), default=0)
    return (WIDTH - LABEL_WIDTH - 50) / top if top else 0


def bars(key: str, title: str, rows, value_label: str = "") -> Chart:
    """``rows``: (label, value) pairs, drawn top to bottom."""
    rows = list(rows)
    scale = _scale(value for _label, value in rows)
    marks = [Mark(label, value, LABEL_WIDTH, index * ROW_HEIGHT + 4, round(value * scale, 1), BAR_HEIGHT,
                  LABEL_WIDTH + round(value * scale, 1) + 4, index * ROW_HEIGHT + 4 + BAR_HEIGHT - 3)
             for index, (label, value) in enumerate(rows)]
    return Chart(key, "bars", title, marks, height=max(len(marks), 1) * ROW_HEIGHT, value_label=value_label)


def funnel(key: str, title: str, rows, value_label: str = "") -> Chart:
    """``rows``: (stage label, how many reached at least that stage), widest first; centred bars."""
    rows = list(rows)
    scale = _scale(value for _label, value in rows)
    middle = LABEL_WIDTH + (WIDTH - LABEL_WIDTH - 50) / 2
    marks = []
    for index, (label, value) in enumerate(rows):
        width = round(value * scale, 1)
        marks.append(Mark(label, value, round(middle - width / 2, 1), index * ROW_HEIGHT + 4, width, BAR_HEIGHT,
                          round(middle + width / 2, 1) + 4, index * ROW_HEIGHT + 4 + BAR_HEIGHT - 3))
    return Chart(key, "funnel", title, marks, height=max(len(marks), 1) * ROW_HEIGHT, value_label=value_label)


def trend(key: str, title: str, rows, value_label: str = "") -> Chart:
    """``rows``: (month "YYYY-MM", value) in order; one column per month."""
    rows = list(rows)
    top = max((value for _label, value in rows if value), default=0)
    step = (WIDTH - 20) / max(len(rows), 1)
    plot = TREND_HEIGHT - 20
    marks = []
    for index, (label, value) in enumerate(rows):
        height = round(value / top * plot, 1) if top else 0
        x = round(10 + index * step + step * 0.15, 1)
        marks.append(Mark(label, value, x, round(plot - height, 1), round(step * 0.7, 1), height,
                          round(x + step * 0.35, 1), TREND_HEIGHT - 4))
    return Chart(key, "trend", title, marks, height=TREND_HEIGHT, value_label=value_label)


def reached_at_least(by_stage: dict, order: list) -> list[tuple[str, int]]:
    """A funnel's rows from counts *at* each stage: how many reached each stage or a later one."""
    total, rows = 0, []
    for stage in reversed(order):
        total += by_stage.get(stage, 0)
        rows.append((stage, total))
    return list(reversed(rows))
