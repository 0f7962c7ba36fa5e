"""Standalone interactive HTML: the current map in one file that opens offline anywhere.

Same builder as the app, with every layer and dataset inline and every script/stylesheet
inlined from the installed packages, so a reader without the app (or without internet) gets
the same map, popups and sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from events.schema import ResolvedEvent
from kmap.briefing.spec import DISCLAIMER
from kmap.config import STATIC_URL
from kmap.datasets import control_collection, events_collection, zones_collection
from kmap.map.assets import asset_sources
from kmap.map.basemap import static_layers
from kmap.map.builder import MapView, build_map
from kmap.map.datasets import dataset_specs
from kmap.map.elements import DatasetSetup, StateUpdate
from kmap.situation import datasets_on, situation
from kmap.view_export import view_filters_line
from kmap.viewstate import ViewState

_TAG = re.compile(
    r'<script src="(?P<js>[^"]+)"></script>|<link rel="stylesheet" href="(?P<css>[^"]+)"/?>'
)


def inline_assets(html: str, static_url: str = STATIC_URL) -> str:
    """Replace <script src>/<link href> pointing under static_url with the files' contents.

    Raises ValueError for any other external asset, so an export can never depend on a CDN.
    """
    sources = asset_sources()

    def repl(m: re.Match) -> str:
        url = m.group("js") or m.group("css")
        if not url.startswith(static_url + "/"):
            raise ValueError(f"external asset in export: {url}")
        rel = url[len(static_url) + 1 :]
        if rel not in sources:
            raise ValueError(f"unknown local asset in export: {url}")
        text = sources[rel].read_text(encoding="utf-8")
        if m.group("js"):
            return "<script>" + text.replace("</script", "<\\/script") + "</script>"
        return "<style>" + text.replace("</style", "<\\/style") + "</style>"

    return _TAG.sub(repl, html)


#: The words around the exported map, like a briefing image's: the classification line in a
#: band at the top and the bottom, the filters in words and the boundary disclaimer.
_PAGE_CSS = (
    "<style>.kmap-class{position:fixed;left:0;right:0;z-index:1100;background:#ececec;"
    "color:#1a1a1a;font:bold 14px sans-serif;text-align:center;padding:3px 0}"
    ".kmap-class.top{top:0}.kmap-class.bottom{bottom:0}"
    ".kmap-words{position:fixed;left:8px;right:8px;z-index:1050;background:rgba(255,255,255,.9);"
    "color:#333;font:13px sans-serif;padding:4px 8px;border-radius:3px}"
    ".kmap-filters{color:#5b2a86}.kmap-disclaimer{font-style:italic}</style>"
)


def page_words(filters: str, classification: str | None) -> tuple[str, str]:
    """The markup added to the export's <head> and <body>: classification bands, the filters
    in words and the disclaimer, every text escaped (user text never reaches a template)."""
    body = []
    bottom, top = 4, 0
    if classification:
        cls = escape(classification)
        body.append(f'<div class="kmap-class top" role="note">{cls}</div>')
        body.append(f'<div class="kmap-class bottom" role="note">{cls}</div>')
        bottom, top = 28, 26
    # the map's own controls, banner and legend move clear of the bands and the words
    css = _PAGE_CSS + (
        f"<style>.leaflet-top{{top:{top}px}}.leaflet-bottom{{bottom:{bottom + 46}px}}</style>"
    )
    body.append(
        f'<div class="kmap-words" style="bottom:{bottom}px" role="note">'
        f'<div class="kmap-filters">{escape(filters)}</div>'
        f'<div class="kmap-disclaimer">{escape(DISCLAIMER)}</div></div>'
    )
    return css, "".join(body)


def standalone_html(
    events: Sequence[ResolvedEvent],
    view: ViewState,
    title: str = "karabakh-map",
    classification: str | None = None,
) -> str:
    """One self-contained HTML page of the view: base layers, events, control, zones, legend,
    and, like the briefing images, the classification line (top and bottom), the filters
    in words and the boundary disclaimer."""
    mv = MapView(
        basemap="offline",
        toponyms=view.toponyms,
        layers=view.layers,
        center=view.center,
        zoom=view.zoom,
        inline_data=static_layers(),
    )
    m = build_map(mv)
    sit = situation(events, view)
    sources: dict[str, str | dict] = {}
    if "events" in view.layers:
        sources["events"] = events_collection(events, view.toponyms)
    if "control" in view.layers:
        sources["control"] = control_collection()
    if "zones" in datasets_on(view):
        sources["zones"] = zones_collection()
    DatasetSetup(dataset_specs(sources)).add_to(m)
    StateUpdate(sit.masks, [title, *sit.banner], "export", None, sit.legend).add_to(m)
    html = m.get_root().render()
    css, words = page_words(view_filters_line(view, len(sit.shown), events), classification)
    html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
    html = html.replace("</head>", f"{css}</head>", 1)  # last: over Leaflet's own rules
    # after rendering, escaped: the words never pass through a template engine
    html = re.sub(r"<body[^>]*>", lambda b: b.group(0) + words, html, count=1)
    return inline_assets(html)
