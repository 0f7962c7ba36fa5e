"""Gazetteer: place names (both toponyms + transliterations) -> point, kind and precision.

Reads the committed ``geo/data/gazetteer.csv`` (rebuilt by
``python -m geo.builders.gazetteer``).
Event files name places the way their sources do ("Shushi", "Şuşa", "Khankendi", "Stepanakrt"),
so ``geocode`` normalises case, diacritics and Azerbaijani letters, matches names and aliases
exactly, and only then falls back to fuzzy matching. When a name is shared (many Azerbaijani
village names repeat; "Martuni" is a town in Armenia and the Armenian name of Khojavend), the
choice is deterministic: curated conflict toponyms beat registry names beat alternates, then the
higher kind (city > town > village) and clearly larger population win; a true tie raises.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

__all__ = [
    "GeocodeError",
    "Place",
    "geocode",
    "normalise",
    "places",
]

DATA_CSV = Path(__file__).resolve().parent / "data" / "gazetteer.csv"

KIND_RANK = {"capital": 0, "city": 1, "town": 2, "village": 3, "bridge": 4, "checkpoint": 4}
FUZZY_CUTOFF = 85.0  # rapidfuzz ratio (0-100) a fuzzy match must reach
FUZZY_CUTOFF_SHORT = 92.0  # for queries of <= 5 letters, where one typo is a big share
POP_FACTOR = 2.0  # same tier and kind: the larger place wins only if this many times larger

# Tiers: 0 = curated name/name_hy/name_az (manual places and hand-checked conflict toponyms),
# 1 = registry primary name and its disambiguated forms, 2 = other aliases.
_TIER_CURATED, _TIER_NAME, _TIER_ALIAS = 0, 1, 2


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``name_hy``/``name_az`` are the Armenian-/Azerbaijani-side toponyms."""

    id: str
    name: str
    name_hy: str
    name_az: str
    aliases: tuple[str, ...]
    lon: float
    lat: float
    kind: str
    country: str
    precision: str
    source: str
    source_url: str


class GeocodeError(LookupError):
    """Unknown or ambiguous place name; ``candidates`` lists the closest gazetteer names."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates: list[str] = list(candidates or [])


# --------------------------------------------------------------------------- normalisation

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʻʼʹ`´\"“”«»"), None)
_FULL = str.maketrans({"ş": "sh", "ç": "ch", "ğ": "gh", "ə": "e", "ǝ": "e", "ı": "i", "ß": "ss"})
_PLAIN = str.maketrans({"ş": "s", "ç": "c", "ğ": "g", "ə": "e", "ǝ": "e", "ı": "i", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(s: str, table: dict[int, str]) -> str:
    s = s.lower().translate(_APOSTROPHES).translate(table)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", s).strip()


def normalise(name: str) -> tuple[str, ...]:
    """Match keys for a name: lower case, no diacritics/apostrophes/hyphens.

    Azerbaijani ş/ç/ğ fold both ways (sh/ch/gh and s/c/g) so "Şuşa" meets "Shusha" and "Susa";
    ə -> e and ı -> i. Returns one or two distinct keys.
    """
    full, plain = _fold(name, _FULL), _fold(name, _PLAIN)
    return (full,) if full == plain else (full, plain)


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class _Meta:
    region: str
    population: int


def _load(path: Path) -> tuple[tuple[Place, ...], tuple[_Meta, ...]]:
    """Read the gazetteer CSV into Places plus ranking metadata (region, population)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[Place] = []
    meta: list[_Meta] = []
    for r in rows:
        out.append(
            Place(
                id=r["id"],
                name=r["name"],
                name_hy=r["name_hy"] or r["name"],
                name_az=r["name_az"] or r["name"],
                aliases=tuple(a for a in r["aliases"].split("|") if a),
                lon=float(r["lon"]),
                lat=float(r["lat"]),
                kind=r["kind"],
                country=r["country"],
                precision=r["precision"],
                source=r["source"],
                source_url=r["source_url"],
            )
        )
        meta.append(_Meta(region=r.get("region", ""), population=int(r.get("population") or 0)))
    return tuple(out), tuple(meta)


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[Place, ...], tuple[_Meta, ...]]:
    return _load(Path(DATA_CSV))


def places() -> tuple[Place, ...]:
    """All gazetteer places (loaded once from geo/data/gazetteer.csv)."""
    return _data()[0]


def _is_curated(p: Place) -> bool:
    return p.source == "manual" or p.name_hy != p.name_az or p.name_hy != p.name


