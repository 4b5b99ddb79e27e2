#!/usr/bin/env python3
"""Draws images/icon.png, the extension's 128x128 icon: a flow from one node to another
that ends in a check mark. Drawn at 4x and scaled down, for smooth edges.

    python3 -m pip install pillow && python3 images/make-icon.py
"""
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 128
SCALE = 4
NAVY = (20, 50, 78, 255)
WHITE = (255, 255, 255, 255)
AMBER = (242, 177, 52, 255)


def s(*values):
    return [round(v * SCALE) for v in values]


def main():
    img = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(s(2, 2, 126, 126), radius=24 * SCALE, fill=NAVY)
    # Source: a white disc.
    d.ellipse(s(10, 52, 34, 76), fill=WHITE)
    # The flow: a shaft and an arrowhead.
    d.rectangle(s(32, 60.5, 64, 67.5), fill=WHITE)
    d.polygon(s(62, 52, 76, 64, 62, 76), fill=WHITE)
    # Destination, proved: an amber disc with a check mark.
    d.ellipse(s(80, 44, 120, 84), fill=AMBER)
    d.line(s(90, 64, 97, 72, 110, 55), fill=NAVY, width=6 * SCALE, joint="curve")
    out = img.resize((SIZE, SIZE), Image.LANCZOS)
    path = Path(__file__).with_name("icon.png")
    out.save(path, optimize=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
