/* karabakh-map: time runs in the browser.
 *
 * The map holds every dataset (events, control periods, zones) from its first load. With each
 * state the server sends what does not depend on the date: which events pass the filters and
 * which zone kinds are on (state.time.base, masks over the datasets). A date window is then
 * drawn here, without a server round trip, while the timeline strip (kmap/js/timeline.js, in
 * the page around the map) is dragged or plays; the server learns the window once, when the
 * user lets go, and its state then draws the same features (kmap.situation computes the same
 * masks: tests/unit/test_kmap_time.py runs this file in node against it).
 *
 * Days are whole days since 1970-01-01 (UTC), as in KMap.time.dayOf.
 */
(function () {
  "use strict";
  var KMap = window.KMap;
  var DAY_MS = 86400000;
  var OPEN = KMap.events.OPEN; // a situation still in force: no last day
  var dayOf = KMap.events.dayOf, isoOf = KMap.events.isoOf;  // kmap-events.js
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function parts(day) {
    var d = new Date(day * DAY_MS);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate() };
  }

  /* kmap.words.date_in_words and date_range_in_words, for the banner while time moves. */
  function inWords(day) {
    var p = parts(day);
    return p.d + " " + MONTHS[p.m] + " " + p.y;
  }

  function rangeInWords(a, b) {
    if (a === b) return inWords(b);
    var p = parts(a), q = parts(b);
    if (p.y !== q.y) return inWords(a) + " \u2013 " + inWords(b);
    if (p.m !== q.m) return p.d + " " + MONTHS[p.m] + " \u2013 " + inWords(b);
    return p.d + " \u2013 " + inWords(b);
  }

  /* kmap.timewindow._shift: a day moved by n days, weeks or months; a month end stays one. */
  function shift(day, unit, n) {
    if (unit === "day") return day + n;
    if (unit === "week") return day + 7 * n;
    var p = parts(day);
    var monthEnd = parts(day + 1).d === 1;
    var first = Date.UTC(p.y, p.m + n, 1) / DAY_MS;
    var last = Math.round(Date.UTC(p.y, p.m + n + 1, 1) / DAY_MS) - 1;
    return monthEnd ? last : Math.min(Math.round(first) + p.d - 1, last);
  }

  /* kmap.timewindow.step_window: the window slid by one unit, kept inside [lo, hi]. */
  function stepWindow(a, b, unit, dir, lo, hi) {
    var na = shift(a, unit, dir), nb = shift(b, unit, dir);
    if (nb > hi) { na -= nb - hi; nb = hi; }
    if (na < lo) { nb += lo - na; na = lo; }
    return [na, Math.min(nb, hi)];
  }

  /* First and last day of every feature of a dataset, made once: an event's [date, end_date]
   * (kmap-events.js reads them with the data; an open situation has no last day), an area's
   * [valid_from, valid_to]. */
  function spans(ds) {
    if (ds.t0) return ds;
    if (ds.ev) {
      ds.t0 = ds.ev.t0;
      ds.t1 = ds.ev.t1;
      return ds;
    }
    var n = ds.n, t0 = new Int32Array(n), t1 = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var p = ds.features[i].properties || {};
      t0[i] = dayOf(p.valid_from);
      t1[i] = p.valid_to ? dayOf(p.valid_to) : OPEN;
    }
    ds.t0 = t0;
    ds.t1 = t1;
    return ds;
  }

  /* The decoded base mask of a dataset, decoded again only when the server's text changes. */
  function baseBits(ds, text) {
    if (!text) return null;
    if (ds.baseText !== text) {
      ds.baseText = text;
      ds.baseBits = KMap._decodeMask(text, ds.n);
    }
    return ds.baseBits;
  }

  function bit(bits, i) {
    return bits ? (bits[i >> 3] >> (i & 7)) & 1 : 1;
  }

  var T = {
    dayOf: dayOf, isoOf: isoOf, shift: shift, stepWindow: stepWindow, inWords: inWords,
    rangeInWords: rangeInWords,
    /* The last state the server sent (its masks, banner, legend and state.time). */
    last: null,
    /* True while the timeline moves time: a server state then only updates state.time. */
    held: false,
    frames: 0,

    /* Which features of dataset `name` the window [a, b] (days; b is the as-of day) shows:
     * events whose interval overlaps it, areas in force on b; and the filters' base mask.
     * Returns {bits, count}, or null when the dataset is not loaded (or not on the map). */
    bits: function (name, a, b) {
      var ds = (KMap.datasets || {})[name], time = T.last && T.last.time;
      if (!ds || !ds.ready || !time || !(name in (T.last.masks || {}))) return null;
      spans(ds);
      var n = ds.n, out = new Uint8Array(Math.ceil(n / 8)), count = 0;
      var base = baseBits(ds, (time.base || {})[name]);
      var t0 = ds.t0, t1 = ds.t1, events = ds.spec.kind === "events";
      var none = name === "control" && b < dayOf(time.modelStart);
      for (var i = 0; i < n && !none; i++) {
        var on = events ? t1[i] >= a && t0[i] <= b : t0[i] <= b && b <= t1[i];
        if (on && bit(base, i)) {
          out[i >> 3] |= 1 << (i & 7);
          count++;
        }
      }
      return { bits: out, count: count };
    },

    /* The legend rows of what `on` ({dataset: {bits}}) draws with b as the as-of day: the
     * server's catalogue (kmap.situation.legend_catalogue) kept to the rows of the controllers,
     * zone kinds and event types drawn, the Soviet period and approximate places; rows the
     * server added of its own (compare mode) stay at the end. */
    legend: function (on, b) {
      var cat = T.last && T.last.time && T.last.time.legend;
      if (!cat) return null;
      var has = {}, sec = cat.sections;
      if (b < dayOf(T.last.time.modelStart)) has[cat.soviet] = true;
      Object.keys(on).forEach(function (name) {
        var ds = KMap.datasets[name], bits = on[name].bits, ev = ds.ev;
        var field = name === "control" ? "controller" : "kind";
        for (var i = 0; i < ds.n; i++) {
          if (!((bits[i >> 3] >> (i & 7)) & 1)) continue;
          if (ev) {  // events: their type and location precision (codes, kmap-events.js)
            has[sec[name] + ":" + ev.types.names[ev.types.codes[i]]] = true;
            if (ev.precisions.names[ev.precisions.codes[i]] !== "exact") has[cat.approx] = true;
            continue;
          }
          has[sec[name] + ":" + (ds.features[i].properties || {})[field]] = true;
        }
      });
      var known = {}, rows = [];
      cat.rows.forEach(function (r) {
        known[r[1].label] = true;
        if (has[r[0]]) rows.push(r[1]);
      });
      (T.last.legend || []).forEach(function (e) { if (!known[e.label]) rows.push(e); });
      return rows;
    },

    /* Draw the window [a, b] (days) on the map now: events, control, zones, banner, legend. */
    show: function (map, a, b) {
      var token = "t" + isoOf(a) + "/" + isoOf(b), shown = 0, on = {};
      ["control", "zones", "events"].forEach(function (name) {
        var r = T.bits(name, a, b);
        if (!r) return;
        on[name] = r;
        if (name === "events") shown = r.count;
        KMap._apply(map, name, { bits: r.bits, token: token });
      });
      var time = T.last && T.last.time;
      if (time) {
        var lines = ["Situation as of " + inWords(b)];
        if (b < dayOf(time.modelStart)) lines.push(time.sovietNote);
        lines.push("Events " + rangeInWords(a, b) + ": " + shown + " shown");
        KMap.setBanner(map, lines);
        var rows = T.legend(on, b);
        if (rows) KMap.setLegendExtra(rows);
      }
      T.frames++;
      map.getContainer().setAttribute("data-kmap-time", isoOf(a) + "/" + isoOf(b));
      return shown;
    },

    /* Events passing the filters, counted per type in `bins` equal bins of [a, b] (days) by
     * their first day: {types: [{name, color}], counts: Uint32Array(bins * types)}. */
    histogram: function (a, b, bins) {
      var ds = (KMap.datasets || {}).events, time = T.last && T.last.time;
      if (!ds || !ds.ready) return null;
      spans(ds);
      var styles = ds.spec.styles || {}, names = Object.keys(styles), code = {};
      names.forEach(function (t, k) { code[t] = k; });
      if (!ds.types) {  // each event's type as its place in the styles (255: none)
        var ev = ds.ev, toStyle = ev.types.names.map(function (t) {
          return code[t] === undefined ? 255 : code[t];
        });
        ds.types = new Uint8Array(ds.n);
        for (var j = 0; j < ds.n; j++) ds.types[j] = toStyle[ev.types.codes[j]];
      }
      var base = baseBits(ds, time && time.base && time.base.events);
      var counts = new Uint32Array(bins * names.length), width = (b - a + 1) / bins;
      for (var i = 0; i < ds.n; i++) {
        var d = ds.t0[i];
        if (d < a || d > b || ds.types[i] === 255 || !bit(base, i)) continue;
        counts[Math.min(bins - 1, Math.floor((d - a) / width)) * names.length + ds.types[i]]++;
      }
      return {
        types: names.map(function (t) { return { name: t, color: styles[t].color }; }),
        counts: counts,
      };
    },

    /* A state from the server (kmap.map.elements.StateUpdate): drawn unless time is held. */
    receive: function (map, state) {
      T.last = state;
      map.getContainer().setAttribute("data-kmap-server-state", String(state.token || ""));
      T.notify();
      if (T.held) return;  // the timeline moves time: the server's state follows on release
      Object.keys(state.masks).forEach(function (name) {
        KMap.setState(map, name, { mask: state.masks[name], token: state.token });
      });
      KMap.setBanner(map, state.banner);
      KMap.setChanges(map, state.changes);
      KMap.setLegendExtra(state.legend);
    },

    hold: function (on) {
      T.held = !!on;
    },

    /* Tell the page around the map (the timeline) that data or filters changed. */
    notify: function () {
      var fire = function () {
        try {
          window.parent.dispatchEvent(new CustomEvent("kmap:data"));
        } catch (e) { /* a standalone export has no page around it */ }
      };
      var ds = (KMap.datasets || {}).events;
      if (ds && ds.loaded && !ds.ready) ds.loaded.then(fire);
      else fire();
    },
  };

  KMap.time = T;
})();
