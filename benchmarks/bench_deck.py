"""Time a 10-step briefing deck at 20k synthetic events (issue #19 budget: <= 30 s).

Run: .venv/bin/python benchmarks/bench_deck.py [--events N] [--out DIR] [--pdf]

The events are a synthetic ACLED export (benchmarks/synth.py) read by the real importer.
Each step is built as the UI builds it: the app's situation of the step's view (filtered
events), its briefing spec (kmap.view_export.briefing_spec: events, control and zones of the
as-of day) framed by the step, the deck page (filters in words, sources); then the PPTX (and
with --pdf the PDF) is written.
Prints seconds per phase; exits 1 over budget.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import write_acled_csv
from events.io.acled import import_acled
from kmap.deck.build import pages_for
from kmap.deck.pdf_deck import deck_pdf
from kmap.deck.pptx_deck import deck_pptx
from kmap.deck.storyboard import Arrow, CircleArea, Step, Storyboard
from kmap.viewstate import ViewState, to_query

BUDGET_S = 30.0
STEPS = [  # (title, start, end, filters, frame)
    ("First war", date(1992, 1, 1), date(1994, 5, 12), {}, "karabakh"),
    ("Line of contact", date(1994, 5, 12), date(2020, 9, 26), {}, "region"),
    ("Clashes only, 1994-2020", date(1994, 5, 12), date(2020, 9, 26), {"types": ("clash",)},
     "karabakh"),
    ("April 2016", date(2016, 4, 1), date(2016, 4, 5), {}, "karabakh"),
    ("2020 war", date(2020, 9, 27), date(2020, 11, 10), {}, "karabakh"),
    ("2020 war, exact locations", date(2020, 9, 27), date(2020, 11, 10), {"exact_only": True},
     "karabakh"),
    ("Lachin corridor, blockade", date(2022, 12, 12), date(2023, 9, 19), {"text": "Lachin"},
     "lachin_corridor"),
    ("September 2023", date(2023, 9, 19), date(2023, 10, 1), {}, "karabakh"),
    ("Nakhchivan, all years", date(1988, 1, 1), date(2025, 12, 31), {}, "nakhchivan"),
    ("Everything", date(1988, 1, 1), date(2025, 12, 31), {}, "region"),
]  # fmt: skip


def storyboard() -> Storyboard:
    """The ten steps as a storyboard (what the UI would save), with annotations."""
    steps = []
    for title, start, end, filters, frame in STEPS:
        view = ViewState(start=start, end=end, **filters)
        steps.append(
            Step(
                title=title,
                note=f"Speaker note for {title}.",
                query=to_query(view),
                frame=frame,
                annotations=(
                    Arrow(start=(47.0, 39.5), end=(46.75, 39.8), text="axis"),
                    CircleArea(centre=(46.6, 39.6), radius_km=10),
                ),
            )
        )
    return Storyboard(title="Benchmark deck", classification="UNCLASSIFIED", steps=tuple(steps))


def main() -> int:
    """Build the deck, print seconds per phase, write the outputs."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="deck-")))
    ap.add_argument("--pdf", action="store_true", help="also time the multi-page PDF")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = write_acled_csv(args.events, Path(tempfile.gettempdir()) / "kmap-bench")
    events = import_acled(csv_path).events
    print(f"{len(events)} events imported from {csv_path}")
    sb = storyboard()
    sb = Storyboard.from_json(sb.to_json())  # what a saved storyboard goes through

    t0 = time.perf_counter()
    pages = pages_for(sb, events)
    t1 = time.perf_counter()
    data = deck_pptx(pages, sb.classification)
    t2 = time.perf_counter()
    (args.out / "deck.pptx").write_bytes(data)
    shown = [p.filters_line for p in pages]
    print("\n".join(f"  {p.title}: {line}" for p, line in zip(pages, shown, strict=True)))
    print(f"pages (filter, spec, sources): {t1 - t0:.2f} s")
    print(f"PPTX, {len(pages)} slides + sources: {t2 - t1:.2f} s, {len(data) / 1e6:.1f} MB")
    total = t2 - t0
    print(f"deck total: {total:.2f} s (budget {BUDGET_S:.0f} s)")
    if args.pdf:
        t3 = time.perf_counter()
        pdf = deck_pdf([replace(p) for p in pages], "a4", sb.classification)
        print(f"PDF A4: {time.perf_counter() - t3:.2f} s, {len(pdf) / 1e6:.1f} MB")
        (args.out / "deck.pdf").write_bytes(pdf)
    print(f"outputs in {args.out}")
    return 0 if total <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
