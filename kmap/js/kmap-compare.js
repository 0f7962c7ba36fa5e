/* karabakh-map: two dates side by side (the Compare tab, and its HTML export).
 *
 * Each date is a whole map page (kmap.js keeps one map per window) in its own frame of one
 * page; this file, in that outer page, waits until every frame has made its map and then keeps
 * the maps on one view: a pan or zoom of either is applied to the others at once. Plain
 * Leaflet calls across same-origin frames; no network.
 */
(function () {
  "use strict";

  var KMapCompare = {
    /* How often to look for the frames' maps while their pages load (ms). */
    POLL_MS: 100,
    /* How long to wait for them (ms) before giving up. */
    GIVE_UP_MS: 120000,

    /* The Leaflet map a frame's page made (window.kmapMap), or null while it loads. */
    mapOf: function (frame) {
      try {
        return (frame.contentWindow && frame.contentWindow.kmapMap) || null;
      } catch (e) {
        return null; // another origin: cannot be linked
      }
    },

    /* Keep `maps` on one view: after any of them moves or zooms, the others take its centre
     * and zoom without animation; `busy` stops the moves we make from echoing back. The
     * others first take the first map's view. */
    sync: function (maps) {
      var busy = false;
      function follow(lead) {
        if (busy) return;
        busy = true;
        try {
          maps.forEach(function (other) {
            if (other !== lead) other.setView(lead.getCenter(), lead.getZoom(), { animate: false });
          });
        } finally {
          busy = false;
        }
      }
      maps.forEach(function (m) {
        m.on("move zoomend moveend", function () { follow(m); });
      });
      if (maps.length) follow(maps[0]);
    },

    /* Fold each frame's legend to its button (the map's own toggle): at half the width, an
     * open legend would hide half of each map. A click on the button opens it. */
    foldLegends: function (frames) {
      frames.forEach(function (frame) {
        try {
          var btn = frame.contentDocument.querySelector(
            ".kmap-legend:not(.kmap-legend-closed) .kmap-legend-title");
          if (btn) btn.click();
        } catch (e) { /* another origin: left as it is */ }
      });
    },

    /* Link the maps of `frames` once all are made (and fold their legends); `box` then carries
     * data-kmap-compare-linked="<number of maps>" (the tests wait for it). */
    link: function (frames, box) {
      frames = Array.prototype.slice.call(frames);
      var tries = 0;
      var timer = setInterval(function () {
        var maps = frames.map(KMapCompare.mapOf);
        if (!maps.length || maps.some(function (m) { return !m; })) {
          if (++tries * KMapCompare.POLL_MS >= KMapCompare.GIVE_UP_MS) {
            clearInterval(timer); // a page that made no map: stop looking, and say so
            if (box) box.setAttribute("data-kmap-compare-linked", "none");
          }
          return;
        }
        clearInterval(timer);
        KMapCompare.sync(maps);
        KMapCompare.foldLegends(frames);
        if (box) box.setAttribute("data-kmap-compare-linked", String(maps.length));
      }, KMapCompare.POLL_MS);
      return timer;
    },
  };

  window.KMapCompare = KMapCompare;
})();
