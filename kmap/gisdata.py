"""Control periods and zones as GIS files for download from the app (geo.export does the
writing): a GeoPackage, a zip of GeoJSON files (one per layer) or a KML file, of the whole
timeline or of the situation on one day. geopandas is imported on use, not at app start."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

#: Download choices: label -> (geo.export format, file extension, MIME type).
GIS_FORMATS: dict[str, tuple[str, str, str]] = {
    "GeoPackage (QGIS, ArcGIS)": ("gpkg", "gpkg", "application/geopackage+sqlite3"),
    "GeoJSON (zip, one file per layer)": ("geojson", "zip", "application/zip"),
    "KML (Google Earth)": ("kml", "kml", "application/vnd.google-earth.kml+xml"),
}
#: The layers offered: who held what, and the zones (peacekeepers, corridor, missions).
GIS_LAYERS = ("control_periods", "zones")


def gis_file(label: str, day: dt.date | None) -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of the control and zone layers in the chosen format;
    ``day`` None = every period with its valid_from / valid_to (QGIS Temporal Controller)."""
    from geo.export import write  # geopandas/pyogrio: on use only

    if label not in GIS_FORMATS:
        raise ValueError(f"format: unknown {label!r}; choose one of {', '.join(GIS_FORMATS)}")
    fmt, ext, mime = GIS_FORMATS[label]
    stem = f"karabakh-map-control-zones-{day.isoformat() if day else 'timeline'}"
    with tempfile.TemporaryDirectory(prefix="kmap-gis-") as tmp:
        target = Path(tmp) / (stem if fmt == "geojson" else f"{stem}.{ext}")
        write(target, fmt, day=day, layers=GIS_LAYERS)
        if fmt != "geojson":
            return target.read_bytes(), target.name, mime
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(target.glob("*.geojson")):
                zf.write(f, f"{stem}/{f.name}")
        return buf.getvalue(), f"{stem}.zip", mime
