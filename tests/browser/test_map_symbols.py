"""Issue 13, item 5: each kind has its own symbol — a shape as well as a colour — on the map and in the
legend, told apart even with the colours seen as people with red-green colour blindness see them.

A screenshot of the legend (/tmp/map-legend.png, and as simulated for deuteranopia and protanopia,
/tmp/map-legend-deuteranopia.png, /tmp/map-legend-protanopia.png) is cut into its six symbols; each
pair must differ in shape (the areas they cover overlap by less than 88 %: a symbol drawn twice overlaps
fully), whatever the colours look like.
"""

import io
import itertools

import pytest
from PIL import Image

from public.map import KIND_STYLES
from tests.browser.test_map import assets, open_map  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# Machado, Oliveira & Fernandes (2009), severity 1.0: linear RGB → RGB as seen with the deficiency.
SIMULATIONS = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
}


def simulate(image: Image.Image, matrix) -> Image.Image:
    def to_linear(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    def to_srgb(v):
        v = min(max(v, 0.0), 1.0)
        return round(255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055))

    out = Image.new("RGB", image.size)
    out.putdata([tuple(to_srgb(sum(m * to_linear(c) for m, c in zip(row, pixel[:3]))) for row in matrix)
                 for pixel in image.convert("RGB").get_flattened_data()])
    return out


def shape_mask(image: Image.Image) -> set:
    """The pixels the symbol covers: those that are not the legend's white."""
    width = image.width
    return {index % width + (index // width) * 1j for index, pixel in enumerate(image.convert("RGB").get_flattened_data())
            if sum(255 - channel for channel in pixel) > 60}


def overlap(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def test_each_kind_has_its_own_symbol_in_the_legend_even_without_colour(open_page, live_server, assets):  # noqa: F811
    page = open_map(open_page(locale="zh-CN", device_scale_factor=2), live_server)
    swatches = page.locator(".map-legend .swatch")
    assert swatches.count() == len(KIND_STYLES)
    shapes = [swatches.nth(i).get_attribute("data-shape") for i in range(swatches.count())]
    assert len(set(shapes)) == len(KIND_STYLES) and None not in shapes  # six different shapes, all drawn
    page.locator(".map-legend").screenshot(path="/tmp/map-legend.png")
    symbols = [Image.open(io.BytesIO(swatches.nth(i).screenshot())) for i in range(swatches.count())]
    for name, matrix in SIMULATIONS.items():
        seen = [simulate(symbol, matrix) for symbol in symbols]
        legend = simulate(Image.open("/tmp/map-legend.png"), matrix)
        legend.save(f"/tmp/map-legend-{name}.png")
        masks = [shape_mask(symbol) for symbol in seen]
        assert all(len(mask) > 100 for mask in masks), name  # each symbol is really there (2× pixels)
        for (i, a), (j, b) in itertools.combinations(enumerate(masks), 2):
            assert overlap(a, b) < 0.88, f"{shapes[i]} and {shapes[j]} look alike ({name})"
