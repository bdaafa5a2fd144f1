"""The pipes chart as a PNG image, for the weekly e-mail (mail programs do not show inline SVG).

It draws the same geometry as the page's SVG (:func:`tsunagu.income.chart.pipe_chart`), at twice
the size for sharp screens, with the labels in the language active when it is called. Japanese
labels need a CJK font: the one the PDF papers embed (``TSUNAGU_PDF_FONT``); without it Pillow's
own font is used and the image still shows the bands.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, ngettext
from PIL import Image, ImageDraw, ImageFont

from tsunagu.income.chart import PipeChart
from tsunagu.profiles.money import format_money

SCALE = 2
INK, MUTED = "#24292f", "#57606a"
PIPE, THINNING, THINNING_EDGE = "#0b6e4f", "#d9a441", "#8a5a00"

_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def _font(size: int) -> _Font:
    path = Path(settings.TSUNAGU_PDF_FONT)
    if path.is_file():
        index = settings.TSUNAGU_PDF_FONT_INDEX if path.suffix == ".ttc" else 0
        return ImageFont.truetype(str(path), size * SCALE, index=index)
    return ImageFont.load_default(size * SCALE)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: _Font, width: float) -> str:
    """The text cut with an ellipsis so that it fits ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def pipes_png(chart: PipeChart) -> bytes:
    """The chart as PNG bytes: one band per client, thinning ones in amber with a dashed edge."""
    s = SCALE
    height = max(chart.height, 60)
    image = Image.new("RGB", (chart.width * s, height * s), "white")
    draw = ImageDraw.Draw(image)
    label, small = _font(12), _font(11)
    for band in chart.bands:
        pipe = band.row.pipe
        name = _fit(draw, band.row.client_name or "—", label, 160 * s)
        draw.text((0, band.label_y * s), name, fill=INK, font=label, anchor="ls")
        box = (
            band.x * s,
            band.y * s,
            (band.x + max(band.width, 2)) * s,
            (band.y + band.height) * s,
        )
        fill = THINNING if pipe.is_thinning else PIPE
        draw.rounded_rectangle(box, radius=4 * s, fill=fill)
        if pipe.is_thinning:
            _dashed_outline(draw, box, THINNING_EDGE)
        months = ngettext("%(n)d month", "%(n)d months", pipe.length_months) % {
            "n": pipe.length_months
        }
        caption = f"{format_money(pipe.thickness, 'JPY')} · {months}"
        if pipe.is_thinning:
            caption = f"{gettext('thinning')} · {caption}"
        text_colour = "#3d2a00" if pipe.is_thinning else "white"
        if draw.textlength(caption, font=small) + 12 * s > box[2] - box[0] or band.height < 14:
            # too narrow or thin for the caption inside: write it in the label column's gap
            text_colour = INK
            caption = _fit(draw, caption, small, max(band.x - 175, 40) * s)
            draw.text((box[0] - 6 * s, band.label_y * s), caption, fill=text_colour, font=small,
                      anchor="rs")  # fmt: skip
        else:
            draw.text((box[0] + 6 * s, band.label_y * s), caption, fill=text_colour, font=small,
                      anchor="ls")  # fmt: skip
    axis = chart.axis_y * s
    draw.line((170 * s, axis, (chart.width - 10) * s, axis), fill="#d0d7de", width=s)
    ago = ngettext("%(n)d month ago", "%(n)d months ago", chart.longest_months) % {
        "n": chart.longest_months
    }
    draw.text((170 * s, axis + 14 * s), ago, fill=MUTED, font=small, anchor="ls")
    draw.text(((chart.width - 10) * s, axis + 14 * s), gettext("today"), fill=MUTED, font=small,
              anchor="rs")  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _dashed_outline(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], colour: str
) -> None:
    left, top, right, bottom = box
    dash, gap = 4 * SCALE, 3 * SCALE
    for y in (top, bottom - SCALE):
        x = left
        while x < right:
            draw.line((x, y, min(x + dash, right), y), fill=colour, width=SCALE)
            x += dash + gap
    for x in (left, right - SCALE):
        y = top
        while y < bottom:
            draw.line((x, y, x, min(y + dash, bottom)), fill=colour, width=SCALE)
            y += dash + gap
