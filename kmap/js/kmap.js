/* karabakh-map front-end helpers (our own code, plain Leaflet 1.9, no other library).
 *
 * Static layers (basemap, borders, NKAO, districts, enclaves) are fetched once from
 * /app/static/data/*.geojson (or passed inline for standalone exports), so a Streamlit
 * rerun never re-sends them. All text from data files is inserted with textContent,
 * never as HTML.
 */
(function () {
  "use strict";

  var PANES = {
    kmapBasemap: 150,
    kmapAreas: 300,
    kmapZones: 360,
    kmapOutlines: 380,
    kmapEvents: 450,
    kmapLabels: 620,
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(String(url || "")) ? String(url) : null;
  }

  /* A popup/tooltip body built from feature properties, as DOM (escaped by construction). */
  function infoNode(props, fields) {
    var box = el("div", "kmap-info");
    fields.forEach(function (f) {
      var v = props[f.key];
      if (v === undefined || v === null || v === "") return;
      var row = el("div", "kmap-info-row");
      if (f.label) row.appendChild(el("span", "kmap-info-key", f.label + ": "));
      var url = f.link ? safeUrl(props[f.link]) : null;
      if (url) {
        var a = el("a", null, v);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        row.appendChild(a);
      } else {
        row.appendChild(el("span", f.key === "title" ? "kmap-info-title" : null, v));
      }
      box.appendChild(row);
    });
    return box;
  }

  var KMap = {
    layers: {},

    init: function (map, opts) {
      opts = opts || {};
      Object.keys(PANES).forEach(function (name) {
        if (!map.getPane(name)) {
          var pane = map.createPane(name);
          pane.style.zIndex = PANES[name];
          if (name === "kmapLabels") pane.style.pointerEvents = "none";
        }
      });
      if (opts.imagePath) L.Icon.Default.imagePath = opts.imagePath;
      if (map.attributionControl) {
        map.attributionControl.setPrefix(opts.prefix || "karabakh-map");
        (opts.attribution || []).forEach(function (a) {
          map.attributionControl.addAttribution(a);
        });
      }
      map.getContainer().classList.add("kmap");
      window.kmapMap = map;
      return map;
    },

    /* spec: {name, src (URL or GeoJSON object), pane, style, pointStyle, popupFields, tooltipKey} */
    addGeoJson: function (map, spec) {
      var layer = L.geoJSON(null, {
        pane: spec.pane || "kmapOutlines",
        interactive: spec.interactive !== false,
        style: function (f) {
          var s = Object.assign({}, spec.style || {});
          var by = spec.styleBy;
          if (by && f.properties && by.values[f.properties[by.key]]) {
            Object.assign(s, by.values[f.properties[by.key]]);
          }
          return s;
        },
        pointToLayer: function (f, latlng) {
          var ps = Object.assign({ radius: 6 }, spec.pointStyle || spec.style || {});
          ps.pane = spec.pane || "kmapOutlines";
          return L.circleMarker(latlng, ps);
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties || {};
          if (spec.tooltipKey && p[spec.tooltipKey]) {
            lyr.bindTooltip(el("span", null, p[spec.tooltipKey]), { sticky: true });
          }
          if (lyr.getElement && spec.className) {
            lyr.on("add", function () {
              var e = lyr.getElement();
              if (e) e.classList.add(spec.className);
            });
          }
        },
      });
      layer.kmapName = spec.name;
      layer.kmapSpec = spec;
      KMap.layers[spec.name] = layer;
      layer.addTo(map);
      KMap._listenClicks(map);
      var load = typeof spec.src === "string"
        ? fetch(spec.src).then(function (r) {
            if (!r.ok) throw new Error(spec.src + ": HTTP " + r.status);
            return r.json();
          })
        : Promise.resolve(spec.src);
      layer.kmapReady = load.then(function (data) {
        layer.addData(data);
        map.getContainer().setAttribute("data-kmap-" + spec.name, String(layer.getLayers().length));
        return layer;
      }).catch(function (err) {
        map.getContainer().setAttribute("data-kmap-error", String(err));
        if (window.console) console.error("karabakh-map layer", spec.name, err);
      });
      return layer;
    },

    /* Labels: GeoJSON points with properties.text (already in the chosen toponym mode). */
    addLabels: function (map, name, data) {
      var layer = L.geoJSON(data, {
        pane: "kmapLabels",
        interactive: false,
        pointToLayer: function (f, latlng) {
          var p = f.properties || {};
          var node = el("div", "kmap-label kmap-label-" + (p.kind || "place"), p.text);
          return L.marker(latlng, {
            pane: "kmapLabels",
            interactive: false,
            keyboard: false,
            icon: L.divIcon({ className: "kmap-label-icon", html: node, iconSize: null }),
          });
        },
      });
      layer.kmapName = name;
      KMap.layers[name] = layer;
      layer.addTo(map);
      map.getContainer().setAttribute("data-kmap-" + name, String(layer.getLayers().length));
      return layer;
    },

    /* Legend: a box that collapses to its title button (collapsed at first on a window
     * narrower than LEGEND_OPEN_MIN_PX); entries [{label, kind: fill|line|point|ring, ...}]. */
    addLegend: function (map, title, entries, position) {
      var ctl = L.control({ position: position || "bottomleft" });
      ctl.onAdd = function () {
        var box = el("div", "kmap-legend leaflet-control");
        var btn = el("button", "kmap-legend-title", title);
        btn.type = "button";
        var body = el("div", "kmap-legend-body");
        KMap._legendDynamic = el("div", "kmap-legend-dynamic");
        body.appendChild(KMap._legendDynamic);
        KMap._legendRows(body, entries);
        box.appendChild(btn);
        box.appendChild(body);
        var setOpen = function (open) {
          box.classList.toggle("kmap-legend-closed", !open);
          btn.setAttribute("aria-expanded", String(open));
        };
        setOpen(KMap._windowWidth() >= KMap.LEGEND_OPEN_MIN_PX);
        btn.addEventListener("click", function () {
          setOpen(box.classList.contains("kmap-legend-closed"));
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      };
      ctl.addTo(map);
      return ctl;
    },

    LEGEND_OPEN_MIN_PX: 1200,

    /* Width of the browser window (the page around the map's frame, when it can be read). */
    _windowWidth: function () {
      try { return window.top.innerWidth || window.innerWidth; } catch (e) { return window.innerWidth; }
    },

    /* ---- time-dependent layers: data arrive once, each rerun only sends a small state ---- */

    /* Register a time-dependent dataset (events, control periods, zones).
     * spec: {name, src (URL or GeoJSON), kind: "events"|"areas", pane, styles, precisionRadius} */
    addDataset: function (map, spec) {
      // shown: {index: true} of the features on the map (read by tests); on: the same as a
      // Uint8Array and count its size, so a diff over 10^5 features stays cheap.
      var ds = {
        spec: spec, features: [], n: 0, layers: [], shown: {}, on: new Uint8Array(0), count: 0,
        ready: false, pending: null, seq: 0,
      };
      KMap.datasets = KMap.datasets || {};
      KMap.datasets[spec.name] = ds;
      if (spec.kind === "events") {
        ds.group = L.markerClusterGroup
          ? L.markerClusterGroup({
              chunkedLoading: true,
              // from zoom 11 only symbols at (nearly) one spot are grouped: a click on the
              // group spreads them out (spiderfy), so each one can be clicked
              maxClusterRadius: function (z) { return z >= 11 ? 4 : 36; },
              spiderfyOnMaxZoom: true,
              showCoverageOnHover: false,
              iconCreateFunction: KMap._clusterIcon,
              // markers are added in chunks (the page stays responsive with 10^5 of them):
              // the state counts as applied once the last chunk is in
              chunkProgress: function (done, total) {
                if (done === total && ds.onAdded) ds.onAdded();
              },
            })
          : L.featureGroup();  // a feature group passes its symbols' clicks on (below)
        // an event's popup is bound on its first click (kmap-events.js): 10^5 symbols are cheap
        ds.group.on("click", function (e) {
          var m = e.layer || e.propagatedFrom;
          if (m && m.kmapIndex !== undefined && !m.getPopup()) KMap.events.open(m, e);
        });
      } else {
        ds.group = L.layerGroup();
      }
      ds.group.addTo(map);
      KMap._listenClicks(map);
      var load = typeof spec.src === "string"
        ? fetch(spec.src).then(function (r) {
            if (!r.ok) throw new Error(spec.src + ": HTTP " + r.status);
            return r.json();
          })
        : Promise.resolve(spec.src);
      ds.loaded = load.then(function (data) {
        KMap._mark(ds, "parsed");
        if (spec.kind === "events") {
          KMap.events.load(ds, data);  // compact columns (kmap-events.js)
        } else {
          ds.features = data.features || [];
          ds.n = ds.features.length;
        }
        ds.layers = new Array(ds.n);
        ds.on = new Uint8Array(ds.n);
        ds.ready = true;
        if (ds.pending) KMap._apply(map, spec.name, ds.pending);
      }).catch(function (err) {
        map.getContainer().setAttribute("data-kmap-error", String(err));
        if (window.console) console.error("karabakh-map layer", spec.name, err);
      });
      return ds;
    },

    _areaLayer: function (ds, i) {
      var f = ds.features[i];
      var p = f.properties || {};
      var styles = ds.spec.styles || {};
      var st = Object.assign({}, styles[p.controller] || styles[p.kind] || { color: "#555" });
      var lyr = L.geoJSON(f, {
        pane: ds.spec.pane || "kmapAreas",
        style: function () { return st; },
        pointToLayer: function (_f, latlng) {
          return L.circle(latlng, Object.assign({ radius: p.radius_m || 1500 }, st));
        },
      });
      lyr.eachLayer(function (l) {
        if (l.getElement) l.on("add", function () {
          var e = l.getElement();
          if (e) e.classList.add("kmap-area", "kmap-" + ds.spec.name, "kmap-" + (p.controller || p.kind));
        });
      });
      lyr.bindTooltip(el("span", null, p.label || p.name || ""), { sticky: true });
      return lyr;  // a click is answered by whatIsHere: every layer under the point, in order
    },

    /* A performance mark "kmap-<dataset>-<step>" for the first drawing of a dataset (read by
     * benchmarks/run.py to split upload -> painted into its steps); later states add none. */
    _mark: function (ds, step) {
      if (!ds.marked && window.performance && performance.mark) {
        performance.mark("kmap-" + ds.spec.name + "-" + step);
      }
    },

    /* Show exactly the features whose bit is set in state.mask (base64 bitset, LSB first). */
    setState: function (map, name, state) {
      var ds = (KMap.datasets || {})[name];
      if (!ds) return;
      if (!ds.ready) { ds.pending = state; return; }
      KMap._apply(map, name, state);
    },

    _apply: function (map, name, state) {
      var ds = KMap.datasets[name];
      ds.pending = null;
      var n = ds.n, on = ds.on;
      var bits = state.bits || KMap._decodeMask(state.mask, n);  // bits: kmap-time.js
      var add = [], remove = [];
      for (var i = 0; i < n; i++) {
        var want = (bits[i >> 3] >> (i & 7)) & 1;
        if (want === on[i]) continue;
        if (want) {
          if (!ds.layers[i]) {
            ds.layers[i] = ds.spec.kind === "events" ? KMap._eventLayer(ds, i) : KMap._areaLayer(ds, i);
          }
          add.push(ds.layers[i]);
          ds.shown[i] = true;
        } else {
          remove.push(ds.layers[i]);
          delete ds.shown[i];
        }
        on[i] = want;
      }
      KMap._mark(ds, "built");
      var first = !ds.marked;
      ds.marked = true;
      ds.count += add.length - remove.length;
      var count = ds.count, container = map.getContainer(), seq = ++ds.seq;
      var done = function () {  // the state is drawn: say so (tests and benchmarks wait on it)
        if (seq !== ds.seq) return;  // a newer state arrived meanwhile: it will say so
        ds.onAdded = null;
        container.setAttribute("data-kmap-" + name + "-shown", String(count));
        container.setAttribute("data-kmap-" + name + "-state", String(state.token || ""));
        if (first && window.performance && performance.mark) performance.mark("kmap-" + name + "-drawn");
      };
      if (ds.group.removeLayers) {
        // nothing to change, nothing called: markercluster's removeLayers folds a spread group
        // (and closes its popup) even for an empty list, e.g. on a state after a pan
        if (remove.length) ds.group.removeLayers(remove);
        ds.onAdded = done;
        if (add.length) ds.group.addLayers(add);  // chunkProgress when on the map, maybe later
        if (!ds.group._map || !add.length) done();
      } else {
        remove.forEach(function (l) { ds.group.removeLayer(l); });
        add.forEach(function (l) { ds.group.addLayer(l); });
        done();
      }
      return count;
    },

    /* A mask from kmap.map.masks.mask_b64 -> bitset (LSB first): "b" and base64 bits, or "r"
     * and comma-separated run lengths alternating off/on (a date window: one or two runs). */
    _decodeMask: function (mask, n) {
      var out = new Uint8Array(Math.ceil(n / 8));
      if (!mask) return out;
      if (mask.charAt(0) === "r") {
        var runs = mask.slice(1).split(","), pos = 0;
        for (var k = 0; k < runs.length && pos < n; k++) {
          var end = Math.min(n, pos + (parseInt(runs[k], 10) || 0));
          if (k % 2 === 1) for (var j = pos; j < end; j++) out[j >> 3] |= 1 << (j & 7);
          pos = end;
        }
        return out;
      }
      if (mask.charAt(0) !== "b") {
        console.error("karabakh-map: not a mask (starts with neither r nor b)", mask.slice(0, 20));
        return out;
      }
      var raw = atob(mask.slice(1));
      for (var i = 0; i < raw.length && i < out.length; i++) out[i] = raw.charCodeAt(i);
      return out;
    },

    /* The host a link really opens, as the browser parses it (userinfo such as
     * "https://reuters.com@198.51.100.7/" does not fool it). */
    _host: function (url, fallback) {
      try { return new URL(url).hostname || fallback || "?"; } catch (e) { return fallback || "?"; }
    },

    _sources: function (sources) {
      var box = el("div", "kmap-sources");
      box.appendChild(el("div", "kmap-info-key", "Reported by:"));
      var ul = el("ul");
      (sources || []).forEach(function (s) {
        var li = el("li");
        var label = (s.label || s.publisher || "source") + (s.published ? ", " + s.published : "");
        var url = safeUrl(s.url);
        if (url) {
          var a = el("a", "kmap-source-link", label);
          a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
          if (s.title) a.title = String(s.title);
          li.appendChild(a);
          // the host the link really opens, next to the name a file may have claimed
          li.appendChild(el("span", "kmap-source-host", " (" + KMap._host(url, s.host) + ")"));
        } else {
          li.appendChild(el("span", null, label));
        }
        if (s.title) li.appendChild(el("div", "kmap-source-title", s.title));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      return box;
    },

    eventPopup: function (p) {
      var box = el("div", "kmap-info kmap-popup");
      if (p.from_file) {
        box.appendChild(el("div", "kmap-upload", "From your file " + p.from_file + " (not reviewed by karabakh-map)"));
      }
      box.appendChild(el("div", "kmap-info-title", p.title));
      var span = p.end_date ? " \u2013 " + p.end_date
        : (p.kind === "situation" ? " \u2013 still in force (no end recorded)" : "");
      var when = p.date + span +
        (p.date_precision && p.date_precision !== "day" ? " (date to the " + p.date_precision + ")" : "");
      box.appendChild(el("div", "kmap-when", when));
      box.appendChild(el("div", "kmap-type", (p.type_label || p.type) + " \u00b7 " + (p.place || "")));
      box.appendChild(el("p", "kmap-summary", p.summary));
      var meta = "Location: " + p.geo_precision + " \u00b7 Confidence: " + p.confidence;
      box.appendChild(el("div", "kmap-meta", meta));
      if (p.actors && p.actors.length) box.appendChild(el("div", "kmap-meta", "Actors: " + p.actors.join(", ")));
      if (p.area) box.appendChild(el("div", "kmap-meta", "Area concerned: " + p.area));
      box.appendChild(KMap._sources(p.sources));
      return box;
    },

    areaPopup: function (p, labels) {
      var box = el("div", "kmap-info kmap-popup");
      var kind = (labels || {})[p.controller] || (labels || {})[p.kind];
      if (kind) box.appendChild(el("div", "kmap-held", kind));
      box.appendChild(el("div", "kmap-info-title", p.label || p.name));
      var span = (p.valid_from || "") + " \u2013 " + (p.valid_to || "today");
      box.appendChild(el("div", "kmap-when", span));
      if (p.precision) box.appendChild(el("div", "kmap-meta", "Precision: " + p.precision));
      if (p.confidence) box.appendChild(el("div", "kmap-meta", "Confidence: " + p.confidence));
      box.appendChild(KMap._sources(p.sources));
      return box;
    },

    /* Compare mode: areas that changed hands between two dates (hatched), or none. */
    setChanges: function (map, data) {
      if (KMap._changes) { KMap._changes.remove(); KMap._changes = null; }
      map.getContainer().setAttribute("data-kmap-changes", data ? String(data.features.length) : "0");
      if (!data) return;
      KMap._changes = L.geoJSON(data, {
        pane: "kmapZones",
        style: function () {
          return { color: "#000", weight: 2, dashArray: "2 3", fillColor: "#ffeb3b", fillOpacity: 0.45 };
        },
        onEachFeature: function (f, lyr) {
          lyr.bindTooltip(el("span", null, (f.properties || {}).label || ""), { sticky: true });
        },
      }).addTo(map);
    },

    /* ---- what is here: one popup for every area under a click, control first ---- */

    /* Order of the answer: who held the ground, then zones, then reference outlines. */
    HERE_ORDER: [
      ["control", "Control"], ["zones", "Zone"], ["nkao", "Former NKAO"],
      ["districts", "District"], ["admin", "District"], ["nakhchivan", "Nakhchivan"],
      ["enclaves", "Enclave"], ["enclave_points", "Enclave"],
    ],

    _listenClicks: function (map) {
      if (map._kmapHere) return;
      map._kmapHere = true;
      // Where the press began: a press on an event symbol can end (mouseup) on the polygon
      // under it, and the browser then reports the click on the map pane.
      var down = null;
      var remember = function (ev) { down = ev.target; };
      map.getContainer().addEventListener("pointerdown", remember, true);
      map.getContainer().addEventListener("mousedown", remember, true);
      map.on("click", function (e) {
        var t = e.originalEvent && e.originalEvent.target;
        var near = function (el, sel) { return el && el.closest ? el.closest(sel) : null; };
        var icon = near(down, ".leaflet-marker-icon") || near(t, ".leaflet-marker-icon");
        if (icon) {  // a click on an event symbol answers with that event's popup
          var marker = map._targets && map._targets[L.Util.stamp(icon)];
          if (marker && marker.kmapIndex !== undefined) KMap.events.open(marker);
          return;
        }
        if (near(t, ".leaflet-popup")) return;
        KMap.whatIsHere(map, e.latlng);
      });
    },

    _inRing: function (ring, x, y) {
      var inside = false;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    },

    /* Does a GeoJSON geometry (lon, lat) contain the point? Points count within radius_m. */
    _contains: function (map, f, latlng) {
      var g = f && f.geometry, x = latlng.lng, y = latlng.lat;
      if (!g) return false;
      var polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : null;
      if (polys) {
        return polys.some(function (rings) {
          if (!KMap._inRing(rings[0], x, y)) return false;
          for (var k = 1; k < rings.length; k++) if (KMap._inRing(rings[k], x, y)) return false;
          return true;
        });
      }
      if (g.type === "Point") {
        var r = (f.properties || {}).radius_m || 1500;
        return map.distance(latlng, L.latLng(g.coordinates[1], g.coordinates[0])) <= r;
      }
      return false;
    },

    /* Every area under latlng: [{group, label, props, fields}] in HERE_ORDER. */
    hitsAt: function (map, latlng) {
      var hits = [];
      KMap.HERE_ORDER.forEach(function (entry) {
        var name = entry[0], ds = (KMap.datasets || {})[name];
        if (ds && ds.spec.kind === "areas") {
          Object.keys(ds.shown).forEach(function (i) {
            var f = ds.features[i];
            if (KMap._contains(map, f, latlng)) {
              hits.push({ group: entry[1], props: f.properties || {}, labels: ds.spec.labels });
            }
          });
          return;
        }
        var layer = KMap.layers[name];
        if (!layer || !layer.kmapSpec || !layer.kmapSpec.popupFields || !map.hasLayer(layer)) return;
        layer.eachLayer(function (l) {
          if (l.feature && KMap._contains(map, l.feature, latlng)) {
            hits.push({ group: entry[1], props: l.feature.properties || {}, fields: layer.kmapSpec.popupFields });
          }
        });
      });
      return hits;
    },

    /* One popup listing what lies under the click (nothing when nothing does). */
    whatIsHere: function (map, latlng) {
      var hits = KMap.hitsAt(map, latlng);
      map.getContainer().setAttribute("data-kmap-here", String(hits.length));
      if (!hits.length) return null;
      var box = el("div", "kmap-here");
      hits.forEach(function (h) {
        var sec = el("section", "kmap-here-item");
        sec.appendChild(el("div", "kmap-here-group", h.group));
        sec.appendChild(h.fields ? infoNode(h.props, h.fields) : KMap.areaPopup(h.props, h.labels));
        box.appendChild(sec);
      });
      return L.popup({ maxWidth: 380, maxHeight: 360 }).setLatLng(latlng).setContent(box).openOn(map);
    },

    setBanner: function (map, lines) {
      if (!KMap._banner) {
        KMap._banner = L.control({ position: "topright" });
        KMap._banner.onAdd = function () { return el("div", "kmap-banner leaflet-control"); };
        KMap._banner.addTo(map);
      }
      var box = KMap._banner.getContainer();
      box.textContent = "";
      lines.forEach(function (t, i) {
        box.appendChild(el("div", i === 0 ? "kmap-banner-main" : "kmap-banner-sub", t));
      });
    },

    _legendRows: function (box, entries) {
      entries.forEach(function (e) {
        var row = el("div", "kmap-legend-row");
        var sw = el("span", "kmap-swatch kmap-swatch-" + e.kind);
        sw.style.borderColor = e.color;
        // the colour the map shows: a fill swatch has none for an outline-only area
        if (e.kind === "point") sw.style.background = e.fill || e.color;
        if (e.kind === "fill" && e.fill) sw.style.background = e.fill;
        if (e.dash) sw.style.borderStyle = "dashed";
        row.appendChild(sw);
        row.appendChild(el("span", null, e.label));
        box.appendChild(row);
      });
    },

    /* Legend rows of the time layers, replaced on every state update. */
    setLegendExtra: function (entries) {
      if (!KMap._legendDynamic) return;
      KMap._legendDynamic.textContent = "";
      KMap._legendRows(KMap._legendDynamic, entries || []);
    },
  };

  window.KMap = KMap;
})();
