// The kernel-free twin of a figure explorer: it shows, for the chosen control values, the
// picture (and readout) Python drew for them when the notebook ran. Data: see twin.py.
(function () {
  "use strict";
  const root = document.getElementById("__ID__");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const d = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  const image = root.querySelector("img.twin-image");
  const readout = root.querySelector(".twin-readout");
  const state = {};
  function draw() {
    const began = performance.now();
    let k = 0;
    d.controls.forEach((c) => { k = k * c.labels.length + state[c.name]; });
    const view = d.views[k];
    image.src = view.src;
    image.alt = view.alt;
    readout.textContent = view.readout;
    root.dataset.drawMs = (performance.now() - began).toFixed(2);
    root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
  }
  for (const c of d.controls) {
    state[c.name] = c.start;
    const input = root.querySelector(`[data-control="${c.name}"]`);
    if (!input) continue;
    const show = root.querySelector(`[data-shows="${c.name}"]`);
    const read = () => {
      state[c.name] = c.kind === "toggle" ? (input.checked ? 1 : 0) : Number(input.value);
      if (show) {
        show.textContent = c.labels[state[c.name]];
        input.setAttribute("aria-valuetext", c.labels[state[c.name]]);
      }
      draw();
    };
    input.addEventListener("input", read);
    input.addEventListener("change", read);
  }
  draw();
})();
