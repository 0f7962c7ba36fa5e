"""Geography for karabakh-map: boundary layers, gazetteer and control periods (no UI code)."""
