"""An animated GIF or MP4 of a date range: one frame per step (day, week or month).

Each frame is the briefing of one as-of day (the caller says how a day becomes a
BriefingSpec), reduced to 1280x720 to keep files small. The number of frames equals the
number of steps; more than MAX_FRAMES is refused with a message saying how to get fewer.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import numpy as np
from matplotlib.font_manager import FontProperties, findfont
from PIL import Image, ImageDraw, ImageFont

from kmap.briefing import BriefingSpec
from kmap.deck.frames import MAX_FRAMES, Every, TooManyFrames, frame_days
from kmap.deck.render import map_png
from kmap.words import date_in_words

FRAME_SIZE = (1280, 720)
STAMP = "#5b2a86"  # the briefing header rule's purple


def frames(
    days: list[dt.date],
    spec_for: Callable[[dt.date], BriefingSpec],
    size: tuple[int, int] = FRAME_SIZE,
) -> Iterator[Image.Image]:
    """The frames, one per day: the day's 16:9 briefing reduced to ``size`` (RGB), with the
    day stamped large in the top right corner (readable in motion; no two frames alike, so a
    GIF writer cannot merge them)."""
    font = ImageFont.truetype(
        findfont(FontProperties(family="DejaVu Sans", weight="bold")), size=max(12, size[1] // 24)
    )
    for day in days:
        with Image.open(io.BytesIO(map_png(spec_for(day)))) as im:
            frame = im.convert("RGB").resize(size, Image.Resampling.LANCZOS)
        draw = ImageDraw.Draw(frame)
        pad = size[1] // 40
        draw.text((size[0] - pad, pad), date_in_words(day), fill=STAMP, font=font, anchor="ra")
        yield frame


def to_gif(images: Iterator[Image.Image], seconds_per_frame: float = 0.5) -> bytes:
    """An animated GIF that loops; every frame kept (even one equal to the previous)."""
    ims = [im.quantize(colors=255, method=Image.Quantize.MEDIANCUT) for im in images]
    if not ims:
        raise ValueError("no frames")
    buf = io.BytesIO()
    ims[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=ims[1:],
        duration=int(seconds_per_frame * 1000),
        loop=0,
        optimize=False,
    )
    return buf.getvalue()


def to_mp4(images: Iterator[Image.Image], fps: float = 2.0) -> bytes:
    """An H.264 MP4 (yuv420p, plays in PowerPoint and browsers) via imageio-ffmpeg."""
    import imageio.v2 as imageio

    with tempfile.TemporaryDirectory(prefix="kmap-mp4-") as tmp:
        path = Path(tmp) / "deck.mp4"
        n = 0
        with imageio.get_writer(
            path,
            format="FFMPEG",
            mode="I",
            fps=fps,
            codec="libx264",
            pixelformat="yuv420p",
            macro_block_size=16,
            ffmpeg_log_level="error",
        ) as w:
            for im in images:
                w.append_data(np.asarray(im))
                n += 1
        if not n:
            raise ValueError("no frames")
        return path.read_bytes()


def animation(
    start: dt.date,
    end: dt.date,
    spec_for: Callable[[dt.date], BriefingSpec],
    every: Every = "day",
    fmt: Literal["gif", "mp4"] = "gif",
    seconds_per_frame: float = 0.5,
) -> bytes:
    """The range as an animated GIF or MP4, one frame per step (see :func:`frame_days`)."""
    days = frame_days(start, end, every)
    images = frames(days, spec_for)
    if fmt == "gif":
        return to_gif(images, seconds_per_frame)
    if fmt == "mp4":
        return to_mp4(images, 1 / seconds_per_frame)
    raise ValueError(f"unknown format {fmt!r}; use gif or mp4")


__all__ = ["FRAME_SIZE", "MAX_FRAMES", "TooManyFrames", "animation", "frame_days", "frames"]
