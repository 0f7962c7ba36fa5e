/* karabakh-map timeline strip (a Streamlit components v2 module, drawn in the page itself).
 *
 * A histogram of the events passing the filters, by type, over the visible span; ticks where
 * control or a zone changes; the date window with its as-of day (the window's end). Drag its
 * edges or the whole window, zoom with the wheel or the buttons, step with the keyboard, type
 * exact dates (Enter applies), or Play. While that happens the map in the page draws each
 * window itself (KMap.time in kmap/js/kmap-time.js, no server round trip); Streamlit learns the
 * window once, when the user lets go or pauses (setStateValue "window").
 *
 * Everything shown is built with textContent and canvas calls: no HTML from data.
 */
const DAY_MS = 86400000;
const MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]';
const SPEEDS = [2, 5, 10, 20];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
/* A window sent to Streamlit is sent again until the server says it has it (data.seq): a value
 * set while a run ends can be lost in the browser (streamlit/streamlit#16732). */
const RESEND_MS = [1500, 3000, 6000, 12000];

const dayOf = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
const isoOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

function el(tag, cls, text, parent) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

/* The map's frame in this page, when its scripts are ready: {w: its window, T: KMap.time}. */
function theMap() {
  const frame = document.querySelector(MAP_IFRAME);
  try {
    const w = frame && frame.contentWindow;
    return w && w.KMap && w.KMap.time && w.kmapMap ? { w, T: w.KMap.time, map: w.kmapMap } : null;
  } catch (e) {
    return null;
  }
}

/* "1994", "Mar 2020" or "5 Mar" ticks for a span of `days`: [first day, step kind]. */
function axisSteps(days) {
  if (days > 365 * 12) return { unit: "year", every: 5 };
  if (days > 365 * 3) return { unit: "year", every: 1 };
  if (days > 300) return { unit: "month", every: 3 };
  if (days > 75) return { unit: "month", every: 1 };
  if (days > 20) return { unit: "day", every: 7 };
  return { unit: "day", every: 1 };
}

function axisDays(v0, v1) {
  const s = axisSteps(v1 - v0), out = [];
  const d = new Date(v0 * DAY_MS);
  let y = d.getUTCFullYear(), m = d.getUTCMonth();
  if (s.unit === "day") {
    for (let k = v0; k <= v1; k++) {
      const t = new Date(k * DAY_MS);
      if (s.every === 1 || t.getUTCDay() === 1) out.push([k, t.getUTCDate() + " " + MONTHS[t.getUTCMonth()]]);
    }
    return out;
  }
  for (let i = 0; i < 400; i++) {
    const k = Math.round(Date.UTC(y, m, 1) / DAY_MS);
    if (k > v1) break;
    const yearTick = s.unit === "year" && m === 0 && y % s.every === 0;
    const monthTick = s.unit === "month" && m % s.every === 0;
    if (k >= v0 && (yearTick || monthTick)) out.push([k, yearTick ? String(y) : MONTHS[m] + " " + y]);
    m++;
    if (m === 12) { m = 0; y++; }
  }
  return out;
}

class Timeline {
  constructor(root) {
    this.root = root;
    this.box = el("div", "tl", undefined, root);
    const bar = el("div", "tl-bar", undefined, this.box);
    this.play = el("button", "tl-play", "\u25b6 Play", bar);
    this.play.type = "button";
    this.speed = el("select", "tl-speed", undefined, bar);
    this.speed.setAttribute("aria-label", "Play speed");
    SPEEDS.forEach((s) => { el("option", null, s + " steps/s", this.speed).value = String(s); });
    this.speed.value = "5";
    const zoom = el("span", "tl-zoom", undefined, bar);
    this.zoomOut = el("button", null, "\u2212", zoom);
    this.zoomIn = el("button", null, "+", zoom);
    this.zoomAll = el("button", null, "1988\u2013today", zoom);
    this.zoomOut.title = "Zoom the timeline out";
    this.zoomIn.title = "Zoom the timeline in";
    this.zoomAll.title = "Show the whole span";
    [this.zoomOut, this.zoomIn, this.zoomAll].forEach((b) => { b.type = "button"; });
    this.from = this.dateBox(bar, "From");
    this.to = this.dateBox(bar, "As of");
    this.msg = el("span", "tl-msg", "", bar);
    this.msg.setAttribute("role", "status");
    this.track = el("div", "tl-track", undefined, this.box);
    this.track.tabIndex = 0;
    this.track.setAttribute("role", "slider");
    this.track.setAttribute("aria-label",
      "Date window: arrows move it a day, Shift+arrows a week, Page Up/Down a month; +/- zoom");
    this.canvas = el("canvas", null, undefined, this.track);
    this.playing = false;
    this.drag = null;
    this.listen();
  }

