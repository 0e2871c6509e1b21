// The kernel-free twin of an explorer: it looks up runs that Python computed when the
// notebook ran, and draws them. It computes nothing about optimization. Data: see twin.py.
(function () {
  "use strict";
  const root = document.getElementById("__ID__");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const SVG = "http://www.w3.org/2000/svg";

  async function inflate(part) {
    const text = root.querySelector(`script[data-part="${part}"]`).textContent.trim();
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function load() {
    const meta = JSON.parse(new TextDecoder().decode(await inflate("meta")));
    const planes = await inflate("runs");
    meta.blob = { low: planes.subarray(0, planes.length / 2), high: planes.subarray(planes.length / 2) };
    return meta;
  }

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function sequence(blob, [offset, length]) {  // undo the delta encoding of one sequence
    const out = new Uint16Array(length);
    let value = 0;
    for (let i = 0; i < length; i++) {
      value = (value + (blob.low[offset + i] | (blob.high[offset + i] << 8))) & 0xffff;
      out[i] = value;
    }
    return out;
  }

  load().then((d) => {
    const state = {};
    for (const c of d.controls) {
      state[c.name] = c.start;
      const input = root.querySelector(`[data-control="${c.name}"]`);
      if (!input) continue;  // a control with one value is shown as fixed text
      const show = root.querySelector(`[data-shows="${c.name}"]`);
      const read = () => {
        state[c.name] = c.kind === "toggle" ? (input.checked ? 1 : 0) : Number(input.value);
        if (c.name === "problem") offerStarts();
        if (show) {
          show.textContent = c.labels[state[c.name]];
          input.setAttribute("aria-valuetext", c.labels[state[c.name]]);
        }
        draw();
      };
      input.addEventListener("input", read);
      input.addEventListener("change", read);
    }
    function offerStarts() {  // each problem has its own start points
      const labels = d.startLabels[state.problem];
      state.start = Math.min(state.start, labels.length - 1);
      const fixed = root.querySelector('[data-shows="start"]');
      if (fixed) fixed.textContent = labels[state.start];
      const select = root.querySelector('[data-control="start"]');
      if (!select) return;
      select.replaceChildren(...labels.map((text, k) => {
        const option = document.createElement("option");
        option.value = String(k);
        option.textContent = text;
        option.selected = k === state.start;
        return option;
      }));
    }
    offerStarts();
    const svg = root.querySelector("svg.twin-figure");
    const image = el("image", { x: 0, y: 0, width: d.pathWidth, height: d.height }, svg);
    const readout = root.querySelector(".twin-readout");
    // Every line is drawn twice, black and wider first, as the matplotlib figures outline theirs.
    const line = (color, cls) => [
      el("polyline", { fill: "none", stroke: "black", "stroke-width": 3, class: cls }, svg),
      el("polyline", { fill: "none", stroke: color, "stroke-width": 1.6, class: cls }, svg),
    ];
    const layers = d.runs.map((r) => ({
      path: line(r.color, "twin-path"),
      exit: [el("path", { stroke: "black", "stroke-width": 4.5, d: "" }, svg),
             el("path", { stroke: r.color, "stroke-width": 2.5, d: "" }, svg)],
      start: [el("circle", { r: 5, fill: "none", stroke: "black", "stroke-width": 3 }, svg),
              el("circle", { r: 5, fill: "none", stroke: r.color, "stroke-width": 1.5 }, svg)],
      loss: line(r.color, "twin-loss"),
      up: [el("path", { stroke: "black", "stroke-width": 4, fill: "none", d: "" }, svg),
           el("path", { stroke: r.color, "stroke-width": 2, fill: "none", d: "" }, svg)],
    }));
    const set = (pair, name, value) => pair.forEach((node) => node.setAttribute(name, value));
    const lossAxes = el("g", {}, svg);
    svg.insertBefore(lossAxes, image.nextSibling);

    function index(keys, sizes) {  // mixed-radix position of the current values
      let k = 0;
      keys.forEach((name, j) => { k = k * sizes[j] + state[name]; });
      return k;
    }

    function drawLossAxes(p, nSteps, box) {
      lossAxes.replaceChildren();
      const [x0, y0, w, h] = box;
      el("rect", { x: x0, y: y0, width: w, height: h, fill: "white", stroke: "#333" }, lossAxes);
      for (const [fraction, label] of p.loss.ticks) {
        const y = y0 + h * (1 - fraction);
        el("line", { x1: x0, x2: x0 + w, y1: y, y2: y, stroke: "#ddd" }, lossAxes);
        const t = el("text", { x: x0 - 4, y: y + 4, "text-anchor": "end", "font-size": 11 }, lossAxes);
        t.textContent = label;
      }
      const step = nSteps <= 12 ? 2 : nSteps <= 40 ? 10 : nSteps <= 120 ? 20 : nSteps <= 250 ? 50 : 100;
      for (let s = 0; s <= nSteps; s += step) {
        const x = x0 + w * s / Math.max(nSteps, 1);
        const t = el("text", { x: x, y: y0 + h + 15, "text-anchor": "middle", "font-size": 11 }, lossAxes);
        t.textContent = String(s);
      }
      const xl = el("text", { x: x0 + w / 2, y: y0 + h + 32, "text-anchor": "middle", "font-size": 12 }, lossAxes);
      xl.textContent = "step t";
      const yl = el("text", { x: 0, y: 0, "text-anchor": "middle", "font-size": 12,
        transform: `translate(${x0 - 44},${y0 + h / 2}) rotate(-90)` }, lossAxes);
      yl.textContent = p.loss.label;
    }

    function draw() {
      const began = performance.now();
      const p = d.problems[state.problem];
      const nSteps = d.steps[state.n_iter];
      const nIndex = state.n_iter;
      image.setAttribute("href", p.background);
      drawLossAxes(p, nSteps, d.lossBox);
      const texts = [];
      const settings = [];
      const [ax, ay, aw, ah] = p.pathBox;
      const [lx, ly, lw, lh] = d.lossBox;
      d.runs.forEach((r, i) => {
        const L = layers[i];
        const shown = r.toggle === null || state[r.toggle] === 1;
        for (const pair of Object.values(L)) pair.forEach((node) => { node.style.display = shown ? "" : "none"; });
        const key = root.querySelector(`.twin-key[data-run="${i}"]`);
        if (key) key.style.display = shown ? "" : "none";
        if (!shown) return;
        const run = r.table[state.problem][index(r.keys, r.sizes[state.problem])];
        const u = sequence(d.blob, run.u);
        const v = sequence(d.blob, run.v);
        const last = Math.min(nSteps, run.n);  // the last good step shown
        const pathEnd = run.left !== null && run.left <= last ? run.left + 1 : last + 1;
        const points = [];
        for (let k = 0; k < pathEnd; k++) {
          points.push((ax + aw * u[k] / d.levels.path).toFixed(1) + "," + (ay + ah * (1 - v[k] / d.levels.path)).toFixed(1));
        }
        set(L.path, "points", points.join(" "));
        const [sx, sy] = points[0].split(",");
        set(L.start, "cx", sx);
        set(L.start, "cy", sy);
        if (run.left !== null && run.left <= last) {
          const [ex, ey] = points[points.length - 1].split(",").map(Number);
          set(L.exit, "d", `M${ex - 5},${ey - 5}L${ex + 5},${ey + 5}M${ex - 5},${ey + 5}L${ex + 5},${ey - 5}`);
        } else {
          set(L.exit, "d", "");
        }
        const loss = sequence(d.blob, run.loss);
        const lossPoints = [];
        const lossEnd = run.off !== null && run.off <= last ? run.off : last;  // off the top: stop there
        for (let k = 0; k <= lossEnd; k++) {
          lossPoints.push((lx + lw * k / Math.max(nSteps, 1)).toFixed(1) + "," + (ly + lh * (1 - loss[k] / d.levels.loss)).toFixed(1));
        }
        set(L.loss, "points", lossPoints.join(" "));
        if (lossEnd < last) {  // an arrow where the curve leaves the top of the panel
          const [tx, ty] = lossPoints[lossPoints.length - 1].split(",").map(Number);
          set(L.up, "d", `M${tx - 5},${ty + 8}L${tx},${ty}L${tx + 5},${ty + 8}`);
        } else {
          set(L.up, "d", "");
        }
        texts.push([r.label, run.text[nIndex], run.diverged[nIndex]]);
        const values = r.settingKeys.map((name) => r.settingText[name][name.startsWith("fixed ") ? 0 : state[name]]);
        settings.push(`${r.label} (${values.join(", ")}) in ${r.colorName}`);
      });
      // A control that acts only on hidden optimizers is disabled, not left moving nothing.
      const used = new Set();
      d.runs.forEach((r) => {
        if (r.toggle === null || state[r.toggle] === 1) r.keys.forEach((k) => used.add(k));
      });
      d.runs.forEach((r) => r.keys.forEach((k) => {
        const input = root.querySelector(`[data-control="${k}"]`);
        if (input) input.disabled = !used.has(k);
      }));
      let words;
      if (texts.length === 1) {
        const [, t, bad] = texts[0];
        words = bad ? `The run ${t} Try a smaller alpha.` : t.charAt(0).toUpperCase() + t.slice(1);
      } else {
        words = texts.map(([label, t]) => `${label} ${t}`).join(" ");
      }
      readout.textContent = words;
      const start = d.startLabels[state.problem][state.start];
      svg.setAttribute("aria-label", `Left: contour plot of the ${p.title} function with the path of ` +
        `${settings.join("; ")}, from ${start}. Right: the objective at each step on a ${p.loss.scale === "log" ? "log" : "symmetric log"} scale. ${words}`);
      root.dataset.drawMs = (performance.now() - began).toFixed(2);
      root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
    }
    draw();
  }).catch((error) => {
    root.querySelector(".twin-readout").textContent = "This explorer could not load its data: " + error;
  });
})();
