"""Show untrusted text (file names, import messages quoting cells) in Streamlit markdown.

st.error / st.warning / st.caption render Markdown: raw HTML is not run there, but a file
name or a CSV header could still add links, images fetched from another host (breaking the
offline promise), emoji/colour directives or LaTeX. ``md_escape`` backslash-escapes every
ASCII punctuation character (CommonMark allows that for all of them), so the text shows
exactly as written.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: object) -> str:
    """The text with Markdown syntax neutralised (shows literally in st.markdown & co.)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def md_code(text: object) -> str:
    """Untrusted text as a Markdown code span: shown literally, never a link or an image.

    Escaping alone still lets Streamlit's Markdown turn a bare ``http://...`` into a link;
    inside a code span nothing is parsed. The fence is longer than any run of backticks in
    the text, and line breaks become spaces (a span cannot hold them)."""
    body = " ".join(str(text).split())
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body else ""
    return f"{fence}{pad}{body}{pad}{fence}"
