"""Facade (until the import sites move): kmap.map.elements."""

from __future__ import annotations

from kmap.map.elements import ScriptMacro, js_json

__all__ = ["ScriptMacro", "js_json"]