@dataclass(frozen=True)
class _Index:
    exact: dict[str, dict[int, int]]  # key -> {place index: best tier}
    keys: list[str]  # for fuzzy matching
    key_hits: list[dict[int, int]]  # parallel to keys


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Normalised name -> places, built once (why: geocoding hundreds of events must be fast)."""
    exact: dict[str, dict[int, int]] = {}

    def add(name: str, idx: int, tier: int) -> None:
        for key in normalise(name):
            if not key:
                continue
            hits = exact.setdefault(key, {})
            if tier < hits.get(idx, 99):
                hits[idx] = tier

    for i, p in enumerate(places()):
        own_tier = _TIER_CURATED if _is_curated(p) else _TIER_NAME
        for n in (p.name, p.name_hy, p.name_az):
            add(n, i, own_tier)
        add(p.id, i, _TIER_NAME)  # the stable id always resolves (escape hatch for true ties)
        for a in p.aliases:
            # "<name>, <region>" disambiguators count as the place's own name
            tier = _TIER_NAME if a.startswith(p.name + ", ") else _TIER_ALIAS
            add(a, i, tier)
    keys = list(exact)
    return _Index(exact=exact, keys=keys, key_hits=[exact[k] for k in keys])


# --------------------------------------------------------------------------- geocoding


def _describe(i: int, detail: bool = False) -> str:
    """'Name (CC)'; with detail 'Name (CC, region) [id]' to tell same-named places apart."""
    p = places()[i]
    if not detail:
        return f"{p.name} ({p.country})"
    region = _data()[1][i].region
    where = f"{p.country}, {region}" if region else p.country
    return f"{p.name} ({where}) [{p.id}]"


def _pick(hits: dict[int, int], query: str) -> int:
    """Choose one place among matches, or raise GeocodeError('ambiguous ...')."""
    meta = _data()[1]
    pl = places()
    best_tier = min(hits.values())
    cands = [i for i, t in hits.items() if t == best_tier]
    if len(cands) == 1:
        return cands[0]
    best_kind = min(KIND_RANK.get(pl[i].kind, 9) for i in cands)
    cands = [i for i in cands if KIND_RANK.get(pl[i].kind, 9) == best_kind]
    if len(cands) == 1:
        return cands[0]
    cands.sort(key=lambda i: -meta[i].population)
    top, second = meta[cands[0]].population, meta[cands[1]].population
    if top > 0 and top >= POP_FACTOR * max(second, 1):
        return cands[0]
    names = [normalise(pl[i].name)[0] for i in cands]
    same = len(set(names)) < len(names)
    described = [_describe(i, detail=same) for i in cands[:5]]
    raise GeocodeError(f"ambiguous place {query!r}: {', '.join(described)}", described)


def _closest(keys: tuple[str, ...], limit: int = 3) -> list[str]:
    """Closest distinct place names for an error message."""
    idx = _index()
    seen: dict[int, float] = {}
    for key in keys:
        for _, score, pos in process.extract(key, idx.keys, scorer=fuzz.WRatio, limit=25):
            for i in idx.key_hits[pos]:
                if score > seen.get(i, -1):
                    seen[i] = score
    ranked = sorted(seen, key=lambda i: (-seen[i], KIND_RANK.get(places()[i].kind, 9)))
    out: list[str] = []
    for i in ranked:
        d = _describe(i)
        if d not in out:
            out.append(d)
        if len(out) == limit:
            break
    return out


@lru_cache(maxsize=4096)
def geocode(name: str) -> Place:
    """Resolve a place name (either toponym, a transliteration or a near-typo) to a Place.

    Raises GeocodeError("unknown place 'X'; closest: A, B, C") when nothing is close enough and
    GeocodeError("ambiguous place 'X': A (AZ), B (AM)") when two places tie.
    """
    keys = tuple(k for k in normalise(name) if k)
    if not keys:
        raise GeocodeError(f"unknown place {name!r}; closest: (empty name)", [])
    idx = _index()
    hits: dict[int, int] = {}
    for key in keys:
        for i, tier in idx.exact.get(key, {}).items():
            hits[i] = min(tier, hits.get(i, 99))
    if hits:
        return places()[_pick(hits, name)]

    cutoff = FUZZY_CUTOFF_SHORT if len(keys[0].replace(" ", "")) <= 5 else FUZZY_CUTOFF
    best_score = -1.0
    fuzzy: dict[int, int] = {}
    for key in keys:
        for _, score, pos in process.extract(
            key, idx.keys, scorer=fuzz.ratio, limit=10, score_cutoff=cutoff
        ):
            if score > best_score + 1e-9:
                best_score, fuzzy = score, {}
            if abs(score - best_score) <= 1e-9:
                for i, tier in idx.key_hits[pos].items():
                    fuzzy[i] = min(tier, fuzzy.get(i, 99))
    if fuzzy:
        return places()[_pick(fuzzy, name)]
    closest = _closest(keys)
    raise GeocodeError(f"unknown place {name!r}; closest: {', '.join(closest)}", closest)


def _clear_caches() -> None:
    """Forget the loaded CSV, index and memoised answers (tests point DATA_CSV elsewhere)."""
    _data.cache_clear()
    _index.cache_clear()
    geocode.cache_clear()
