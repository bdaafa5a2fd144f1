"""The Open Graph image of a track-record card: a 1200×630 PNG drawn with Pillow.

Japanese needs a CJK font: Noto Sans CJK when the system has it (Debian's fonts-noto-cjk),
otherwise Pillow's own font, which draws Latin text only.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
BACKGROUND = (250, 247, 240)
INK = (33, 37, 41)
ACCENT = (23, 105, 170)
MUTED = (110, 117, 125)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def font(size: int) -> Font:
    for path in FONT_CANDIDATES:
        if path.is_file():
            try:
                return ImageFont.truetype(str(path), size, index=0)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> str:
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def card_png(*, title: str, name: str, lines: list[str], footer: str) -> bytes:
    """The image: the site's title, the worker's name, one line per fact shown, a footer."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 72
    draw.rectangle((0, 0, WIDTH, 16), fill=ACCENT)
    draw.text(
        (margin, 56), _fit(draw, title, font(36), WIDTH - 2 * margin), font=font(36), fill=ACCENT
    )
    draw.text(
        (margin, 116), _fit(draw, name, font(72), WIDTH - 2 * margin), font=font(72), fill=INK
    )
    y = 236
    for line in lines[:5]:
        draw.text(
            (margin, y), _fit(draw, line, font(40), WIDTH - 2 * margin), font=font(40), fill=INK
        )
        y += 64
    draw.text(
        (margin, HEIGHT - 72),
        _fit(draw, footer, font(26), WIDTH - 2 * margin),
        font=font(26),
        fill=MUTED,
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
