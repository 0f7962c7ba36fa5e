"""Neutral naming: one function that renders a place's name in the chosen toponym mode."""

from __future__ import annotations

TOPONYM_MODES: tuple[str, ...] = ("both", "armenian", "azerbaijani")


def toponym(
    name: str, name_hy: str | None = None, name_az: str | None = None, mode: str = "both"
) -> str:
    """Render a name: "both" -> "Stepanakert / Khankendi" (when the two differ),
    "armenian" -> the Armenian-side name, "azerbaijani" -> the Azerbaijani-side name.

    Falls back to `name` where a side has no distinct name.
    """
    if mode not in TOPONYM_MODES:
        raise ValueError(f"unknown toponym mode {mode!r}; use one of {', '.join(TOPONYM_MODES)}")
    hy = name_hy or name
    az = name_az or name
    if mode == "armenian":
        return hy
    if mode == "azerbaijani":
        return az
    return hy if hy == az else f"{hy} / {az}"
