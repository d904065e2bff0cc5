"""Horizontal bar charts drawn as inline SVG by the template: no script, no CDN, nothing to fetch.

``bar_chart`` turns (label, share 0–1 or None, caption) rows into the geometry the template
``staff/_bar_chart.html`` draws; the labels are escaped there like any other text.
"""

from dataclasses import dataclass

LABEL_WIDTH = 130
BAR_WIDTH = 200
ROW_HEIGHT = 26
BAR_HEIGHT = 16
CAPTION_GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    caption: str
    y: int
    text_y: int
    width: int
    empty: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 70

    @property
    def caption_x(self) -> int:
        return self.label_width + self.bar_width + CAPTION_GAP


def bar_chart(title: str, rows) -> BarChart:
    """``rows``: (label, share in 0–1 or None for "no data", caption) per bar, drawn in that order."""
    bars = []
    for index, (label, share, caption) in enumerate(rows):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = 0 if share is None else round(max(0.0, min(1.0, share)) * BAR_WIDTH)
        bars.append(Bar(label=label, caption=caption, y=y, text_y=y + BAR_HEIGHT - 3, width=width,
                        empty=share is None))
    return BarChart(title=title, bars=bars, height=max(len(bars), 1) * ROW_HEIGHT)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"
