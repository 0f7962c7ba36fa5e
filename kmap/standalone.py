"""Facade (until the import sites move): kmap.map.standalone."""

from __future__ import annotations

from kmap.map.standalone import inline_assets, standalone_html

__all__ = ["inline_assets", "standalone_html"]
