"""Unit tests for geo.gazetteer: toponym pairs, variants, fuzzy matching, errors, data sanity."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from geo import gazetteer as gz
from geo.gazetteer import GeocodeError, Place, geocode, places
from geo.toponyms import TOPONYM_MODES, toponym

pytestmark = pytest.mark.unit

DATA = Path(gz.__file__).resolve().parent / "data"
REGION_BOX = (43.0, 38.3, 48.5, 41.8)  # lon_min, lat_min, lon_max, lat_max (the app's map)
# Armenia + Azerbaijan (incl. Baku/Absheron, Lankaran, Nakhchivan) - wider than the map box.
AM_AZ_BOX = (43.4, 38.3, 51.0, 41.95)

SIX_PAIRS = [
    # (Armenian-side, Azerbaijani-side, id)
    ("Stepanakert", "Khankendi", "az-stepanakert"),
    ("Shushi", "Shusha", "az-shusha"),
    ("Berdzor", "Lachin", "az-lachin"),
    ("Karvachar", "Kalbajar", "az-kalbajar"),
    ("Martakert", "Aghdara", "az-martakert"),
    ("Martuni", "Khojavend", "az-khojavend"),
]

# Names the brief and the event catalogue rely on -> expected gazetteer id.
REQUIRED = {
    "Stepanakert": "az-stepanakert",
    "Shusha": "az-shusha",
    "Lachin": "az-lachin",
    "Kalbajar": "az-kalbajar",
    "Martakert": "az-martakert",
    "Khojavend": "az-khojavend",
    "Hadrut": "az-hadrut",
    "Askeran": "az-askeran",
    "Khojaly": "az-khojaly",
    "Aghdam": "az-aghdam",
    "Fuzuli": "az-fuzuli",
    "Jabrayil": "az-jabrayil",
    "Qubadli": "az-qubadli",
    "Kubatly": "az-qubadli",
    "Zangilan": "az-zangilan",
    "Goris": "am-goris",
    "Kapan": "am-kapan",
    "Ganja": "az-ganja",
    "Barda": "az-barda",
    "Tartar": "az-tartar",
    "Terter": "az-tartar",
    "Nakhchivan": "az-nakhchivan",
    "Karki": "az-karki",
    "Tigranashen": "az-karki",
    "Sofulu": "az-sofulu",
    "Artsvashen": "am-artsvashen",
    "Yukhari Askipara": "az-yukhari-askipara",
    "Barkhudarly": "az-barkhudarly",
    "Kornidzor": "am-kornidzor",
    "Aghavno": "az-zabukh",
    "Zabukh": "az-zabukh",
    "Sus": "az-sus",
    "Talish": "az-talish",
    "Sugovushan": "az-sugovushan",
    "Madaghis": "az-sugovushan",
    "Hin Tagher": "az-hin-tagher",
    "Khtsaberd": "az-chaylaggala",
    "Khudafarin bridge": "az-khudafarin-bridges",
    "Lelatap": "az-lalatapa",
    "Lala Tepe": "az-lalatapa",
    "Sev Lich": "am-lake-sev",
    "Jermuk": "am-jermuk",
    "Sotk": "am-sotk",
    "Voskepar": "am-voskepar",
    "Baghanis": "am-baghanis",
    "Berkaber": "am-berkaber",
    "Parukh": "az-farukh",
    "Farukh": "az-farukh",
    "Getashen": "az-chaykand",
    "Yerevan": "am-yerevan",
    "Baku": "az-baku",
    "Moscow": "ru-moscow",
    "Sochi": "ru-sochi",
    "Bishkek": "kg-bishkek",
    "Geneva": "ch-geneva",
    "Washington": "us-washington",
    "Brussels": "be-brussels",
    "Prague": "cz-prague",
    "Granada": "es-granada",
    "Alma-Ata": "kz-almaty",
    "Almaty": "kz-almaty",
    "Tehran": "ir-tehran",
    "Ankara": "tr-ankara",
    "Tbilisi": "ge-tbilisi",
    "Paris": "fr-paris",
    "Vienna": "at-vienna",
    # hand-added places (places_manual.csv): both toponyms and the usual transliterations
    "Zheleznovodsk": "ru-zheleznovodsk",
    "Tirana": "al-tirana",
    "Karakend": "az-karakend",
    "Berdashen": "az-karakend",
    "Qarakənd": "az-karakend",
    "Malibeyli": "az-malibeyli",
    "Ajapnyak": "az-malibeyli",
    "Gushchular": "az-gushchular",
    "Maraga": "az-maraga",
    "Maragha": "az-maraga",
    "Chayli": "az-chayli",
    "Seysulan": "az-seysulan",
    "Levonarkh": "az-goyarkh",
    "Göyarx": "az-goyarkh",
    "Charektar": "az-charektar",
    "Çərəkdar": "az-charektar",
    "Janyatag": "az-janyatag",
    "Chankatagh": "az-janyatag",
    "Alkhanli": "az-alkhanli",
    "Patara": "az-badara",
    "Badara": "az-badara",
    "Shurnukh": "am-shurnukh",
    "Verin Shorzha": "am-verin-shorzha",
    "Kut": "am-kut",
    "Mets Shen": "az-mets-shen",
    "Sor": "az-sor",
    "Tsor": "az-sor",
}

# Names that used to fuzzy-match a wrong place before the place itself was added: each must now
# resolve exactly to its own row, and the place it was confused with must keep its own name.
FORMER_COLLISIONS = [
    # (name, expected id, id it wrongly resolved to, a name of that other place)
    ("Garakend", "az-karakend", "am-bagravan", "Bagravan"),  # fuzzy 'Darakend'
    ("Aygepar", "am-aygepar", "am-aygepat", "Aygepat"),
    ("Berdadzor", "az-berdadzor", "az-lachin", "Berdzor"),  # fuzzy 'Berdzor'
]

KARABAKH_IDS = {
    "az-stepanakert",
    "az-shusha",
    "az-lachin",
    "az-kalbajar",
    "az-martakert",
    "az-khojavend",
    "az-hadrut",
    "az-askeran",
    "az-khojaly",
    "az-aghdam",
    "az-fuzuli",
    "az-jabrayil",
    "az-qubadli",
    "az-zangilan",
}


# ----------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(("name", "expected"), sorted(REQUIRED.items()))
def test_required_places_resolve(name: str, expected: str) -> None:
    assert geocode(name).id == expected


@pytest.mark.parametrize(("hy", "az", "pid"), SIX_PAIRS)
def test_six_pairs_have_both_toponyms(hy: str, az: str, pid: str) -> None:
    p = geocode(hy)
    assert p.id == pid
    assert (p.name_hy, p.name_az) == (hy, az)
    assert geocode(az) is p
    assert label(p) == f"{hy} / {az}"


@pytest.mark.parametrize(
    ("variants", "pid"),
    [
        (["Şuşa", "Shushi", "shusha", "SHUSHA", "Susa", "Shusha "], "az-shusha"),
        (["Xankəndi", "Khankendi", "Stepanakert", "xankendi", "Khankəndi"], "az-stepanakert"),
        (["Laçın", "Lachin", "Berdzor"], "az-lachin"),
        (["Kəlbəcər", "Kalbajar", "Kelbajar", "Karvachar"], "az-kalbajar"),
        (["Ağdərə", "Agdere", "Aghdara", "Mardakert"], "az-martakert"),
        (["Xocavənd", "Khojavend", "Martuni"], "az-khojavend"),
        (["Xocalı", "Khojaly", "Khojali"], "az-khojaly"),
        (["Ağdam", "Agdam", "Aghdam"], "az-aghdam"),
        (["Füzuli", "Fuzuli", "Fizuli"], "az-fuzuli"),
        (["Cəbrayıl", "Jabrayil", "Jabrail"], "az-jabrayil"),
        (["Qubadlı", "Qubadli", "Kubatly", "Gubadli"], "az-qubadli"),
        (["Naxçıvan", "Nakhchivan", "Nakhichevan"], "az-nakhchivan"),
        (["Alma-Ata", "Alma Ata", "almaty"], "kz-almaty"),
        (["Yuxarı Əskipara", "Yukhari Askipara", "Verin Voskepar"], "az-yukhari-askipara"),
        (["Kərki", "Karki", "Tigranashen"], "az-karki"),
    ],
)
def test_variants_resolve_to_the_same_place(variants: list[str], pid: str) -> None:
    assert {geocode(v).id for v in variants} == {pid}


@pytest.mark.parametrize(
    ("typo", "pid"),
    [("Stepanakrt", "az-stepanakert"), ("Kalbajr", "az-kalbajar"), ("Martakertt", "az-martakert")],
)
def test_fuzzy_typo_resolves(typo: str, pid: str) -> None:
    assert geocode(typo).id == pid


def test_unknown_place_raises_with_candidates() -> None:
    with pytest.raises(GeocodeError) as exc:
        geocode("Qwertyvillezzz")
    msg = str(exc.value)
    assert msg.startswith("unknown place 'Qwertyvillezzz'; closest: ")
    assert len(exc.value.candidates) == 3
    assert all(c in msg for c in exc.value.candidates)
    assert isinstance(exc.value, LookupError)


def test_unknown_close_to_real_place_lists_it() -> None:
    with pytest.raises(GeocodeError) as exc:
        geocode("Stepxx")  # too short/far for a fuzzy match
    assert exc.value.candidates


def test_empty_name_raises() -> None:
    with pytest.raises(GeocodeError):
        geocode("  ")


def test_town_preferred_over_same_named_village() -> None:
    fuzuli = geocode("Fuzuli")
    assert fuzuli.kind == "city" and fuzuli.id == "az-fuzuli"
    # Armenia's Martuni is reachable through its disambiguated name
    assert geocode("Martuni, Armenia").id == "am-martuni"
    assert geocode("Lachin").kind == "town"


def test_true_tie_is_ambiguous_and_id_resolves() -> None:
    with pytest.raises(GeocodeError) as exc:
        geocode("Araks")
    msg = str(exc.value)
    assert msg.startswith("ambiguous place 'Araks': ")
    assert "(AM" in msg and len(exc.value.candidates) >= 2
    for cand in exc.value.candidates:
        pid = re.search(r"\[([a-z0-9-]+)\]$", cand).group(1)
        assert geocode(pid).id == pid


# ----------------------------------------------------------------------------- synthetic data


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    cols = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)


def _row(pid: str, name: str, kind: str, cc: str, pop: int, **kw: str) -> dict[str, str]:
    base = {
        "id": pid,
        "name": name,
        "name_hy": name,
        "name_az": name,
        "aliases": "",
        "lon": "46.5",
        "lat": "39.8",
        "kind": kind,
        "country": cc,
        "precision": "exact",
        "source": "test",
        "source_url": "https://example.org/",
        "geonameid": "",
        "region": "",
        "population": str(pop),
    }
    base.update(kw)
    return base


@pytest.fixture
def tiny_gazetteer(tmp_path, monkeypatch):
    rows = [
        _row("az-lachin", "Lachin", "town", "AZ", 2300, name_hy="Berdzor"),
        _row("az-lachin-village", "Lachin", "village", "AZ", 300),
        _row("az-qaraqaya-a", "Qaraqaya", "village", "AZ", 500, region="Shamakhi"),
        _row("am-qaraqaya-b", "Qaraqaya", "village", "AM", 450, region="Syunik"),
        _row("az-big", "Yeni", "village", "AZ", 5000),
        _row("az-small", "Yeni", "village", "AZ", 100),
    ]
    path = tmp_path / "g.csv"
    _write_csv(path, rows)
    monkeypatch.setattr(gz, "DATA_CSV", path)
    gz._clear_caches()
    yield
    gz._clear_caches()


@pytest.mark.usefixtures("tiny_gazetteer")
def test_synthetic_kind_and_population_rank() -> None:
    assert geocode("Lachin").id == "az-lachin"  # town beats village
    assert geocode("Yeni").id == "az-big"  # >= 2x population wins


@pytest.mark.usefixtures("tiny_gazetteer")
def test_synthetic_tie_message_format() -> None:
    with pytest.raises(GeocodeError) as exc:
        geocode("Qaraqaya")
    msg = str(exc.value)
    assert msg.startswith("ambiguous place 'Qaraqaya': Qaraqaya (AZ, Shamakhi)")
    assert "Qaraqaya (AM, Syunik)" in msg


# ----------------------------------------------------------------------------- label


def label(p: Place, mode: str = "both") -> str:
    """A place's display name (geo.toponyms.toponym, what the map and exports show)."""
    return toponym(p.name, p.name_hy, p.name_az, mode)


