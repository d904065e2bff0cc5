"""Draw the site's icon (a white leaf on the registry's green) as favicon.ico, favicon.svg and the
staff app's PNG icons in static/icons/. Run once after changing the design:
``.venv/bin/python scripts/make_icons.py``."""

import math
from pathlib import Path

from PIL import Image, ImageDraw

GREEN, WHITE = (29, 107, 67, 255), (255, 255, 255, 255)
STATIC = Path(__file__).resolve().parent.parent / "static"
SIZE = 512


def leaf_points(size, steps=64):
    """A leaf: two arcs meeting in points, tilted 45°, centred in a square of ``size``."""
    points = []
    length, width = size * 0.62, size * 0.34
    for i in range(steps * 2):
        t = (i % steps) / steps * math.pi
        x = -length / 2 + length * (i % steps) / steps
        y = math.sin(t) * width / 2 * (1 if i < steps else -1)
        if i >= steps:
            x = -x
        angle = -math.pi / 4
        points.append((size / 2 + x * math.cos(angle) - y * math.sin(angle),
                       size / 2 + x * math.sin(angle) + y * math.cos(angle)))
    return points


def draw(size=SIZE, *, maskable=False) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:  # the whole square: the launcher cuts its own shape
        pen.rectangle((0, 0, size, size), fill=GREEN)
    else:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=GREEN)
    scale = 0.8 if maskable else 1.0
    leaf = [(size / 2 + (x - size / 2) * scale, size / 2 + (y - size / 2) * scale) for x, y in leaf_points(size)]
    pen.polygon(leaf, fill=WHITE)
    stem = size * 0.31 * scale
    pen.line((size / 2 - stem, size / 2 + stem, size / 2 + stem * 0.8, size / 2 - stem * 0.8), fill=GREEN,
             width=max(1, size // 40))
    return image


def main():
    icons = STATIC / "icons"
    icons.mkdir(exist_ok=True)
    big = draw()
    big.resize((192, 192), Image.LANCZOS).save(icons / "icon-192.png")
    big.save(icons / "icon-512.png")
    draw(maskable=True).save(icons / "icon-maskable-512.png")
    big.resize((180, 180), Image.LANCZOS).save(icons / "apple-touch-icon.png")
    big.save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
