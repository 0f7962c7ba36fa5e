"""The side colours stay apart for every reader: normal vision and simulated protanopia,
deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0), measured with
CIEDE2000 on the colour the map shows (the fill at its opacity over the offline land)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kmap.legend import control_rows, entries, zone_rows
from palette import BASE_STYLES, CONTROL_STYLES, ZONE_STYLES, blend, shown_fill

#: Machado et al. 2009, Table 1 at severity 1.0; applied to linear RGB.
MACHADO_2009 = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
VISIONS = ("normal", *MACHADO_2009)
#: Minimum CIEDE2000 between the two sides, and between a side and the bare land. 2.3 is a
#: just-noticeable difference; a projector washes colours out, so ask for far more.
MIN_SIDES = 25.0
MIN_LAND = 15.0
_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _encode(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def _seen(hex_colour: str, vision: str) -> np.ndarray:
    """sRGB (0-1) of a colour as a reader with `vision` sees it."""
    c = _rgb(hex_colour)
    if vision == "normal":
        return c
    return _encode(np.array(MACHADO_2009[vision]) @ _linear(c))


def _lab(c: np.ndarray) -> tuple[float, float, float]:
    xyz = _SRGB_TO_XYZ @ _linear(c) / _D65
    d = 6 / 29
    f = np.where(xyz > d**3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbar - 30))
        + 0.24 * math.cos(math.radians(2 * hbar))
        + 0.32 * math.cos(math.radians(3 * hbar + 6))
        - 0.20 * math.cos(math.radians(4 * hbar - 63))
    )
    dtheta = 30 * math.exp(-(((hbar - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    rt = -math.sin(math.radians(2 * dtheta)) * rc
    dl, dc = (l2 - l1) / sl, (c2p - c1p) / sc
    dhh = d_hp / sh
    return math.sqrt(dl * dl + dc * dc + dhh * dhh + rt * dc * dhh)


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), test data pairs 1, 3 and 18
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.8361, -74.0200), (50, 0, -82.7485), 3.4412),
        ((50, 0, 0), (50, -1, 2), 2.3669),
    ],
)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def _difference(c1: str, c2: str, vision: str) -> float:
    return ciede2000(_lab(_seen(c1, vision)), _lab(_seen(c2, vision)))


@pytest.mark.parametrize("vision", VISIONS)
def test_the_two_sides_stay_apart_and_off_the_land(vision: str) -> None:
    land = BASE_STYLES["land"].fill
    arm, aze = (shown_fill(CONTROL_STYLES[k]) for k in ("armenian", "azerbaijani"))
    assert _difference(arm, aze, vision) >= MIN_SIDES, (vision, arm, aze)
    for side in (arm, aze):
        assert _difference(side, land, vision) >= MIN_LAND, (vision, side, land)


def test_the_simulation_can_fail() -> None:
    """Red and green, apart for normal vision, collapse for a deuteranope: the check bites."""
    assert _difference("#d62728", "#2ca02c", "normal") > MIN_SIDES
    assert _difference("#d62728", "#2ca02c", "deuteranopia") < MIN_LAND


def test_zones_are_outlines_so_a_side_shows_one_colour() -> None:
    """No zone area tints the control fill under it (monitoring centres are small rings)."""
    for kind, style in ZONE_STYLES.items():
        if style.kind == "fill":
            assert style.fill is None, kind
    for lid in ("districts", "enclaves"):  # drawn over held areas too
        assert BASE_STYLES[lid].fill is None, lid


def test_the_legend_swatch_is_the_colour_the_map_shows() -> None:
    for row, (key, style) in zip(
        entries(control_rows(CONTROL_STYLES)), CONTROL_STYLES.items(), strict=True
    ):
        assert row["fill"] == shown_fill(style) == blend(style.fill, style.fill_opacity), key
        assert row["fill"] != style.fill  # translucent: the swatch is the blend, not the ink
    assert [r["fill"] for r in entries(zone_rows(["corridor"]))] == [None]


def test_blend_rounds_per_channel_and_names_a_bad_colour() -> None:
    assert blend("#000000", 0.5, "#ffffff") == "#808080"
    assert blend("#2c7bb6", 1.0, "#ffffff") == "#2c7bb6"
    with pytest.raises(ValueError, match="#abc"):
        blend("#abc", 0.5)
