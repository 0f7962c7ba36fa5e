"""Two dates side by side: one map page per date (each a whole KMap page: basemap, control,
zones, banner, legend) in a frame of one page whose script (kmap/js/kmap-compare.js) keeps the
two maps on one view. The Compare tab shows it (its maps read the app's static files); the
same page with every asset and dataset inline is a file that opens offline anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from html import escape

from geo import control
from kmap.briefing.spec import DISCLAIMER
from kmap.config import KMAP_DIR, STATIC_URL
from kmap.datasets import control_collection, zones_collection
from kmap.map.basemap import static_layers
from kmap.map.builder import MapView, build_map
from kmap.map.datasets import dataset_specs
from kmap.map.elements import DatasetSetup, StateUpdate
from kmap.map.standalone import inline_assets
from kmap.situation import SOVIET_NOTE, datasets_on, situation
from kmap.viewstate import ViewState
from kmap.words import date_in_words

#: The outer page's script: waits for both maps, then keeps them on one view.
COMPARE_JS = KMAP_DIR / "js" / "kmap-compare.js"
#: What the live map adds for the changed areas (kmap.areas.changes_overlay): banner line,
#: legend entry, GeoJSON.
Overlay = tuple[str, dict, dict]

_CSS = (
    "<style>html,body{margin:0;height:100%;font:14px sans-serif;color:#1a1a1a}"
    "body{display:flex;flex-direction:column}"
    ".kmap-compare{display:flex;gap:6px;flex:1;min-height:0}"
    ".kmap-compare-pane{flex:1;display:flex;flex-direction:column;min-width:0}"
    ".kmap-compare-date{font-weight:bold;padding:2px 4px}"
    ".kmap-compare-map{flex:1;width:100%;border:1px solid #bbb;box-sizing:border-box}"
    ".kmap-compare-class{background:#ececec;font-weight:bold;text-align:center;padding:3px 0}"
    ".kmap-compare-title{font-size:18px;font-weight:bold;padding:4px}"
    ".kmap-compare-note{font-size:12px;font-style:italic;padding:3px 4px}</style>"
)


def date_view(view: ViewState, day: dt.date) -> ViewState:
    """The view as of `day`, without events (they belong to a date window, not a day)."""
    return replace(view, layers=view.layers - {"events"}, end=day, start=min(view.start, day))


def map_page(
    view: ViewState,
    day: dt.date,
    sources: dict[str, str | dict],
    overlay: Overlay | None = None,
    *,
    static_url: str = STATIC_URL,
    inline: bool = False,
) -> str:
    """One date's map page: the view's base map and place names, control and zones as of
    `day`, its banner and legend, and the changed areas when `overlay` is given. `sources`
    are the datasets (URLs or GeoJSON); `inline` puts every asset and basemap layer in the
    page (offline basemap only, like the standalone export)."""
    v = date_view(view, day)
    sit = situation((), v)
    base = MapView(
        basemap="offline" if inline else v.basemap,
        toponyms=v.toponyms,
        layers=v.layers,
        center=v.center,
        zoom=v.zoom,
        static_url=static_url,
        inline_data=static_layers() if inline else None,
    )
    m = build_map(base)
    on = datasets_on(v)
    DatasetSetup(dataset_specs({k: s for k, s in sources.items() if k in on})).add_to(m)
    banner = [f"Situation as of {date_in_words(day)}"]
    if not control.modelled(day):
        banner.append(SOVIET_NOTE)
    legend, changes = list(sit.legend), None
    if overlay:
        line, entry, changes = overlay
        banner.append(line)
        legend.append(entry)
    StateUpdate(sit.masks, banner, f"compare-{day.isoformat()}", changes, legend).add_to(m)
    html = m.get_root().render()
    return inline_assets(html, static_url) if inline else html


def inline_sources() -> dict[str, str | dict]:
    """The datasets a side-by-side file carries inline (control periods and zones)."""
    return {"control": control_collection(), "zones": zones_collection()}


def compare_html(
    view: ViewState,
    dates: tuple[dt.date, dt.date],
    sources: dict[str, str | dict],
    overlay: Overlay | None = None,
    *,
    title: str | None = None,
    classification: str | None = None,
    static_url: str = STATIC_URL,
    inline: bool = False,
) -> str:
    """The side-by-side page: each date's map page in a frame under its date in words, the
    two kept on one view by kmap-compare.js; with a title, the classification line (top and
    bottom) and the boundary disclaimer when `title` is given (the exported file). Every
    text is escaped (user text never reaches a template)."""
    panes = []
    for name, day in zip(("a", "b"), dates, strict=True):
        page = map_page(view, day, sources, overlay, static_url=static_url, inline=inline)
        words = escape(date_in_words(day))
        panes.append(
            f'<div class="kmap-compare-pane"><div class="kmap-compare-date">{words}</div>'
            f'<iframe class="kmap-compare-map" name="kmap-compare-{name}" '
            f'title="Map as of {words}" srcdoc="{escape(page, quote=True)}"></iframe></div>'
        )
    band = (
        f'<div class="kmap-compare-class" role="note">{escape(classification)}</div>'
        if classification
        else ""
    )
    top = f'<div class="kmap-compare-title">{escape(title)}</div>' if title else ""
    note = f'<div class="kmap-compare-note">{escape(DISCLAIMER)}</div>' if title else ""
    script = COMPARE_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
    doc_title = escape(title or "karabakh-map: two dates side by side")
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{doc_title}</title>{_CSS}'
        f'</head><body>{band}{top}<div class="kmap-compare" data-kmap-compare-linked="0">'
        f"{''.join(panes)}</div>{note}{band}<script>{script}</script><script>"
        'KMapCompare.link(document.querySelectorAll(".kmap-compare-map"),'
        'document.querySelector(".kmap-compare"));</script></body></html>'
    )
