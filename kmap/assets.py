"""Offline assets: serve Leaflet & co. from installed packages, never from a CDN.

folium points its <script>/<link> tags at CDNs. Offline, streamlit-folium stops at the first
failed script and the map silently disappears, so we copy the files shipped by PyPI's XStatic
packages (and our own JS/CSS and geodata) into the app's ./static folder, which Streamlit serves
at /app/static/ when `server.enableStaticServing` is on, and point folium at those copies.
The copies are build artefacts (git-ignored), made on app start.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import folium
from folium.plugins import MarkerCluster

#: URL prefix under which Streamlit serves the app's ./static folder.
STATIC_URL = "/app/static"
#: Folder (relative to the app) that Streamlit serves at STATIC_URL.
KMAP_DIR = Path(__file__).resolve().parent
REPO_DIR = KMAP_DIR.parent
DEFAULT_STATIC_DIR = REPO_DIR / "static"


@dataclass(frozen=True)
class VendorPackage:
    """An XStatic package whose data folder is copied to static/vendor/<name>/."""

    name: str
    module: str
    files: tuple[str, ...]

    def base_dir(self) -> Path:
        """Folder of the installed package's data files."""
        return Path(import_module(self.module).BASE_DIR)

    def version(self) -> str:
        """Upstream version of the vendored library."""
        return str(import_module(self.module).VERSION)


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
    VendorPackage(
        "markercluster",
        "xstatic.pkg.leaflet_markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
)

#: Our own front-end code (committed, ours) copied to static/kmap/.
OWN_FILES: tuple[str, ...] = ("kmap.js", "kmap.css")


def vendor_url(package: str, file: str, static_url: str = STATIC_URL) -> str:
    """URL of a vendored file as served by Streamlit."""
    return f"{static_url}/vendor/{package}/{file}"


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and filecmp.cmp(src, dst, shallow=False):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def ensure_static(static_dir: Path = DEFAULT_STATIC_DIR) -> Path:
    """Copy vendored JS/CSS, our own JS/CSS and the basemap layers into static_dir.

    Idempotent and cheap when nothing changed (files are compared before copying).
    """
    for pkg in VENDOR:
        base = pkg.base_dir()
        for rel in pkg.files:
            _copy_if_changed(base / rel, static_dir / "vendor" / pkg.name / rel)
    for name in OWN_FILES:
        _copy_if_changed(KMAP_DIR / "js" / name, static_dir / "kmap" / name)
    from kmap.basemap import write_static_layers

    write_static_layers(static_dir / "data")
    return static_dir


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
    """(js, css) lists for a folium.Map: local Leaflet, Leaflet.markercluster, kmap.js/css.

    jQuery, Bootstrap and awesome-markers are left out: our layers use plain Leaflet
    (circle markers, div icons), so nothing needs them.
    """
    cjs, ccss = cluster_assets(static_url)
    js = [("leaflet", vendor_url("leaflet", "leaflet.js", static_url)), *cjs]
    js.append(("kmap", f"{static_url}/kmap/kmap.js"))
    css = [("leaflet_css", vendor_url("leaflet", "leaflet.css", static_url)), *ccss]
    css.append(("kmap_css", f"{static_url}/kmap/kmap.css"))
    return js, css


def cluster_assets(static_url: str = STATIC_URL) -> tuple[list, list]:
    """(js, css) lists for folium's MarkerCluster plugins, pointing at the local copies."""
    js = [("markerclusterjs", vendor_url("markercluster", "leaflet.markercluster.js", static_url))]
    css = [
        ("markerclustercss", vendor_url("markercluster", "MarkerCluster.css", static_url)),
        (
            "markerclusterdefaultcss",
            vendor_url("markercluster", "MarkerCluster.Default.css", static_url),
        ),
    ]
    return js, css


def use_local_assets(element: folium.MacroElement, static_url: str = STATIC_URL) -> None:
    """Set an element's default_js/default_css (on the instance, not folium's class)."""
    js, css = (
        cluster_assets(static_url) if isinstance(element, MarkerCluster) else map_assets(static_url)
    )
    element.default_js = js
    element.default_css = css
