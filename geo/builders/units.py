"""The admin units of the boundary build: how each Natural Earth admin-1 unit is published
(id, names on both sides, kind, seven-districts flag), the name checks that catch swapped
units, and the countries kept (see geo/builders/data.py and geo/data/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# admin units: names and fixes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """How one NE admin-1 unit is published (keyed by NE's stable ``adm1_code``)."""

    id: str
    name: str
    kind: str
    name_hy: str | None = None
    name_az: str | None = None
    seven: bool = False


def _u(code: str, id_: str, name: str, kind: str = "rayon", hy=None, az=None, seven=False):
    return code, Unit(id_, name, kind, hy, az, seven)


#: Every NE admin-1 unit of Azerbaijan and Armenia that touches the box. Names are the usual
#: English spellings; name_hy / name_az are the Armenian-side / Azerbaijani-side names in Latin
#: script where they differ (the town or province name used by each side).
UNITS: dict[str, Unit] = dict(
    [
        # --- Azerbaijan: the seven districts around the former NKAO
        _u("AZE-1682", "district-kalbajar", "Kalbajar", hy="Karvachar", seven=True),
        # NE 10m labels AZE-1735 (ISO AZ-LAN) "Lankaran"; the polygon lies between Kalbajar,
        # Qubadli and Armenia: it is Lachin District (Wikidata Q228811). Fixed here.
        _u("AZE-1735", "district-lachin", "Lachin", hy="Kashatagh (Berdzor)", seven=True),
        _u("AZE-1736", "district-qubadli", "Qubadli", hy="Sanasar", seven=True),
        _u("AZE-1740", "district-zangilan", "Zangilan", hy="Kovsakan", seven=True),
        _u("AZE-1699", "district-jabrayil", "Jabrayil", hy="Jrakan", seven=True),
        _u("AZE-1702", "district-fuzuli", "Fuzuli", hy="Varanda", seven=True),
        _u("AZE-1691", "district-aghdam", "Aghdam", hy="Akna", seven=True),
        # --- former NKAO area and its neighbours
        _u("AZE-1738", "district-tartar", "Tartar"),
        _u("AZE-1734", "district-khojavend", "Khojavend", hy="Martuni"),
        # NE's name/name_alt fields mix up Stepanakert and Khojaly between AZ-XA (AZE-4838) and
        # AZ-XCI (AZE-1739) (name_alt of the city reads "Khojali"). The build names them by
        # geometry instead: see check_units() (the city contains Stepanakert's centre and is
        # ~23 km2; the rayon contains Khojaly town).
        _u("AZE-1739", "district-khojaly", "Khojaly", hy="Askeran"),
        _u("AZE-4838", "city-khankendi", "Khankendi", "city", hy="Stepanakert"),
        # NE splits Shusha town (AZE-5565) from Shusha District (AZE-1737); Shusha town is the
        # centre of the district and not a city of republican subordination: merged.
        _u("AZE-1737", "district-shusha", "Shusha", hy="Shushi"),
        _u("AZE-5565", "district-shusha", "Shusha", hy="Shushi"),
        _u("AZE-1681", "district-goranboy", "Goranboy"),
        _u("AZE-1684", "district-gazakh", "Gazakh"),
        # --- rest of mainland Azerbaijan in the box
        _u("AZE-1676", "district-aghstafa", "Aghstafa"),
        _u("AZE-1677", "district-dashkasan", "Dashkasan"),
        _u("AZE-1678", "district-gadabay", "Gadabay"),
        _u("AZE-1679", "city-ganja", "Ganja", "city"),
        _u("AZE-1680", "district-goygol", "Goygol"),
        _u("AZE-1683", "city-mingachevir", "Mingachevir", "city"),
        _u("AZE-1685", "district-shamkir", "Shamkir"),
        _u("AZE-1686", "district-samukh", "Samukh"),
        _u("AZE-1687", "district-tovuz", "Tovuz"),
        _u("AZE-1688", "district-yevlakh", "Yevlakh"),
        _u("AZE-5566", "city-yevlakh", "Yevlakh", "city"),
        _u("AZE-5561", "city-naftalan", "Naftalan", "city"),
        _u("AZE-1692", "district-aghdash", "Aghdash"),
        _u("AZE-1693", "district-agsu", "Agsu"),
        _u("AZE-1694", "district-hajigabul", "Hajigabul"),
        _u("AZE-1696", "district-barda", "Barda"),
        _u("AZE-1697", "district-beylagan", "Beylagan"),
        _u("AZE-1698", "district-bilasuvar", "Bilasuvar"),
        _u("AZE-1700", "district-jalilabad", "Jalilabad"),
        _u("AZE-1703", "district-goychay", "Goychay"),
        _u("AZE-1704", "district-imishli", "Imishli"),
        _u("AZE-1705", "district-ismayilli", "Ismayilli"),
        _u("AZE-1706", "district-kurdamir", "Kurdamir"),
        _u("AZE-1708", "district-masally", "Masally"),
        _u("AZE-1709", "district-lerik", "Lerik"),
        _u("AZE-1713", "district-saatly", "Saatly"),
        _u("AZE-1714", "district-sabirabad", "Sabirabad"),
        _u("AZE-1716", "district-shamakhi", "Shamakhi"),
        _u("AZE-1718", "district-ujar", "Ujar"),
        _u("AZE-1720", "district-yardimli", "Yardimli"),
        _u("AZE-1721", "district-zardab", "Zardab"),
        _u("AZE-1722", "district-aghjabadi", "Aghjabadi"),
        _u("AZE-1723", "district-balakan", "Balakan"),
        _u("AZE-1724", "district-gabala", "Gabala"),
        _u("AZE-1725", "district-oghuz", "Oghuz"),
        _u("AZE-1726", "district-gakh", "Gakh"),
        _u("AZE-1727", "district-shaki", "Shaki"),
        _u("AZE-5564", "city-shaki", "Shaki", "city"),
        _u("AZE-1728", "district-guba", "Guba"),
        _u("AZE-1729", "district-gusar", "Gusar"),
        _u("AZE-1730", "district-khachmaz", "Khachmaz"),
        _u("AZE-1731", "district-zagatala", "Zagatala"),
        # --- Nakhchivan Autonomous Republic
        _u("AZE-2415", "nakhchivan-sadarak", "Sadarak", "nakhchivan-rayon"),
        _u("AZE-2418", "nakhchivan-ordubad", "Ordubad", "nakhchivan-rayon"),
        _u("AZE-2419", "nakhchivan-sharur", "Sharur", "nakhchivan-rayon"),
        _u("AZE-2420", "nakhchivan-babek", "Babek", "nakhchivan-rayon"),
        _u("AZE-2421", "nakhchivan-julfa", "Julfa", "nakhchivan-rayon"),
        _u("AZE-2423", "nakhchivan-shahbuz", "Shahbuz", "nakhchivan-rayon"),
        _u("AZE-5567", "nakhchivan-kangarli", "Kangarli", "nakhchivan-rayon"),
        _u("AZE-2422", "nakhchivan-city", "Nakhchivan", "city"),
        # --- Armenia
        _u("ARM-1732", "marz-syunik", "Syunik", "marz"),
        _u("ARM-1733", "marz-vayots-dzor", "Vayots Dzor", "marz"),
        _u("ARM-1672", "marz-gegharkunik", "Gegharkunik", "marz"),
        _u("ARM-1670", "marz-tavush", "Tavush", "marz"),
        _u("ARM-1674", "marz-lori", "Lori", "marz"),
        _u("ARM-1673", "marz-kotayk", "Kotayk", "marz"),
        _u("ARM-1671", "marz-ararat", "Ararat", "marz"),
        _u("ARM-1554", "marz-armavir", "Armavir", "marz"),
        _u("ARM-1553", "marz-aragatsotn", "Aragatsotn", "marz"),
        _u("ARM-1555", "marz-shirak", "Shirak", "marz"),
        _u("ARM-1675", "city-yerevan", "Yerevan", "city"),
    ]
)

#: Points that must fall in a given unit (checks on the NE name fixes). (lon, lat) from the
#: towns' Wikipedia/GeoNames coordinates.
UNIT_CHECKS = {
    "city-khankendi": (46.7517, 39.8153),  # Stepanakert / Khankendi centre
    "district-khojaly": (46.7921, 39.9136),  # Khojaly town (GeoNames 147622)
    # the unit NE calls "Lankaran": western Lachin District, between Kalbajar and Qubadli.
    # (Lachin town itself, 39.6383N 46.5461E, falls just inside NE's Shusha polygon: an NE
    # generalisation error we do not correct.)
    "district-lachin": (46.25, 39.75),
    "district-kalbajar": (46.0383, 40.1067),  # Kalbajar / Karvachar town
    "district-shusha": (46.7500, 39.7583),  # Shusha / Shushi town
    "district-tartar": (46.9316, 40.3420),  # Tartar town (GeoNames)
    "marz-syunik": (46.0606, 39.2076),  # Kapan
}

#: Other countries in the box, by NE ADM0_A3.
COUNTRIES = {
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "GEO": "Georgia",
    "IRN": "Iran",
    "TUR": "Turkey",
    "RUS": "Russia",
}


# --------------------------------------------------------------------------------------------
# geometry helpers
