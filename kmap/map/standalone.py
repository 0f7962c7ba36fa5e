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
from kmap.config import STATIC_URL
from kmap.datasets import control_collection, events_collection, zones_collection
from kmap.map.assets import asset_sources
from kmap.map.basemap import static_layers
from kmap.map.builder import MapView, build_map
from kmap.map.datasets import dataset_specs
from kmap.map.elements import DatasetSetup, StateUpdate
from kmap.situation import datasets_on, situation
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


def standalone_html(
    events: Sequence[ResolvedEvent], view: ViewState, title: str = "karabakh-map"
) -> str:
    """One self-contained HTML page of the view: base layers, events, control, zones, legend."""
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
    html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
    return inline_assets(html)