def test_label_modes() -> None:
    p = geocode("Khankendi")
    assert label(p) == "Stepanakert / Khankendi"
    assert label(p, "both") == "Stepanakert / Khankendi"
    assert label(p, "armenian") == "Stepanakert"
    assert label(p, "azerbaijani") == "Khankendi"
    goris = geocode("Goris")
    assert {label(goris, m) for m in TOPONYM_MODES} == {"Goris"}
    assert TOPONYM_MODES == ("both", "armenian", "azerbaijani")
    with pytest.raises(ValueError):
        label(p, "russian")


# ----------------------------------------------------------------------------- data sanity


def test_place_is_frozen_dataclass() -> None:
    p = places()[0]
    assert isinstance(p, Place)
    with pytest.raises(AttributeError):
        p.name = "x"  # type: ignore[misc]
    assert isinstance(p.aliases, tuple)


def test_ids_unique_and_fields_valid() -> None:
    ps = places()
    assert len(ps) > 800
    assert len({p.id for p in ps}) == len(ps)
    kinds = {"capital", "city", "town", "village", "bridge", "checkpoint", "other"}
    for p in ps:
        assert re.fullmatch(r"[a-z]{2}-[a-z0-9-]+", p.id), p.id
        assert p.kind in kinds, p
        assert p.precision in {"exact", "near", "district", "region"}, p
        assert re.fullmatch(r"[A-Z]{2}", p.country), p
        assert p.name and p.name_hy and p.name_az, p
        assert p.source_url.startswith(("http://", "https://")), p
        assert -180 <= p.lon <= 180 and -90 <= p.lat <= 90


