/* karabakh-map: the events dataset in the browser and its symbols.
 *
 * The server sends events as compact columns (kmap/map/eventcols.py: one array per property,
 * repeated values sent once with a code per event); a GeoJSON FeatureCollection (the shipped
 * catalogue, standalone exports) is read into the same columns. An event's properties (what
 * its popup shows) are only put together when the popup opens: KMap.events.props(ds, i) gives
 * exactly the properties of kmap.map.features.event_feature (tests/unit/test_kmap_events.py).
 *
 * Symbols are cheap to make, as 10^5 of them are made after an upload: one shared icon per
 * (type, precision), no DOM node until Leaflet draws one, and the popup bound on first click.
 */
(function () {
  "use strict";
  var KMap = window.KMap;
  var DAY_MS = 86400000;
  var OPEN = 2147483647; // a situation still in force: no last day (as in kmap-time.js)
  var KEYS = ["id", "title", "date_precision", "type", "type_label", "summary", "place",
    "geo_precision", "actors", "confidence", "area", "from_file", "kind"];
  var SOURCE_KEYS = ["url", "publisher", "published", "title", "host", "label"];

  function isoOf(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function dayOf(iso) {
    var p = String(iso).split("-");
    return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY_MS);
  }

  /* A column as sent ({v: values, c: codes} or a plain array) -> function (i) -> value. */
  function getter(col) {
    if (col && !Array.isArray(col) && col.v) {
      var v = col.v, c = col.c;
      return function (i) { return v[c[i]]; };
    }
    col = col || [];
    return function (i) { var x = col[i]; return x === undefined ? null : x; };
  }

  /* Distinct values of a column and a code per event (Uint16Array) into them. */
  function codes(col, n) {
    if (col && !Array.isArray(col) && col.v) return { names: col.v, codes: Uint16Array.from(col.c) };
    var names = [], index = {}, out = new Uint16Array(n);
    for (var i = 0; i < n; i++) {
      var k = col[i];
      if (!(k in index)) { index[k] = names.length; names.push(k); }
      out[i] = index[k];
    }
    return { names: names, codes: out };
  }

  /* A GeoJSON FeatureCollection of events -> the columns the server sends (plain arrays). */
  function fromGeoJson(fc) {
    var feats = fc.features || [], n = feats.length;
    var data = { n: n, lon: [], lat: [], t0: [], t1: [], cols: {}, sources: { n: [] } };
    KEYS.forEach(function (k) { data.cols[k] = []; });
    SOURCE_KEYS.forEach(function (k) { data.sources[k] = []; });
    feats.forEach(function (f) {
      var p = f.properties || {}, c = f.geometry.coordinates, src = p.sources || [];
      data.lon.push(c[0]);
      data.lat.push(c[1]);
      data.t0.push(dayOf(p.date));
      data.t1.push(p.end_date ? dayOf(p.end_date) : null);
      KEYS.forEach(function (k) { data.cols[k].push(p[k] === undefined ? null : p[k]); });
      data.sources.n.push(src.length);
      src.forEach(function (s) {
        SOURCE_KEYS.forEach(function (k) { data.sources[k].push(s[k] || null); });
      });
    });
    return data;
  }

  var E = {
    dayOf: dayOf, isoOf: isoOf, OPEN: OPEN,

    /* The dataset's data (columns or GeoJSON) -> ds.ev: numbers as typed arrays, the text as
     * getters; ds.n the number of events. */
    load: function (ds, data) {
      if (data.type === "FeatureCollection") data = fromGeoJson(data);
      var n = data.n, ev = { n: n, lon: data.lon, lat: data.lat, get: {}, src: {} };
      KEYS.forEach(function (k) { ev.get[k] = getter(data.cols[k]); });
      SOURCE_KEYS.forEach(function (k) { ev.src[k] = getter(data.sources[k]); });
      ev.t0 = Int32Array.from(data.t0);
      ev.end = data.t1;
      ev.t1 = new Int32Array(n);  // last day: an event without end_date lasts its one day
      var kind = ev.get.kind;
      for (var i = 0; i < n; i++) {
        var e = data.t1[i];
        ev.t1[i] = e !== null && e !== undefined ? e : kind(i) === "situation" ? OPEN : ev.t0[i];
      }
      ev.srcStart = new Int32Array(n + 1);  // event i's sources: srcStart[i] .. srcStart[i+1]
      for (var j = 0; j < n; j++) ev.srcStart[j + 1] = ev.srcStart[j] + data.sources.n[j];
      ev.types = codes(data.cols.type, n);
      ev.precisions = codes(data.cols.geo_precision, n);
      ds.ev = ev;
      ds.n = n;
      return ev;
    },

    /* Event i's properties, as kmap.map.features.event_feature gives them. */
    props: function (ds, i) {
      var ev = ds.ev, p = {};
      KEYS.forEach(function (k) { p[k] = ev.get[k](i); });
      p.date = isoOf(ev.t0[i]);
      p.end_date = ev.end[i] === null || ev.end[i] === undefined ? null : isoOf(ev.end[i]);
      p.actors = (p.actors || []).slice();
      p.sources = [];
      for (var s = ev.srcStart[i]; s < ev.srcStart[i + 1]; s++) {
        var d = {};
        SOURCE_KEYS.forEach(function (k) {
          var v = ev.src[k](s);
          if (v) d[k] = v;
        });
        p.sources.push(d);
      }
      return p;
    },

    /* Event i as a GeoJSON feature (what the GeoJSON dataset held). */
    feature: function (ds, i) {
      return {
        type: "Feature",
        geometry: { type: "Point", coordinates: [ds.ev.lon[i], ds.ev.lat[i]] },
        properties: E.props(ds, i),
      };
    },

    /* The icon of a type and location precision: one per pair, shared by every symbol (each
     * drawn symbol still gets its own element from Leaflet). Text escaped for HTML. */
    icon: function (ds, type, prec) {
      var icons = ds.icons || (ds.icons = {}), key = type + "\u0000" + prec;
      if (!icons[key]) {
        var st = (ds.spec.styles || {})[type] || { color: "#444", glyph: "?" };
        var html = '<div class="kmap-ev kmap-ev-' + E.esc(prec) + '" style="--c:' +
          E.esc(st.color) + '">' + E.esc(st.glyph) + "</div>";
        icons[key] = L.divIcon({ className: "kmap-ev-icon", html: html, iconSize: [18, 18] });
      }
      return icons[key];
    },

    esc: function (text) {
      return String(text).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    },

    /* Bind event i's popup to its symbol (first click): content made when it opens; the
     * uncertainty ring drawn while it is open. */
    bind: function (m) {
      var ds = m.kmapDataset, i = m.kmapIndex, ev = ds.ev;
      m.bindPopup(function () { return KMap.eventPopup(E.props(ds, i)); }, { maxWidth: 360 });
      var prec = ev.precisions.names[ev.precisions.codes[i]] || "exact";
      var radius = (ds.spec.precisionRadius || {})[prec];
      if (!radius) return m;
      var color = ((ds.spec.styles || {})[ev.types.names[ev.types.codes[i]]] || { color: "#444" }).color;
      m.on("popupopen", function () {
        m._ring = L.circle(m.getLatLng(), {
          radius: radius, color: color, weight: 1, dashArray: "4 4", fillOpacity: 0.06,
          interactive: false,
        }).addTo(m._map || window.kmapMap);
      });
      m.on("popupclose", function () { if (m._ring) { m._ring.remove(); m._ring = null; } });
      return m;
    },

    /* Open an event symbol's popup (binding it first if needed); `e`, the click that asks
     * for it, is then handled as Leaflet's own popup click would (stopped, popup there). */
    open: function (m, e) {
      if (!m || m.kmapIndex === undefined) return;
      if (!m.getPopup()) E.bind(m);
      if (e) L.DomEvent.stop(e);
      if (!m.isPopupOpen()) m.openPopup(e && e.latlng);
    },
  };

  /* The symbol of event i (KMap._apply makes it the first time the event is shown). */
  KMap._eventLayer = function (ds, i) {
    var ev = ds.ev;
    var prec = ev.precisions.names[ev.precisions.codes[i]] || "exact";
    var m = L.marker([ev.lat[i], ev.lon[i]], {
      icon: E.icon(ds, ev.types.names[ev.types.codes[i]], prec),
      title: ev.get.title(i) || "",
      keyboard: false,
    });
    m.kmapIndex = i;
    m.kmapDataset = ds;
    return m;
  };

  /* A neutral (ink) bubble with a small count: no event colour, little over a label. */
  KMap._clusterIcon = function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 20 : n < 100 ? 24 : 28;
    return L.divIcon({
      html: "<span>" + n + "</span>", className: "marker-cluster kmap-cluster", iconSize: L.point(size, size),
    });
  };

  KMap.events = E;
})();
