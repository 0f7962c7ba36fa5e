"""Our scripts in folium's page: data as inert JSON, scripts added verbatim.

branca renders a MacroElement's ``script`` macro and then wraps the *result* in a new
``Element(template=...)``, which Jinja compiles and renders a second time. Any text of ours in
that result (a briefing title, an event summary from an uploaded file) would then run as a
Jinja template: ``{{cycler.__init__.__globals__.os.popen('id').read()}}`` executed commands on
the server. Two guards, each enough on its own:

* :func:`js_json` writes every ``{`` that could open a Jinja tag (``{{``, ``{%``, ``{#``) as the
  JSON escape ``\\u007b``; JSON's own braces are never followed by those characters, so only
  text inside strings changes, and the browser reads the same string.
* :class:`ScriptMacro` adds its rendered script to the page verbatim, so it is not compiled
  again at all.

The time layers' scripts live here too: :class:`DatasetSetup` (in the base map: register the
datasets, fetched once) and :class:`StateUpdate` (sent on every slider move: masks, banner,
legend rows).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

#: A brace that would open a Jinja tag. Outside JSON strings a "{" is always followed by '"'
#: or "}", so this only ever matches inside strings.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_json(obj: object) -> str:
    """JSON safe to embed in a <script> block and inert to template engines: no '</script>'
    break-out, no HTML parsing (jinja2's htmlsafe_json_dumps escapes < > & '), no raw line
    separators, no Jinja tag (see the module docstring)."""
    text = str(htmlsafe_json_dumps(obj, ensure_ascii=False, separators=(",", ":")))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_OPEN.sub(r"\\u007b", text)


class _Verbatim(Element):
    """A page element whose text is output as it is (never compiled as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text, as it is (kwargs: branca's signature, unused)."""
        return self.text


class ScriptMacro(MacroElement):
    """A MacroElement whose ``script`` macro output is added to the page verbatim.

    Subclasses define ``_template`` with a ``script`` macro, exactly as for MacroElement, and
    put data into it only through :func:`js_json`."""

    def render(self, **kwargs: Any) -> None:
        """Add the rendered script to the figure without a second template pass."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be inside a Figure to render")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class DatasetSetup(ScriptMacro):
    """Base-map script registering the time-dependent datasets (fetched once)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{% for spec in this.specs %}KMap.addDataset({{ this._parent.get_name() }}, {{ spec }});
{% endfor %}
{% endmacro %}
"""
    )

    def __init__(self, specs: list[dict]) -> None:
        super().__init__()
        self._name = "KMapDatasets"
        self.specs = [js_json(s) for s in specs]


class StateUpdate(ScriptMacro):
    """Feature-group script: apply masks, banner, legend (KMap.time.receive, kmap-time.js).
    Runs on every rerun (a window let go, a filter, a pan). ``time``: what the browser needs
    to draw other dates itself (kmap.situation.Situation.time), or None."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
KMap.time.receive(window.kmapMap, {{ this.state }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        masks: dict[str, str],
        banner: list[str],
        token: str,
        changes: dict | None,
        legend: list[dict],
        time: dict | None = None,
    ) -> None:
        super().__init__()
        self._name = "KMapState"
        self.state = js_json(
            {
                "masks": masks,
                "banner": banner,
                "token": token,
                "changes": changes,
                "legend": legend,
                "time": time,
            }
        )


def state_group(
    masks: dict[str, str],
    banner: list[str],
    changes: dict | None = None,
    legend: list[dict] | None = None,
    time: dict | None = None,
) -> folium.FeatureGroup:
    """The small feature group sent on each rerun (st_folium feature_group_to_add).

    `changes` is an optional small GeoJSON of areas that changed hands (compare mode);
    `legend` the time layers' legend rows (kmap.legend.entries); `time` what the browser needs
    to draw other dates itself (kmap.situation.Situation.time).
    """
    token = hashlib.sha1(json.dumps([masks, banner]).encode()).hexdigest()[:12]
    fg = folium.FeatureGroup(name="kmap-state", control=False)
    StateUpdate(masks, banner, token, changes, legend or [], time).add_to(fg)
    return fg
