"""Facade (until the import sites move): kmap.map.assets; the static folder's URL and path
are kmap.config's (STATIC_URL, static_dir(), $KARABAKH_MAP_STATIC_DIR)."""

from __future__ import annotations

from kmap.config import DEFAULT_STATIC_DIR, KMAP_DIR, REPO_DIR, STATIC_URL, static_dir
from kmap.map.assets import (
    OWN_FILES,
    VENDOR,
    VendorPackage,
    asset_sources,
    ensure_static,
    map_assets,
    use_local_assets,
    vendor_url,
)

__all__ = [
    "DEFAULT_STATIC_DIR",
    "KMAP_DIR",
    "OWN_FILES",
    "REPO_DIR",
    "STATIC_URL",
    "VENDOR",
    "VendorPackage",
    "asset_sources",
    "ensure_static",
    "map_assets",
    "static_dir",
    "use_local_assets",
    "vendor_url",
]
