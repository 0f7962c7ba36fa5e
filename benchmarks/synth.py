"""Synthetic ACLED exports for the benchmarks: N events in the region, 1988-2025.

The file has ACLED's current 31-column layout (DESIGN.md §6, events.io.acled.ACLED_COLUMNS),
so it goes through the same importer a user's real export does. Every ACLED event_type /
sub_event_type pair is used (the importer maps them onto our types: clash, control_change,
agreement, political), with mixed time precision (day/week/month) and geo precision
(town / near a town / region). Deterministic for a given size and seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from events.io.acled import ACLED_COLUMNS

LON = (44.5, 47.5)
LAT = (38.8, 40.8)
FIRST = dt.date(1988, 1, 1)
LAST = dt.date(2025, 12, 31)

#: ACLED's event types and sub-event types (ACLED codebook).
ACLED_TYPES: dict[str, tuple[str, list[str]]] = {
    "Battles": (
        "Political violence",
        ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    ),
    "Explosions/Remote violence": (
        "Political violence",
        [
            "Shelling/artillery/missile attack",
            "Air/drone strike",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    "Violence against civilians": (
        "Political violence",
        ["Attack", "Abduction/forced disappearance", "Sexual violence"],
    ),
    "Protests": (
        "Demonstrations",
        ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    ),
    "Riots": ("Demonstrations", ["Violent demonstration", "Mob violence"]),
    "Strategic developments": (
        "Strategic developments",
        [
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
}
ACTORS = [
    ("Military Forces of Armenia (1998-2018)", 1),
    ("Military Forces of Azerbaijan (2003-)", 1),
    ("Military Forces of Armenia (2018-)", 1),
    ("Military Forces of Nagorno-Karabakh", 2),
    ("Police Forces of Azerbaijan (2003-)", 1),
    ("Military Forces of Russia (2000-) Peacekeeping", 8),
    ("Civilians (Armenia)", 7),
    ("Civilians (Azerbaijan)", 7),
    ("Protesters (Armenia)", 6),
    ("Rioters (Azerbaijan)", 5),
]
PUBLISHERS = ["Armenpress", "APA", "Reuters", "RFE/RL", "Trend", "News.am", "Azatutyun", "OC Media"]
ADMIN1 = ["Khojavend", "Tartar", "Aghdam", "Lachin", "Syunik", "Tavush", "Gegharkunik", "Fuzuli"]
FALLBACK_PLACES = ["Shusha", "Aghdam", "Martuni", "Tartar", "Lachin", "Goris", "Hadrut", "Kalbajar"]


def _places() -> list[str]:
    """Place names of the region from the shipped gazetteer (realistic text for searches)."""
    path = Path(__file__).resolve().parents[1] / "geo" / "data" / "gazetteer.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            names = [
                r["name"]
                for r in csv.DictReader(fh)
                if LON[0] <= float(r["lon"]) <= LON[1] and LAT[0] <= float(r["lat"]) <= LAT[1]
            ]
    except (OSError, KeyError, ValueError):
        names = []
    return names or FALLBACK_PLACES


def acled_rows(n: int, seed: int = 20_231_919) -> list[list[str]]:
    """N ACLED rows (without the header), deterministic for (n, seed)."""
    rng = random.Random(seed)
    places = _places()
    span = (LAST - FIRST).days
    pairs = [(et, dis, sub) for et, (dis, subs) in ACLED_TYPES.items() for sub in subs]
    rows = []
    for i in range(n):
        day = FIRST + dt.timedelta(days=rng.randrange(span + 1))
        etype, disorder, sub = pairs[i % len(pairs)] if i < len(pairs) else rng.choice(pairs)
        (a1, i1), (a2, i2) = rng.sample(ACTORS, 2)
        place = rng.choice(places)
        country, iso = ("Armenia", "51") if rng.random() < 0.35 else ("Azerbaijan", "31")
        fatalities = rng.choice([0, 0, 0, 1, 2, 3, 5, 12])
        rec = {
            "event_id_cnty": f"{'ARM' if iso == '51' else 'AZE'}{i + 1}",
            "event_date": day.isoformat(),
            "year": str(day.year),
            "time_precision": rng.choice("1111123"),
            "disorder_type": disorder,
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": a1,
            "assoc_actor_1": "",
            "inter1": str(i1),
            "actor2": a2,
            "assoc_actor_2": "",
            "inter2": str(i2),
            "interaction": f"{min(i1, i2)}{max(i1, i2)}",
            "civilian_targeting": "Civilian targeting" if i2 == 7 else "",
            "iso": iso,
            "region": "Caucasus and Central Asia",
            "country": country,
            "admin1": rng.choice(ADMIN1),
            "admin2": "",
            "admin3": "",
            "location": place,
            "latitude": f"{rng.uniform(*LAT):.4f}",
            "longitude": f"{rng.uniform(*LON):.4f}",
            "geo_precision": rng.choice("111223"),
            "source": "; ".join(rng.sample(PUBLISHERS, rng.choice([1, 1, 2]))),
            "source_scale": rng.choice(["National", "International", "Regional"]),
            "notes": f"On {day.isoformat()}, {sub.lower()} near {place} ({etype.lower()}). "
            f"{fatalities} fatalities reported.",
            "fatalities": str(fatalities),
            "tags": "",
            "timestamp": str(1_700_000_000 + i),
        }
        rows.append([rec[c] for c in ACLED_COLUMNS])
    return rows


def acled_csv(n: int, seed: int = 20_231_919) -> bytes:
    """An ACLED-format CSV (current 31-column layout, with header) of n synthetic events."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ACLED_COLUMNS)
    w.writerows(acled_rows(n, seed))
    return buf.getvalue().encode("utf-8")


def write_acled_csv(n: int, folder: Path, seed: int = 20_231_919) -> Path:
    """Write acled-synthetic-<n>.csv into folder (once) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"acled-synthetic-{n}.csv"
    if not path.exists():
        path.write_bytes(acled_csv(n, seed))
    return path
