"""Generated demo pictures: a colour gradient per kind and a few simple shapes suggesting it.

Real JPEG files (640×480, quality 80, about 20–40 kB), drawn with Pillow from a seeded rng.
"""

import io

from PIL import Image, ImageDraw

from registry.assets import AssetKind

SIZE = (640, 480)
#: Kind → (top colour, bottom colour) of the background gradient.
GRADIENTS = {
    AssetKind.GARDEN: ((150, 205, 240), (90, 160, 80)),
    AssetKind.GREEN_PLOT: ((170, 215, 235), (120, 95, 60)),
    AssetKind.PAINTED_BOX: ((200, 200, 205), (120, 120, 125)),
    AssetKind.MURAL: ((225, 200, 170), (170, 90, 60)),
    AssetKind.HERITAGE: ((240, 220, 190), (150, 130, 110)),
    AssetKind.ELEVATOR: ((180, 210, 235), (110, 115, 130)),
}
BRIGHT = [(220, 40, 40), (245, 180, 30), (40, 140, 70), (30, 90, 180), (230, 110, 160), (250, 240, 220)]


def _gradient(top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), mask)


def _garden(draw, rng):
    for _ in range(rng.randint(5, 9)):  # trees and flowering shrubs
        x, y, r = rng.randint(20, 620), rng.randint(230, 420), rng.randint(25, 60)
        draw.rectangle((x - 5, y, x + 5, y + r + 20), fill=(100, 70, 40))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([(40, 120, 50), (60, 150, 60), (220, 60, 110)]))
    draw.rectangle((250, 400, 390, 415), fill=(150, 100, 60))  # a bench


def _green_plot(draw, rng):
    for row in range(4):
        top = 250 + row * 55
        draw.rounded_rectangle((40, top, 600, top + 40), radius=12, fill=(70, 140 + row * 15, 60))
        for _ in range(12):
            x = rng.randint(50, 590)
            draw.ellipse((x - 6, top + 12, x + 6, top + 24), fill=rng.choice(BRIGHT))


def _painted_box(draw, rng):
    draw.rectangle((200, 120, 440, 440), fill=(90, 100, 110))
    for _ in range(rng.randint(6, 12)):  # the artwork, kept on the box
        r = rng.randint(10, 40)
        x, y = rng.randint(200 + r, 440 - r), rng.randint(120 + r, 440 - r)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(BRIGHT))
    draw.rectangle((200, 120, 440, 440), outline=(40, 40, 40), width=6)


def _mural(draw, rng):
    for row in range(0, 480, 24):  # brick courses
        draw.line((0, row, 640, row), fill=(150, 80, 55), width=2)
    for _ in range(rng.randint(3, 6)):
        x, y, r = rng.randint(80, 560), rng.randint(100, 380), rng.randint(30, 90)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - r, y - r // 2, x + r, y + r // 2), fill=rng.choice(BRIGHT), outline=(30, 30, 30), width=3)


def _heritage(draw, rng):
    left, right, top = rng.randint(80, 160), rng.randint(480, 560), rng.randint(170, 230)
    draw.rectangle((left, top, right, 440), fill=(200, 185, 160), outline=(90, 70, 50), width=4)
    draw.polygon([(left - 30, top), ((left + right) // 2, top - 90), (right + 30, top)], fill=(70, 75, 80))
    for x in range(left + 30, right - 40, 70):  # arches or windows
        draw.rounded_rectangle((x, top + 60, x + 40, 420), radius=18, fill=(90, 60, 40))


def _elevator(draw, rng):
    draw.rectangle((120, 100, 420, 450), fill=(205, 190, 170), outline=(100, 90, 80), width=3)
    for y in range(130, 430, 60):
        for x in range(145, 400, 70):
            draw.rectangle((x, y, x + 40, y + 35), fill=(120, 150, 180))
    draw.rectangle((430, 60, 520, 450), fill=(150, 200, 230), outline=(60, 70, 80), width=5)  # the glass shaft
    car = rng.randint(90, 360)
    draw.rectangle((445, car, 505, car + 70), fill=(230, 230, 235))


SCENES = {AssetKind.GARDEN: _garden, AssetKind.GREEN_PLOT: _green_plot, AssetKind.PAINTED_BOX: _painted_box,
          AssetKind.MURAL: _mural, AssetKind.HERITAGE: _heritage, AssetKind.ELEVATOR: _elevator}


def picture(kind: str, rng) -> bytes:
    """A JPEG picture suggesting an asset of ``kind``."""
    image = _gradient(*GRADIENTS[kind])
    SCENES[kind](ImageDraw.Draw(image), rng)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
