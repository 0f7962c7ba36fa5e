/* karabakh-map: the map and the window (our own code, plain Leaflet; loaded after kmap.js).
 *
 * - An online basemap that cannot load says so on the map and offers the offline one. The
 *   switch is the app's own button (key "use_offline_basemap", drawn by ui.notices), pressed
 *   from here: the view keeps one owner (ui.session), the map only reports.
 * - Presentation mode: Esc presses the app's "Exit presentation mode" button.
 */
(function () {
  "use strict";
  var KMap = window.KMap;

  /* The app page around the map's frame, or null (a standalone export has none). */
  function appDocument() {
    try {
      return window.parent && window.parent !== window ? window.parent.document : null;
    } catch (e) {
      return null;
    }
  }

  /* Press one of the app's buttons by its Streamlit key; false when it is not on the page. */
  KMap.pressAppButton = function (key) {
    var doc = appDocument();
    var btn = doc && doc.querySelector(".st-key-" + key + " button");
    if (!btn) return false;
    btn.click();
    return true;
  };

  /* Watch an online tile layer: when tiles fail, or none has arrived after a while (offline,
   * a name lookup can hang rather than fail), and none has loaded, say so on the map. */
  KMap.TILE_WAIT_MS = 8000;
  KMap.watchTiles = function (map, layer, label) {
    var loaded = 0, failed = 0, notice = null;
    function say() {
      if (loaded || notice) return;
      // over the middle of the map's top edge: clear of the controls in its corners
      notice = L.DomUtil.create("div", "kmap-tiles-notice", map.getContainer());
      var text = L.DomUtil.create("div", "", notice);
      text.textContent = "The online basemap (" + label + ") cannot load: " +
        "no internet here, or the tile server does not answer.";
      if (appDocument()) {
        var btn = L.DomUtil.create("button", "kmap-tiles-offline", notice);
        btn.type = "button";
        btn.textContent = "Use the offline basemap";
        btn.addEventListener("click", function () {
          if (!KMap.pressAppButton("use_offline_basemap")) btn.remove();
        });
      }
      L.DomEvent.disableClickPropagation(notice);
      L.DomEvent.disableScrollPropagation(notice);
    }
    layer.on("tileload", function () {
      loaded += 1;
      if (notice) { L.DomUtil.remove(notice); notice = null; }
    });
    layer.on("tileerror", function () {
      failed += 1;
      map.getContainer().setAttribute("data-kmap-tiles-failed", String(failed));
      say();
    });
    setTimeout(say, KMap.TILE_WAIT_MS);
  };

  /* Follow the map container's size: its height comes from CSS (the window), which may apply
   * after Leaflet measured it; a window resize alone would miss that. */
  KMap.trackSize = function (map) {
    if (!window.ResizeObserver) return;
    var last = "";
    new ResizeObserver(function () {
      var c = map.getContainer(), size = c.clientWidth + "x" + c.clientHeight;
      if (size !== last) { last = size; map.invalidateSize(); }  // the centre stays put
    }).observe(map.getContainer());
  };

  /* The default view: fit the frame to the map, and again whenever the map's size changes
   * (its frame gets its height from the window after the first paint; presentation mode)
   * until the user moves the map themself. */
  KMap.fitFrame = function (map, bounds) {
    var touched = false;
    var fit = function () { if (!touched) map.fitBounds(bounds, { animate: false }); };
    ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
      map.getContainer().addEventListener(type, function () { touched = true; }, true);
    });
    map.on("resize", function () { setTimeout(fit, 0); });  // after Leaflet settles the size
    fit();
  };

  /* Esc, in the map or in the page around it, leaves presentation mode. */
  KMap.escLeavesPresentation = function () {
    var onKey = function (ev) {
      if (ev.key === "Escape") KMap.pressAppButton("exit_present");
    };
    window.addEventListener("keydown", onKey);
    var doc = appDocument();
    if (!doc) return;
    var win = doc.defaultView;
    if (win._kmapEsc) win.removeEventListener("keydown", win._kmapEsc);  // a map drawn before
    win._kmapEsc = onKey;
    win.addEventListener("keydown", onKey);
  };

  KMap.escLeavesPresentation();  // outside presentation mode there is no button: a no-op
})();