def test_am_az_places_inside_the_two_countries() -> None:
    x0, y0, x1, y1 = AM_AZ_BOX
    bad = [p for p in places() if p.country in ("AM", "AZ") and not (x0 <= p.lon <= x1)]
    bad += [p for p in places() if p.country in ("AM", "AZ") and not (y0 <= p.lat <= y1)]
    assert not bad, bad[:5]


@pytest.mark.parametrize(("name", "pid", "wrong", "other_name"), FORMER_COLLISIONS)
def test_former_fuzzy_collisions_resolve_to_their_own_place(
    name: str, pid: str, wrong: str, other_name: str
) -> None:
    assert geocode(name).id == pid
    assert geocode(other_name).id == wrong
    assert pid != wrong


def test_conflict_and_manual_places_inside_region_box() -> None:
    x0, y0, x1, y1 = REGION_BOX
    # manual places outside Armenia/Azerbaijan (summit towns, capitals) lie off the map
    home = ("AM", "AZ")
    chosen = [p for p in places() if (p.source == "manual" and p.country in home)]
    chosen += [p for p in places() if p.id in KARABAKH_IDS]
    chosen += [geocode(n) for n, pid in REQUIRED.items() if pid[:2] in ("am", "az")]
    chosen = [p for p in chosen if p.id not in {"az-baku"}]  # Baku lies east of the map box
    assert len(chosen) > 40
    outside = [p.id for p in chosen if not (x0 <= p.lon <= x1 and y0 <= p.lat <= y1)]
    assert not outside


