"""Territorial control over time in and around Nagorno-Karabakh (1991 to today).

- :mod:`geo.control.model`: the model built from ``geo/data/control/`` (pieces with sourced
  timelines cut into cells; control periods with valid_from / valid_to, sources, precision);
- :mod:`geo.control.timeline`: per-day questions (periods in force, who held a point, km2 per
  side, changes between two days, the day's GeoJSON), memoised per state for the slider;
- :mod:`geo.control.geometry`: equal-area sizes through geopandas and the overlay operations;
- ``python -m geo.control``: the CLI (``--point``, ``--areas``, ``--geojson``, ``--json``).

The same periods as a GeoDataFrame: :func:`geo.frames.control_periods`.
"""

from __future__ import annotations

from geo.control.geometry import (
    EQUAL_AREA,
    MIN_CELL_KM2,
    ROUND_DEG,
    SIMPLIFY_DEG,
    area_km2,
    buffer_line,
    circle,
    inter,
    minus,
    to_degrees,
    to_metres,
    union,
)
from geo.control.model import (
    CONTROL_DIR,
    CONTROLLERS,
    DATA,
    MODEL_START,
    WAR_2020,
    ControlModel,
    ControlPeriod,
    ModelError,
    model_inputs,
)
from geo.control.timeline import (
    areas_km2,
    as_day,
    change_dates,
    changes_between,
    control_at,
    control_geojson,
    controller_at,
    day_geojson,
    held_area,
    model,
    model_key,
    modelled,
    period_at,
)

__all__ = [
    "CONTROLLERS",
    "CONTROL_DIR",
    "DATA",
    "EQUAL_AREA",
    "MIN_CELL_KM2",
    "MODEL_START",
    "ROUND_DEG",
    "SIMPLIFY_DEG",
    "WAR_2020",
    "ControlModel",
    "ControlPeriod",
    "ModelError",
    "area_km2",
    "areas_km2",
    "as_day",
    "buffer_line",
    "change_dates",
    "changes_between",
    "circle",
    "control_at",
    "control_geojson",
    "controller_at",
    "day_geojson",
    "held_area",
    "inter",
    "minus",
    "model",
    "model_inputs",
    "model_key",
    "modelled",
    "period_at",
    "to_degrees",
    "to_metres",
    "union",
]
