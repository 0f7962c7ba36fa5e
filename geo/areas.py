"""Area ids that events may name in `related_area`: districts, enclaves, the NKAO and zones.

One registry so the catalogue validator can reject an unknown id and the map can say which
area an event concerns (a control change names the area that changed hands).
"""

from __future__ import annotations

from functools import lru_cache

from geo.boundaries import load_layer
from geo.toponyms import toponym

#: Areas that are groups of time-dependent zones or control periods (see geo.zones/geo.control).
ZONE_AREAS: dict[str, str] = {
    "nkao": "Former Nagorno-Karabakh Autonomous Oblast (1991)",
    "lachin-corridor": "Lachin corridor",
    "peacekeeping-zone": "Russian peacekeepers' zone of responsibility",
    "monitoring-centre": "Russian-Turkish monitoring centre near Aghdam",
    "eu-mission": "EU mission in Armenia",
    "tavush-gazakh": "Tavush-Gazakh border villages (2024 delimitation)",
}


@lru_cache(maxsize=4)
def known_areas(mode: str = "both") -> dict[str, str]:
    """Area id -> label (toponyms in the given mode) for every id an event may reference."""
    out: dict[str, str] = {}
    for layer in ("admin_units", "enclaves"):
        for f in load_layer(layer)["features"]:
            p = f["properties"]
            name = toponym(p.get("name", ""), p.get("name_hy"), p.get("name_az"), mode)
            kind = {"rayon": " district", "marz": " province"}.get(p.get("kind", ""), "")
            out[p["id"]] = name + kind
    out.update(ZONE_AREAS)
    return out


def area_label(area_id: str, mode: str = "both") -> str | None:
    """Label of an area id, or None when unknown."""
    return known_areas(mode).get(area_id)