def test_every_manual_place_has_a_source_url_and_is_in_the_build() -> None:
    with (DATA / "places_manual.csv").open(encoding="utf-8", newline="") as fh:
        manual = list(csv.DictReader(fh))
    assert len(manual) >= 20
    by_id = {p.id: p for p in places()}
    for rec in manual:
        assert rec["source_url"].startswith(("http://", "https://")), rec["id"]
        p = by_id[rec["id"]]  # gazetteer.csv was rebuilt after the last manual edit
        assert p.source == "manual"
        assert p.source_url == rec["source_url"]
        assert (p.lon, p.lat) == pytest.approx((float(rec["lon"]), float(rec["lat"])))
    assert {p.id for p in places() if p.source == "manual"} == {r["id"] for r in manual}


def test_manual_rows_name_their_precision_and_never_cite_the_known_mirror() -> None:
    with (DATA / "places_manual.csv").open(encoding="utf-8", newline="") as fh:
        manual = list(csv.DictReader(fh))
    for rec in manual:
        assert rec["note"].strip(), rec["id"]
        assert rec["precision"] in {"exact", "near", "district", "region"}, rec["id"]
        # a point that only approximates the place says why in its note
        if rec["precision"] == "near":
            assert "precision 'near'" in rec["note"], rec["id"]
        assert "710302.xyz" not in rec["source_url"], rec["id"]  # a Wikipedia mirror, replaced


def test_readme_counts_the_manual_rows() -> None:
    """geo/data/README.md's source table states how many hand-added rows there are."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `places_manual.csv`"))
    stated = int(row.rstrip(" |").rsplit("|", 1)[1])
    with (DATA / "places_manual.csv").open(encoding="utf-8", newline="") as fh:
        assert stated == len(list(csv.DictReader(fh)))


def test_registry_places_credit_geonames() -> None:
    reg = [p for p in places() if p.source != "manual"]
    assert reg and all(p.source.startswith("GeoNames via ") for p in reg)
