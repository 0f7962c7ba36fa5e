"""The words printed around the map: the subtitle (dates), the sources line, the basemap note."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping

from geo.control import modelled
from kmap.briefing.spec import BriefingSpec
from kmap.config import ONLINE_TILES
from kmap.words import date_in_words, date_range_in_words


def subtitle(spec: BriefingSpec) -> str:
    """'Situation as of 10 November 2020 · events 27 September – 10 November 2020'."""
    soviet = "" if modelled(spec.as_of) else " (Soviet period: no held areas)"
    return (
        f"Situation as of {date_in_words(spec.as_of)}{soviet} · "
        f"events {date_range_in_words(spec.event_start, spec.event_end)}"
    )


def _citations(publishers: Iterable[str] | Mapping[str, int]) -> Counter[str]:
    """Citations per publisher name (stripped; blank names left out)."""
    counts: Counter[str] = Counter()
    if isinstance(publishers, Mapping):
        for p, c in publishers.items():
            if p and p.strip():
                counts[p.strip()] += int(c)
    else:
        counts.update(p.strip() for p in publishers if p and p.strip())
    return counts


#: What follows "… and N more" in a capped sources line: where the rest are listed.
MORE_WHERE = " — full list in the deck/CSV"


def sources_line(publishers: Iterable[str] | Mapping[str, int], max_chars: int = 160) -> str:
    """'Sources: A, B, C … and N more — full list in the deck/CSV' within max_chars
    (most-cited publishers first).

    publishers: one name per citation, or a mapping name -> number of citations.
    """
    counts = _citations(publishers)
    names = sorted(counts, key=lambda p: (-counts[p], p.casefold()))
    if not names:
        return ""
    # length of "Sources: " + the first n names joined by ", " (n = 1 .. len(names))
    head = len("Sources: ") - 2
    lengths = []
    for name in names:
        head += len(name) + 2
        lengths.append(head)
    for n in range(len(names), 0, -1):
        more = len(names) - n
        tail = len(f" … and {more} more{MORE_WHERE}") if more else 0
        if lengths[n - 1] + tail <= max_chars:
            text = "Sources: " + ", ".join(names[:n])
            return text + (f" … and {more} more{MORE_WHERE}" if more else "")
    first = names[0][: max(10, max_chars - 30 - len(MORE_WHERE))]
    return f"Sources: {first} … and {len(names) - 1} more{MORE_WHERE}"


def basemap_note(basemap: str) -> str:
    """What the export's basemap is, naming the tile provider the user had on screen."""
    if basemap == "offline":
        return "Basemap: offline vector"
    tiles = ONLINE_TILES.get(basemap)
    provider = basemap
    if tiles is not None:
        provider = f"{tiles.label}, {html.unescape(tiles.attribution)}"
    return f"Basemap: offline vector (online tiles not embedded; on screen: {provider})"
