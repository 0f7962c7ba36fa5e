"""Writes geo/data/control/authored.geojson: the control model's authored lines and polygons.

Run from the repository root: ``.venv/bin/python geo/data/control/author_geometry.py``.
Every vertex is either a sourced waypoint (waypoints.yaml, referenced with ``P(id)``) or a point
placed between waypoints known to lie on either side of a line; each feature records the
waypoints it was drawn from and its precision. The Gazakh strip is derived from the admin units
(shared Gazakh/Tavush border) and the published length/area. Nothing here is traced from any
reference dataset. Kept for provenance; the app only reads the GeoJSON.
"""

import json

import numpy as np
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, mapping, shape
from shapely.ops import linemerge, unary_union

fwd = Transformer.from_crs(
    "EPSG:4326", "+proj=laea +lat_0=40 +lon_0=46.5 +datum=WGS84 +units=m", always_xy=True
)
inv = Transformer.from_crs(
    "+proj=laea +lat_0=40 +lon_0=46.5 +datum=WGS84 +units=m", "EPSG:4326", always_xy=True
)


def proj(g, t):
    return shapely.transform(g, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def km2(g):
    return proj(g, fwd).area / 1e6


with open("geo/data/admin_units.geojson", encoding="utf-8") as fh:
    adm = {f["properties"]["id"]: shape(f["geometry"]) for f in json.load(fh)["features"]}
with open("geo/data/control/waypoints.yaml", encoding="utf-8") as fh:
    W = {w["id"]: w for w in yaml.safe_load(fh)["waypoints"]}


def P(i):
    return [W[i]["lon"], W[i]["lat"]]


feats = []


def add(fid, geom, description, waypoints, precision, method="authored"):
    if isinstance(geom, list):
        geom = Polygon(geom)
    geom = shapely.set_precision(geom, 1e-4)
    assert geom.is_valid and not geom.is_empty, fid
    for w in waypoints:
        assert w in W, (fid, w)
    feats.append(
        {
            "type": "Feature",
            "geometry": mapping(geom),
            "properties": {
                "id": fid,
                "description": description,
                "waypoints": waypoints,
                "precision": precision,
                "method": method,
            },
        }
    )


# --- 1994 line of contact: Armenian-held side (west/south of the line) -----------------------
loc = [
    [45.0, 40.26],
    [45.93, 40.255],
    [46.10, 40.285],
    P("murovdag-gamish"),
    P("murovdag-range"),
    [46.45, 40.29],
    [46.60, 40.35],
    [46.70, 40.405],
    [46.78, 40.405],
    [46.83, 40.33],
    [46.92, 40.29],
    P("seysulan"),
    [47.07, 40.15],
    [47.08, 40.08],
    [47.05, 39.97],
    [47.12, 39.88],
    [47.21, 39.80],
    [47.25, 39.70],
    [47.27, 39.58],
    [47.285, 39.45],
    [47.28, 39.40],
    [47.27, 39.36],
]
add(
    "loc-1994-line",
    LineString(loc[1:]),
    "12 May 1994 line of contact as authored: Murovdag ridge (Gamish peak, range centre) east to "
    "Talish's "
    "north, then south between Madagiz/Martakert (Armenian-held) and Shikharkh/Tartar "
    "(Azerbaijani-held), "
    "through Seysulan (on the line), east of Aghdam, Martuni and Fuzuli towns, west of Horadiz, "
    "the Zobujug "
    "settlements and Jojug Marjanli, east of Lalatapa, to the Aras.",
    [
        "murovdag-gamish",
        "murovdag-range",
        "talish",
        "madagiz",
        "martakert",
        "shikharkh",
        "tartar",
        "seysulan",
        "aghdam",
        "guzanli",
        "martuni",
        "fuzuli",
        "horadiz",
        "zobujug",
        "lalatapa",
        "jojug-marjanli",
    ],
    "±5-10 km between waypoints; Aghdam sector placed so that ~77% of Aghdam district is on the "
    "Armenian "
    "side (Azerbaijani official figure: 846.7 of 1,094 km2 occupied)",
)
add(
    "loc-1994-armenian-side",
    [*loc, [loc[-1][0], 38.4], [45.0, 38.4]],
    "Everything west/south of the authored 1994 line of contact (clipped to admin units when "
    "used).",
    ["murovdag-gamish", "seysulan", "lalatapa"],
    "as loc-1994-line",
)

# --- 1992-94 and 2016 details ------------------------------------------------------------------
add(
    "shahumyan-raion",
    [
        [46.30, 40.295],
        [46.28, 40.42],
        [46.40, 40.52],
        [46.58, 40.53],
        [46.72, 40.45],
        [46.75, 40.39],
        [46.70, 40.41],
        [46.60, 40.35],
        [46.45, 40.29],
    ],
    "Approximate extent of the former Soviet Shahumyan raion around Shahumyan/Ashaghi Aghjakand, "
    "north of "
    "the Murovdag ridge (used clipped to Goranboy district).",
    ["shahumyan"],
    "±10 km: raion boundary not in any dataset; authored around the raion centre and the ridge",
    "authored",
)
add(
    "martakert-1992",
    [
        [46.40, 40.12],
        [46.60, 40.09],
        [46.80, 40.06],
        [47.05, 40.03],
        [47.05, 40.45],
        [46.40, 40.45],
    ],
    "North part of the NKAO (Martakert region) taken by Azerbaijani forces in June-July 1992 and "
    "retaken by "
    "Armenian forces by 27 June 1993 (used clipped to the NKAO).",
    ["martakert"],
    "±10-15 km: the extent of the 1992 gains is only known as '~25% of the enclave' (Sept 1992)",
    "authored",
)
add(
    "talish-madagiz",
    [[46.64, 40.30], [46.64, 40.42], [46.80, 40.42], [46.80, 40.37], [46.86, 40.30]],
    "Talish and Madagiz/Sugovushan area in the north-east corner of the NKAO (clipped to the "
    "Armenian side).",
    ["talish", "madagiz"],
    "±3-5 km around the two villages",
    "authored",
)
add(
    "talish-heights-2016",
    [[46.70, 40.405], [46.78, 40.405], [46.78, 40.392], [46.70, 40.394]],
    "Heights north of Talish taken by Azerbaijani forces on 2-5 April 2016 (about 10 km2; "
    "Azerbaijan claimed "
    "2,000 ha in total, Armenian sources less).",
    ["talish"],
    "symbolic: ±2 km; extent not published",
    "authored",
)

# --- 2020 war -------------------------------------------------------------------------------------
add(
    "murovdag-2020",
    [
        [46.18, 40.2898],
        P("murovdag-gamish"),
        P("murovdag-range"),
        [46.38, 40.2755],
        [46.38, 40.255],
        [46.317, 40.242],
        [46.234, 40.28],
        [46.18, 40.27],
    ],
    "Heights of the Murov ridge incl. Murov peak claimed on 27 Sep 2020 (a 2 km strip south of "
    "the 1994 line).",
    ["murovdag-gamish", "murovdag-range"],
    "symbolic: ±3 km, a strip standing for 'several heights'",
    "authored",
)
# south edge of the Armenian-held remainder after the 10 Nov 2020 ceasefire
post = [
    [46.50, 39.60],
    [46.60, 39.615],
    [46.66, 39.64],
    [46.69, 39.68],
    [46.715, 39.725],
    [46.73, 39.75],
    [46.745, 39.773],
    [46.77, 39.772],
    [46.79, 39.755],
    [46.86, 39.71],
    [46.93, 39.69],
    [46.96, 39.664],
    [47.00, 39.645],
    [47.08, 39.65],
    [47.16, 39.67],
    [47.35, 39.72],
]
add(
    "postwar-2020-line",
    LineString(post),
    "South edge of the Armenian-held remainder at the 10 Nov 2020 ceasefire: Mets Shen/Hin "
    "Shen/Yeghtsahogh "
    "lobe south-west of Shusha and Shosh kept, Shusha lost; Karmir Shuka and Martuni kept, the "
    "Hadrut region "
    "lost.",
    ["shusha", "shosh", "karmir-shuka", "drakhtik", "martuni", "hadrut", "lisagor"],
    "±3-5 km; no published ceasefire line, authored between villages known on each side",
)
add(
    "south-of-postwar-2020",
    [*post, [47.35, 38.4], [46.3, 38.4], [46.3, 39.6]],
    "Everything south of the 10 Nov 2020 remainder edge (the southern theatre of the 2020 war).",
    ["shusha", "karmir-shuka", "hadrut"],
    "as postwar-2020-line",
)
hin = unary_union(
    [Point(P(i)).buffer(0.015) for i in ("hin-tagher", "khtsaberd", "katarovank")]
).convex_hull.buffer(0.008)
add(
    "hin-tagher-pocket",
    hin,
    "Armenian-held pocket around Hin Tagher, Khtsaberd and Katarovank (Mount Dizapayt) after the "
    "2020 war, "
    "taken by Azerbaijani forces on 12-13 Dec 2020.",
    ["hin-tagher", "khtsaberd", "katarovank"],
    "±2-3 km: hull of the three sites buffered ~2 km",
    "authored",
)
# cumulative fronts: Azerbaijani-held extent of the southern theatre on each date
# (east/south of each line)
fronts = {
    "front-2020-09-27": [
        [47.24, 38.4],
        [47.24, 39.30],
        [47.235, 39.40],
        [47.215, 39.50],
        [47.225, 39.60],
        [47.22, 39.66],
        [47.40, 39.70],
    ],
    "front-2020-10-04": [
        [46.98, 38.4],
        [46.98, 39.38],
        [47.00, 39.43],
        [47.08, 39.46],
        [47.17, 39.50],
        [47.20, 39.58],
        [47.21, 39.66],
        [47.40, 39.70],
    ],
    "front-2020-10-09": [
        [46.93, 38.4],
        [46.93, 39.38],
        [46.96, 39.46],
        [47.00, 39.49],
        [47.08, 39.50],
        [47.15, 39.53],
        [47.19, 39.58],
        [47.21, 39.66],
        [47.40, 39.70],
    ],
    "front-2020-10-15": [
        [46.90, 38.4],
        [46.90, 39.35],
        [46.93, 39.45],
        [46.96, 39.53],
        [47.00, 39.56],
        [47.07, 39.57],
        [47.12, 39.575],
        [47.19, 39.60],
        [47.21, 39.66],
        [47.40, 39.70],
    ],
    "front-2020-10-17": [
        [46.90, 38.4],
        [46.90, 39.35],
        [46.93, 39.45],
        [46.96, 39.53],
        [47.00, 39.56],
        [47.07, 39.57],
        [47.10, 39.62],
        [47.16, 39.645],
        [47.21, 39.66],
        [47.40, 39.70],
    ],
    "front-2020-10-22": [
        [46.30, 38.4],
        [46.40, 38.95],
        [46.50, 39.10],
        [46.62, 39.16],
        [46.76, 39.22],
        [46.85, 39.33],
        [46.88, 39.45],
        [46.93, 39.55],
        [46.98, 39.60],
        [47.05, 39.615],
        [47.10, 39.64],
        [47.16, 39.655],
        [47.21, 39.665],
        [47.40, 39.70],
    ],
    "front-2020-10-25": [
        [46.40, 38.4],
        [46.42, 39.25],
        [46.50, 39.36],
        [46.60, 39.37],
        [46.70, 39.38],
        [46.82, 39.43],
        [46.88, 39.50],
        [46.93, 39.56],
        [46.98, 39.60],
        [47.05, 39.615],
        [47.10, 39.64],
        [47.16, 39.655],
        [47.21, 39.665],
        [47.40, 39.70],
    ],
    "front-2020-11-01": [
        [46.30, 38.4],
        [46.30, 39.60],
        [46.60, 39.61],
        [46.66, 39.635],
        [46.75, 39.64],
        [46.82, 39.645],
        [46.90, 39.63],
        [46.98, 39.615],
        [47.05, 39.615],
        [47.10, 39.64],
        [47.16, 39.655],
        [47.21, 39.665],
        [47.40, 39.70],
    ],
}
anchors = {
    "front-2020-09-27": (
        ["fuzuli", "horadiz", "jojug-marjanli"],
        "27 Sep: villages on the line of contact in Fuzuli and Jabrayil districts (Garakhanbeyli, "
        "Garvand, Kend Horadiz, Yukhari Abdurrahmanli, Boyuk Marjanli, Nuzgar)",
    ),
    "front-2020-10-04": (
        ["jabrayil"],
        "3-4 Oct: Jabrayil town and 9 villages around it, plus villages of Jabrayil/Fuzuli on the "
        "line",
    ),
    "front-2020-10-09": (
        ["hadrut", "jabrayil"],
        "5-9 Oct: more Jabrayil villages (5 Oct) and the villages south and south-east of Hadrut "
        "announced on 9 Oct (the town itself still contested)",
    ),
    "front-2020-10-15": (
        ["hadrut"],
        "9-15 Oct: Hadrut (claimed 9 Oct, third parties 14-15 Oct) and villages south and east of "
        "it",
    ),
    "front-2020-10-17": (
        ["fuzuli"],
        "16-17 Oct: Fuzuli town and 7 villages; Khojavend villages near Fuzuli",
    ),
    "front-2020-10-22": (
        ["zangilan", "khudafarin"],
        "18-22 Oct: Khudafarin, Zangilan town (20 Oct), Aghband (22 Oct): the whole Aras/Iran "
        "border",
    ),
    "front-2020-10-25": (
        ["qubadli"],
        "25 Oct: Qubadli town and villages of Qubadli, Zangilan and Jabrayil",
    ),
    "front-2020-11-01": (
        ["qubadli"],
        "by 7 Nov (announced): north Qubadli, north-west Hadrut region; placed at 1 Nov "
        "(interpolated)",
    ),
}
for fid, line in fronts.items():
    wps, desc = anchors[fid]
    add(
        fid,
        [*line, [47.4, 38.4]],
        desc + ". Area east/south of this front, clipped to the pre-war Armenian-held area.",
        wps,
        "±5-10 km; front positions only roughly known from announced villages; confidence low",
    )

# --- Lachin corridor routes
old = [
    P("kornidzor"),
    P("aghavno"),
    P("lachin"),
    P("lisagor"),
    [46.715, 39.742],
    [46.733, 39.776],
    P("stepanakert"),
]
add(
    "lachin-corridor-route-1992",
    LineString(old),
    "Goris-Stepanakert road as authored: Kornidzor - Aghavno/Zabukh - Lachin/Berdzor - Lisagor - "
    "past "
    "Shusha's west side - Stepanakert (corridor until 25 Aug 2022).",
    ["kornidzor", "aghavno", "lachin", "lisagor", "shusha", "stepanakert"],
    "±1-2 km: straight segments between sourced waypoints; no road geometry in any offline source",
)
new = [
    P("tegh"),
    P("kornidzor"),
    P("hakari-bridge"),
    P("mets-shen"),
    P("lisagor"),
    [46.715, 39.742],
    [46.733, 39.776],
    P("stepanakert"),
]
add(
    "lachin-corridor-route-2022",
    LineString(new),
    "New road from 26 Aug 2022 as authored: Tegh - Kornidzor (Armenia) - Hakari bridge at the "
    "border - Hin Shen and Mets Shen (Shusha district) - Lisagor, where it joins the old highway "
    "- Stepanakert; bypasses Lachin town, Aghavno and Sus. Straight segments through the sourced "
    "villages (Mets Shen on the line); Hin Shen, which the road also passes, has no sourced "
    "coordinate.",
    ["tegh", "kornidzor", "hakari-bridge", "mets-shen", "lisagor", "stepanakert"],
    "±2 km: Mets Shen, Lisagor and Stepanakert sourced; the Hakari bridge derived from '10 km "
    "south of Lachin town' (±2 km); no road geometry in any offline source",
)

# --- Horadiz: taken by Armenian forces in autumn 1993, retaken by Azerbaijan on 6 Jan 1994
with open("geo/data/countries.geojson", encoding="utf-8") as fh:
    aze = next(
        shape(f["geometry"]) for f in json.load(fh)["features"] if f["properties"]["id"] == "AZE"
    )
south_line = LineString([p for p in loc if p[1] <= 39.70])
east_of_line = Polygon(
    [p for p in loc if p[1] <= 39.70] + [[loc[-1][0], 38.4], [47.8, 38.4], [47.8, 39.70]]
)
host = unary_union([adm["district-fuzuli"], adm["district-jabrayil"]]).intersection(aze)
horadiz = None
for width in np.arange(500, 20000, 100):
    band = proj(proj(south_line, fwd).buffer(width), inv)
    horadiz = band.intersection(east_of_line).intersection(host)
    if km2(horadiz) >= 210:
        break
assert horadiz.covers(Point(P("horadiz"))) and horadiz.covers(Point(P("jojug-marjanli")))
print("horadiz strip", round(km2(horadiz), 1), "km2, width", width, "m")
add(
    "horadiz-1993",
    horadiz,
    "Horadiz, the Fuzuli villages and Jojug Marjanli (Jabrayil) east of the 1994 line, held by "
    "Armenian forces from autumn 1993 until the Horadiz operation ended on 6 Jan 1994: a band "
    "east of the authored 1994 line (south of 39.70N, within Fuzuli and Jabrayil districts), "
    "widened until it covers the published 21,000 ha.",
    ["horadiz", "jojug-marjanli", "fuzuli", "lalatapa"],
    "±5-10 km: only the area (21,000 ha), Horadiz, Jojug Marjanli and '20 villages of Fuzuli "
    "district' are published; the shape is a stand-in sized to that area",
)

# --- Gazakh: four villages returned 24 May 2024
gz, tv = adm["district-gazakh"], adm["marz-tavush"]
border = linemerge(gz.boundary.intersection(tv.boundary))
mid = Point(
    (W["baganis-ayrum"]["lon"] + W["ashaghi-askipara"]["lon"]) / 2,
    (W["baganis-ayrum"]["lat"] + W["ashaghi-askipara"]["lat"]) / 2,
)
mid_m = proj(mid, fwd)
for rad in range(3000, 9000, 100):
    seg = proj(border, fwd).intersection(mid_m.buffer(rad))
    if seg.length >= 12700:
        break
best = None
villages = unary_union(
    [proj(proj(Point(P(v)), fwd).buffer(800), inv) for v in ("baganis-ayrum", "ashaghi-askipara")]
)
for width in np.arange(25, 2000, 25):
    strip = unary_union([proj(seg.buffer(width), inv), villages]).intersection(gz)
    a = km2(strip)
    if a >= 6.5:
        best = strip
        break
print("gazakh strip", round(km2(best), 2), "border length km", round(seg.length / 1000, 1))
add(
    "gazakh-four-villages",
    best,
    "Baganis Ayrum, Ashaghi Askipara, Kheyrimli and Gizilhajili (Gazakh district): 800 m circles "
    "around "
    "the two villages with sourced coordinates plus an Azerbaijani-side strip along 12.7 km of the "
    "Gazakh-Tavush border centred between them, widened until the whole covers the published 6.5 "
    "km2.",
    ["baganis-ayrum", "ashaghi-askipara"],
    "±1-3 km: village coordinates sourced for two of the four; strip shape is a stand-in for the "
    "delimited 12.7 km line",
    "derived from admin units (Gazakh/Tavush shared border) + published length/area",
)

fc = {
    "type": "FeatureCollection",
    "name": "control_authored",
    "metadata": {
        "note": "Authored geometry for the control model (lon, lat WGS84). Each feature lists the "
        "sourced waypoints (waypoints.yaml) it was drawn from and its precision."
    },
    "features": feats,
}
with open("geo/data/control/authored.geojson", "w", encoding="utf-8") as fh:
    json.dump(fc, fh, indent=1)
print(len(feats), "features")