  dateBox(bar, label) {
    const lab = el("label", "tl-date", undefined, bar);
    el("span", null, label + " ", lab);
    const input = el("input", null, undefined, lab);
    input.type = "text";
    input.placeholder = "YYYY-MM-DD";
    input.size = 10;
    input.setAttribute("aria-label", label + " (YYYY-MM-DD, Enter applies)");
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.typed();
      if (e.key === "Escape") this.showWindow();
    });
    return input;
  }

  /* New data from the server (every rerun): its window, unless the user is moving time. */
  update(data, setStateValue) {
    this.setStateValue = setStateValue;
    this.lo = dayOf(data.min);
    this.hi = dayOf(data.max);
    this.unit = data.unit || "week";
    this.ticks = data.ticks || { control: [], zones: [] };
    this.play.title = "Play: one " + this.unit + " per step, in the browser; pause to stop";
    this.acked = Number(data.seq) || 0;  // the last window the server has (its seq)
    this.seq = Math.max(this.seq || 0, this.acked);  // a new strip in the same session
    this.box.setAttribute("data-acked", String(this.acked));
    if (this.pending && this.acked >= this.pending.seq) this.pending = null;
    const a = dayOf(data.start), b = dayOf(data.end);
    // a run that began before the server had the user's window: keep the user's, not its
    if (this.playing || this.drag || this.pending) return;
    const banner = document.querySelector(".st-key-kmap_banner");
    if (banner) banner.classList.remove("kmap-stale");
    const moved = !this.win || this.win[0] !== a || this.win[1] !== b;
    this.win = [a, b];
    if (!this.view || moved) this.frameWindow();
    this.showWindow();
    this.draw();
  }

  /* Zoom so the window fills about a third of the strip (at least 90 days shown). */
  frameWindow() {
    const [a, b] = this.win;
    if (this.view && a >= this.view[0] && b <= this.view[1] && (b - a) * 40 > this.view[1] - this.view[0]) return;
    const span = Math.max(90, (b - a + 1) * 3);
    this.setView(b - span * 0.75, b + span * 0.25);
  }

  setView(v0, v1) {
    const min = 14, full = this.hi - this.lo + 1;
    let span = clamp(v1 - v0, min, full);
    v0 = clamp(v0, this.lo, this.hi + 1 - span);
    this.view = [v0, v0 + span];
    this.box.setAttribute("data-span-days", String(Math.round(span)));
  }

  zoom(factor, at) {
    const [v0, v1] = this.view, c = at === undefined ? (this.win[1] + this.win[0]) / 2 : at;
    this.setView(c - (c - v0) * factor, c + (v1 - c) * factor);
    this.draw();
  }

  showWindow() {
    this.from.value = isoOf(this.win[0]);
    this.to.value = isoOf(this.win[1]);
    this.from.classList.remove("tl-bad");
    this.to.classList.remove("tl-bad");
    this.box.setAttribute("data-window", isoOf(this.win[0]) + "/" + isoOf(this.win[1]));
    this.track.setAttribute("aria-valuetext", "as of " + isoOf(this.win[1]) + ", from " + isoOf(this.win[0]));
  }

  typed() {
    const bad = [this.from, this.to].filter((i) => {
      const m = ISO.exec(i.value.trim());
      const d = m ? dayOf(i.value.trim()) : NaN;
      return !m || isNaN(d) || isoOf(d) !== i.value.trim() || d < this.lo || d > this.hi;
    });
    [this.from, this.to].forEach((i) => i.classList.toggle("tl-bad", bad.includes(i)));
    if (bad.length) {
      this.msg.textContent = "Dates are YYYY-MM-DD, from " + isoOf(this.lo) + " to " + isoOf(this.hi);
      return;
    }
    this.msg.textContent = "";
    const a = dayOf(this.from.value.trim()), b = dayOf(this.to.value.trim());
    this.win = [Math.min(a, b), Math.max(a, b)];
    this.frameWindow();
    this.preview();
    this.commit();
  }

  /* Draw the current window on the map now (no server round trip); the page's one-line
   * banner is dimmed until the server has the window. */
  preview() {
    this.showWindow();
    this.draw();
    const banner = document.querySelector(".st-key-kmap_banner");
    if (banner) banner.classList.add("kmap-stale");
    const m = theMap();
    if (!m) return;
    m.T.hold(true);
    m.T.show(m.map, this.win[0], this.win[1]);
  }

  /* The user let go: Streamlit learns the window (address bar, panels, exports), once. */
  commit() {
    const m = theMap();
    if (m) m.T.hold(false);
    const start = isoOf(this.win[0]), end = isoOf(this.win[1]);
    this.box.setAttribute("data-committed", start + "/" + end);
    // a new value every time (seq): a window sent before, then changed by a button, must
    // still reach the server when the user comes back to it
    this.pending = { start, end, tries: 0 };
    this.send();
  }

  /* Send the pending window (a new seq each time) and check later that the server has it. */
  send() {
    const p = this.pending;
    if (!p || !this.box.isConnected) return;
    this.seq = (this.seq || 0) + 1;
    p.seq = this.seq;
    this.setStateValue("window", { start: p.start, end: p.end, seq: p.seq });
    clearTimeout(this.resendTimer);
    const wait = RESEND_MS[p.tries++];
    this.resendTimer = setTimeout(() => {
      if (this.pending !== p) return;
      if (p.tries < RESEND_MS.length) this.send();
      else this.pending = null;  // given up: the next render shows what the server has
    }, wait);
  }

  step(unit, dir) {
    const m = theMap();
    if (!m) return false;
    const next = m.T.stepWindow(this.win[0], this.win[1], unit, dir, this.lo, this.hi);
    const moved = next[0] !== this.win[0] || next[1] !== this.win[1];
    this.win = next;
    if (next[1] > this.view[1] || next[0] < this.view[0]) {  // keep the window in sight
      const span = this.view[1] - this.view[0];
      const v0 = dir > 0 ? next[1] - span * 0.8 : next[0] - span * 0.2;
      this.setView(v0, v0 + span);
    }
    this.preview();
    return moved;
  }

  togglePlay() {
    if (this.playing) {
      this.playing = false;
      this.play.textContent = "\u25b6 Play";
      this.play.setAttribute("aria-pressed", "false");
      this.commit();
      return;
    }
    if (this.win[1] >= this.hi) this.win = [this.lo, this.lo + (this.win[1] - this.win[0])];
    this.playing = true;
    this.play.textContent = "\u275a\u275a Pause";
    this.play.setAttribute("aria-pressed", "true");
    let last = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      if (!this.box.isConnected) { this.playing = false; return; }
      const every = 1000 / Number(this.speed.value);
      if (now - last >= every) {
        last = now - ((now - last) % every);
        if (!this.step(this.unit, 1) || this.win[1] >= this.hi) { this.togglePlay(); return; }
      }
      requestAnimationFrame(tick);
    };
    this.preview();
    requestAnimationFrame(tick);
  }

  xOf(day) {
    const [v0, v1] = this.view;
    return ((day - v0) / (v1 - v0)) * this.width;
  }

  dayAt(x) {
    const [v0, v1] = this.view;
    return Math.round(v0 + (x / this.width) * (v1 - v0));
  }

  listen() {
    this.play.addEventListener("click", () => this.togglePlay());
    this.zoomIn.addEventListener("click", () => this.zoom(0.5));
    this.zoomOut.addEventListener("click", () => this.zoom(2));
    this.zoomAll.addEventListener("click", () => { this.setView(this.lo, this.hi + 1); this.draw(); });
    const c = this.canvas;
    c.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.dayAt(e.clientX - r.left));
    }, { passive: false });
    c.addEventListener("pointerdown", (e) => this.down(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.up(e));
    c.addEventListener("pointercancel", (e) => this.up(e));
    this.track.addEventListener("keydown", (e) => this.key(e));
    this.track.addEventListener("keyup", (e) => { if (this.keyed) { this.keyed = false; this.commit(); } });
    const redraw = () => this.draw();
    window.addEventListener("resize", redraw);
    window.addEventListener("kmap:data", redraw);
  }

  key(e) {
    const units = { ArrowLeft: [-1, e.shiftKey ? "week" : "day"], ArrowRight: [1, e.shiftKey ? "week" : "day"],
      PageUp: [-1, "month"], PageDown: [1, "month"] };
    if (e.key === "+" || e.key === "=") { this.zoom(0.5); e.preventDefault(); return; }
    if (e.key === "-") { this.zoom(2); e.preventDefault(); return; }
    const u = units[e.key];
    if (!u || this.playing) return;
    e.preventDefault();
    this.keyed = true;
    this.step(u[1], u[0]);
  }

  /* Two fingers on the strip: zoom by their spread, around their middle (touch screens; a
   * trackpad's pinch arrives as a wheel event with ctrlKey, handled by the wheel). */
  pinch(e, phase) {
    this.touches = this.touches || new Map();
    if (phase === "up") this.touches.delete(e.pointerId);
    else this.touches.set(e.pointerId, e.offsetX);
    const xs = [...this.touches.values()];
    if (phase === "down" && xs.length === 2) {
      const mid = (xs[0] + xs[1]) / 2;
      this.drag = { mode: "pinch", dist0: Math.max(8, Math.abs(xs[0] - xs[1])), mid: this.dayAt(mid),
        view0: this.view.slice(), moved: this.drag ? this.drag.moved : false };
      return true;
    }
    const d = this.drag;
    if (!d || d.mode !== "pinch") return false;
    if (phase === "move" && xs.length === 2) {
      const f = d.dist0 / Math.max(8, Math.abs(xs[0] - xs[1]));
      this.setView(d.mid - (d.mid - d.view0[0]) * f, d.mid + (d.view0[1] - d.mid) * f);
      this.draw();
    } else if (phase === "up" && xs.length < 2) {
      this.drag = null;
      if (d.moved) this.commit();  // a window moved by the first finger before the pinch
    }
    return true;
  }

  down(e) {
    if (this.pinch(e, "down")) return;
    if (this.playing) this.togglePlay();
    const x = e.offsetX, xa = this.xOf(this.win[0]), xb = this.xOf(this.win[1] + 1);
    let mode = "pan";
    if (Math.abs(x - xb) <= 7) mode = "end";
    else if (Math.abs(x - xa) <= 7) mode = "start";
    else if (x > xa && x < xb) mode = "move";
    this.drag = { mode, x0: x, day0: this.dayAt(x), win0: this.win.slice(), view0: this.view.slice(), moved: false };
    try {
      this.canvas.setPointerCapture(e.pointerId);  // the drag goes on outside the strip
    } catch (err) { /* a pointer the browser no longer tracks */ }
    this.track.focus();
  }

  move(e) {
    if (this.touches && this.touches.has(e.pointerId) && this.pinch(e, "move")) return;
    const d = this.drag;
    if (!d) {
      const x = e.offsetX, near = (k) => Math.abs(x - this.xOf(k)) <= 7;
      this.canvas.style.cursor = this.win && (near(this.win[0]) || near(this.win[1] + 1)) ? "ew-resize" : "grab";
      return;
    }
    if (Math.abs(e.offsetX - d.x0) > 3) d.moved = true;
    if (!d.moved) return;
    const delta = this.dayAt(e.offsetX) - d.day0, [a, b] = d.win0;
    if (d.mode === "pan") {
      const span = d.view0[1] - d.view0[0], shift = ((d.x0 - e.offsetX) / this.width) * span;
      this.setView(d.view0[0] + shift, d.view0[1] + shift);
      this.draw();
      return;
    }
    if (d.mode === "end") this.win = [a, clamp(b + delta, a, this.hi)];
    else if (d.mode === "start") this.win = [clamp(a + delta, this.lo, b), b];
    else {
      const k = clamp(delta, this.lo - a, this.hi - b);
      this.win = [a + k, b + k];
    }
    this.preview();  // the browser sends one pointermove per frame: draw it now
  }

  up(e) {
    if (this.touches && this.touches.has(e.pointerId) && this.pinch(e, "up")) return;
    if (this.touches) this.touches.delete(e.pointerId);
    const d = this.drag;
    this.drag = null;
    if (!d) return;
    if (d.mode === "pan" && !d.moved) {  // a click beside the window: its as-of day goes there
      const len = this.win[1] - this.win[0], b = clamp(this.dayAt(e.offsetX), this.lo + len, this.hi);
      this.win = [b - len, b];
    } else if (d.mode === "pan" || !d.moved) {
      return;
    }
    this.preview();
    this.commit();
  }

  /* Counts per bin and type, made again only when the span, the bins or the filters change
   * (a drag of the window redraws the strip on every frame). */
  histogram(bins) {
    const m = theMap();
    const v0 = Math.floor(this.view[0]), v1 = Math.ceil(this.view[1]);
    const base = m && m.T.last && m.T.last.time && m.T.last.time.base;
    const key = [v0, v1, bins, base ? base.events : "", m && (m.w.KMap.datasets || {}).events];
    const same = this.hist && this.hist.key.every((x, i) => x === key[i]);
    if (!same) {
      const h = m && m.T.histogram(v0, v1, bins);
      this.hist = h ? { key, h } : null;
    }
    this.box.setAttribute("data-histogram", this.hist ? "ready" : "waiting");
    return this.hist && this.hist.h;
  }

  draw() {
    if (!this.view) return;
    const c = this.canvas, ratio = window.devicePixelRatio || 1;
    this.width = Math.max(100, this.track.clientWidth);
    const height = 58, axis = 14;
    c.width = this.width * ratio;
    c.height = height * ratio;
    c.style.width = this.width + "px";
    c.style.height = height + "px";
    const g = c.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, this.width, height);
    const plot = height - axis;
    const bins = Math.max(10, Math.floor(this.width / 4)), h = this.histogram(bins);
    if (h) {
      const nt = h.types.length, bw = this.width / bins;
      let max = 1;
      for (let i = 0; i < bins; i++) {
        let s = 0;
        for (let t = 0; t < nt; t++) s += h.counts[i * nt + t];
        max = Math.max(max, s);
      }
      for (let i = 0; i < bins; i++) {
        let y = plot;
        for (let t = 0; t < nt; t++) {
          const n = h.counts[i * nt + t];
          if (!n) continue;
          const bh = Math.max(1, (n / max) * (plot - 6));
          g.fillStyle = h.types[t].color;
          g.fillRect(i * bw, y - bh, Math.max(1, bw - 0.5), bh);
          y -= bh;
        }
      }
    }
    this.drawTicks(g);
    this.drawAxis(g, plot, height);
    this.drawWindow(g, plot, height);
  }

  drawTicks(g) {
    [["control", "#222"], ["zones", "#7a7a7a"]].forEach(([kind, color]) => {
      g.strokeStyle = color;
      g.lineWidth = 1;
      (this.ticks[kind] || []).forEach((iso) => {
        const x = Math.round(this.xOf(dayOf(iso))) + 0.5;
        if (x < 0 || x > this.width) return;
        g.beginPath();
        g.moveTo(x, kind === "control" ? 0 : 4);
        g.lineTo(x, kind === "control" ? 6 : 10);
        g.stroke();
      });
    });
  }

  drawAxis(g, plot, height) {
    g.fillStyle = "#444";
    g.font = "10px sans-serif";
    g.strokeStyle = "#bbb";
    let lastX = -1e9;
    axisDays(Math.floor(this.view[0]), Math.ceil(this.view[1])).forEach(([day, label]) => {
      const x = Math.round(this.xOf(day)) + 0.5;
      g.beginPath();
      g.moveTo(x, plot);
      g.lineTo(x, plot + 4);
      g.stroke();
      if (x - lastX > g.measureText(label).width + 8 && x + 2 < this.width - 20) {
        g.fillText(label, x + 2, height - 2);
        lastX = x;
      }
    });
    g.beginPath();
    g.moveTo(0, plot + 0.5);
    g.lineTo(this.width, plot + 0.5);
    g.stroke();
  }

  drawWindow(g, plot, height) {
    const xa = this.xOf(this.win[0]), xb = this.xOf(this.win[1] + 1);
    g.fillStyle = "rgba(255,255,255,0.72)";  // outside the window: faded
    g.fillRect(0, 0, Math.max(0, xa), plot);
    g.fillRect(xb, 0, Math.max(0, this.width - xb), plot);
    g.strokeStyle = "#111";
    g.lineWidth = 2;
    g.strokeRect(xa, 1, Math.max(2, xb - xa), plot - 2);
    g.fillStyle = "#111";
    [xa, xb].forEach((x) => g.fillRect(x - 3, plot / 2 - 8, 6, 16));  // the grips
    const label = "as of " + isoOf(this.win[1]);
    g.font = "bold 11px sans-serif";
    const w = g.measureText(label).width;
    const lx = clamp(xb - w - 4, 2, this.width - w - 4);
    g.fillStyle = "rgba(255,255,255,0.9)";
    g.fillRect(lx - 2, 1, w + 6, 14);
    g.fillStyle = "#111";
    g.fillText(label, lx + 1, 12);
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let tl = parentElement.__kmapTimeline;
  if (!tl || !tl.box.isConnected) {
    tl = new Timeline(parentElement);
    parentElement.__kmapTimeline = tl;
  }
  tl.update(data, setStateValue);
  requestAnimationFrame(() => tl.draw());  // the strip has its width once laid out
  return () => { tl.playing = false; };
}
