"""Offline assets: serve Leaflet & co. from installed packages, never from a CDN.

folium points its <script>/<link> tags at CDNs. Offline, streamlit-folium stops at the first
failed script and the map silently disappears, so we copy the files shipped by PyPI's XStatic
packages (and our own JS/CSS and geodata) into the app's static folder (kmap.config.static_dir:
./static, which Streamlit serves at /app/static/ when `server.enableStaticServing` is on, or
$KARABAKH_MAP_STATIC_DIR), and point folium at those copies. The copies are build artefacts
(git-ignored), made on app start.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import folium

from kmap.config import KMAP_DIR, STATIC_URL, static_dir


@dataclass(frozen=True)
class VendorPackage:
    """An XStatic package whose data folder is copied to static/vendor/<name>/."""

    name: str
    module: str
    files: tuple[str, ...]

    def base_dir(self) -> Path:
        """Folder of the installed package's data files."""
        return Path(import_module(self.module).BASE_DIR)


VENDOR: tuple[VendorPackage, ...] = (
    VendorPackage(
        "leaflet",
        "xstatic.pkg.leaflet",
        (
            "leaflet.js",
            "leaflet.css",
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
    ),
    # kmap.js groups the event symbols with L.markerClusterGroup
    VendorPackage(
        "markercluster",
        "xstatic.pkg.leaflet_markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
)

#: Our own front-end code (committed, ours) copied to static/kmap/.
OWN_FILES: tuple[str, ...] = (
    "kmap.js",
    "kmap-events.js",
    "kmap-time.js",
    "kmap-screen.js",
    "kmap.css",
)


def vendor_url(package: str, file: str, static_url: str = STATIC_URL) -> str:
    """URL of a vendored file as served by Streamlit."""
    return f"{static_url}/vendor/{package}/{file}"


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and filecmp.cmp(src, dst, shallow=False):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def ensure_static(folder: Path | None = None) -> Path:
    """Copy vendored JS/CSS, our own JS/CSS and the basemap layers into `folder` (default:
    kmap.config.static_dir()) and return it.

    Idempotent and cheap when nothing changed (files are compared before copying).
    """
    folder = static_dir() if folder is None else folder
    for pkg in VENDOR:
        base = pkg.base_dir()
        for rel in pkg.files:
            _copy_if_changed(base / rel, folder / "vendor" / pkg.name / rel)
    for name in OWN_FILES:
        _copy_if_changed(KMAP_DIR / "js" / name, folder / "kmap" / name)
    from kmap.map.basemap import write_static_layers  # geodata: loaded only when copying

    write_static_layers(folder / "data")
    return folder


def asset_sources() -> dict[str, Path]:
    """Map of static-relative path -> source file, for inlining assets in standalone exports."""
    out: dict[str, Path] = {}
    for pkg in VENDOR:
        for rel in pkg.files:
            out[f"vendor/{pkg.name}/{rel}"] = pkg.base_dir() / rel
    for name in OWN_FILES:
        out[f"kmap/{name}"] = KMAP_DIR / "js" / name
    return out


def map_assets(static_url: str = STATIC_URL) -> tuple[list, list]:
    """(js, css) lists for a folium.Map: local Leaflet, Leaflet.markercluster, our JS and CSS.

    jQuery, Bootstrap and awesome-markers are left out: our layers use plain Leaflet
    (circle markers, div icons), so nothing needs them.
    """
    js = [
        ("leaflet", vendor_url("leaflet", "leaflet.js", static_url)),
        ("markerclusterjs", vendor_url("markercluster", "leaflet.markercluster.js", static_url)),
        ("kmap", f"{static_url}/kmap/kmap.js"),
        ("kmap_events", f"{static_url}/kmap/kmap-events.js"),
        ("kmap_time", f"{static_url}/kmap/kmap-time.js"),
        ("kmap_screen", f"{static_url}/kmap/kmap-screen.js"),
    ]
    css = [
        ("leaflet_css", vendor_url("leaflet", "leaflet.css", static_url)),
        ("markerclustercss", vendor_url("markercluster", "MarkerCluster.css", static_url)),
        (
            "markerclusterdefaultcss",
            vendor_url("markercluster", "MarkerCluster.Default.css", static_url),
        ),
        ("kmap_css", f"{static_url}/kmap/kmap.css"),
    ]
    return js, css


def use_local_assets(element: folium.Map, static_url: str = STATIC_URL) -> None:
    """Point a map's default_js/default_css at the local copies (on the instance, not
    folium's class)."""
    element.default_js, element.default_css = map_assets(static_url)
