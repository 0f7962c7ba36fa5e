"""Our data in folium's page scripts, never as template source.

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
"""

from __future__ import annotations

import json
import re
from typing import Any

from branca.element import Element, Figure, MacroElement

#: A brace that would open a Jinja tag. Outside JSON strings a "{" is always followed by '"'
#: or "}", so this only ever matches inside strings.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_json(obj: object) -> str:
    """JSON safe to embed in a <script> block and inert to template engines: no '</script>'
    break-out, no HTML parsing, no Jinja tag (see the module docstring)."""
    text = (
        json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", text)


class _Verbatim(Element):
    """A page element whose text is output as it is (never compiled as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:  # noqa: ARG002 - branca's signature
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
