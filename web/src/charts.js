// Hand-written SVG charts: the options scatter and the UNESCAP time/cost-
// distance chart. No chart library: a few dozen points need none.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function size(svg) {
  const r = svg.getBoundingClientRect();
  return { w: Math.max(r.width, 200), h: Math.max(r.height, 120) };
}

// Round numbers for axis ticks: 1, 2, 5 × 10^k.
function ticks(max, count = 4) {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max * 1.0001; v += step) out.push(v);
  return out;
}

export function formatNumber(v, digits = 0) {
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function frame(svg, xMax, yMax, xLabel, yLabel, yFormat) {
  svg.replaceChildren();
  const { w, h } = size(svg);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const m = { l: 54, r: 12, t: 18, b: 30 };
  const x = (v) => m.l + (v / (xMax || 1)) * (w - m.l - m.r);
  const y = (v) => h - m.b - (v / (yMax || 1)) * (h - m.t - m.b);
  for (const t of ticks(yMax)) {
    el('line', { x1: m.l, x2: w - m.r, y1: y(t), y2: y(t), stroke: '#eceff3' }, svg);
    el('text', { x: m.l - 4, y: y(t) + 4, 'text-anchor': 'end' }, svg).textContent = yFormat(t);
  }
  for (const t of ticks(xMax, 5)) {
    el('text', { x: x(t), y: h - m.b + 14, 'text-anchor': 'middle' }, svg).textContent = formatNumber(t);
  }
  el('line', { x1: m.l, x2: w - m.r, y1: h - m.b, y2: h - m.b, stroke: '#9aa4b2' }, svg);
  el('line', { x1: m.l, x2: m.l, y1: m.t, y2: h - m.b, stroke: '#9aa4b2' }, svg);
  el('text', { x: w - m.r, y: h - 4, 'text-anchor': 'end' }, svg).textContent = xLabel;
  el('text', { x: m.l, y: 12, 'text-anchor': 'start' }, svg).textContent = yLabel;
  return { x, y, w, h, m };
}

// Options as points, time (x) against cost (y). `points`: [{hours, cost, label,
// color, selected, group}], `onSelect(point)` on click or Enter.
export function scatter(svg, points, onSelect) {
  const xMax = Math.max(...points.map((p) => p.hours / 24), 1) * 1.1;
  const yMax = Math.max(...points.map((p) => p.cost), 1) * 1.15;
  const f = frame(svg, xMax, yMax, 'days', 'USD', (v) => (v >= 1000 ? `${formatNumber(v / 1000)}k` : formatNumber(v)));
  for (const p of points) {
    const c = el('circle', {
      cx: f.x(p.hours / 24), cy: f.y(p.cost), r: p.selected ? 7 : 5.5, fill: p.color,
      class: p.selected ? 'selected' : '', 'data-option': p.label, 'data-group': p.group,
      'fill-opacity': p.group === 'base' && p.dim ? 0.35 : 0.9,
    }, svg);
    el('title', {}, c).textContent = `${p.group === 'base' && p.dim ? 'base ' : ''}option ${p.label}: ${formatNumber(p.hours / 24, 1)} days, ${formatNumber(p.cost)} USD`;
    c.addEventListener('click', () => onSelect(p));
    if (p.group !== 'base' || !p.dim) {
      el('text', { x: f.x(p.hours / 24) + 8, y: f.y(p.cost) - 6 }, svg).textContent = p.label;
    }
  }
}

// The cumulative time or cost of an itinerary against cumulative distance
// (UNESCAP time/cost-distance method): moving legs slope, and waits, borders,
// gauge changes and transfers are vertical steps at the distance they happen.
export function distanceSeries(itinerary, value) {
  const pts = [[0, 0]];
  const steps = [];
  let km = 0;
  let v = 0;
  for (const leg of itinerary.legs) {
    km += leg.km;
    v += value(leg);
    pts.push([km, v]);
    if (leg.kind === 'border' || leg.kind === 'gauge_change') steps.push({ km, kind: leg.kind, label: leg.crossing || leg.kind });
  }
  return { pts, steps, km, v };
}

// `series`: [{name, itinerary, color, dash}]; `value(leg)`: the leg's share.
export function distanceChart(svg, series, value, yLabel, yFormat) {
  const data = series.map((s) => ({ ...s, ...distanceSeries(s.itinerary, value) }));
  const xMax = Math.max(...data.map((d) => d.km), 1) * 1.03;
  const yMax = Math.max(...data.map((d) => d.v), 1) * 1.1;
  const f = frame(svg, xMax, yMax, 'km', yLabel, yFormat);
  const first = data[0];
  if (first) {
    for (const s of first.steps) {
      el('line', { x1: f.x(s.km), x2: f.x(s.km), y1: f.m.t, y2: f.h - f.m.b, stroke: s.kind === 'border' ? '#1d2430' : '#d35400', 'stroke-dasharray': '2 3', 'stroke-opacity': 0.5 }, svg);
    }
  }
  data.forEach((d, i) => {
    el('polyline', {
      points: d.pts.map(([a, b]) => `${f.x(a)},${f.y(b)}`).join(' '),
      fill: 'none', stroke: d.color, 'stroke-width': 2.2, 'stroke-dasharray': d.dash || '',
      'data-series': d.name,
    }, svg);
    el('text', { x: f.w - f.m.r - 4, y: f.m.t + 12 + i * 13, 'text-anchor': 'end', fill: d.color }, svg).textContent = d.name;
  });
}
