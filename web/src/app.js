// The caravan web map. Talks only to the server that served it (/v1/…);
// the libraries (Leaflet, topojson-client) and the basemap (Natural Earth via
// world-atlas) are files of the build, so it works with no internet.
import { distanceChart, formatNumber, scatter } from './charts.js';
import { fileName, itineraryCsv, itineraryGeoJson, optionsCsv, optionsGeoJson } from './export.js';
import { FIELDS, fromParams, moreSet, pageParams, routeParams } from './query.js';
import { quoteHtml } from './quote.js';
import { localTime, offsetMinutes, offsetText, splitIso, zonedIso } from './time.js';

const MODE_COLORS = { rail: '#c0392b', road: '#e67e22', ferry: '#2471a3', sea: '#1abc9c', air: '#8e44ad' };
const OPTION_COLORS = ['#0b5cad', '#c0392b', '#1e8449', '#8e44ad', '#d35400', '#117a65', '#7d6608', '#6c3483', '#2e4053', '#a04000'];
const BASE_COLOR = '#8a94a3';

const $ = (id) => document.getElementById(id);
const state = {
  places: new Map(),      // location id -> {name, lat, lon, country, kind, timezone, hub, aliases}
  sources: new Map(),     // source id -> {kind, title, publisher, url, published}
  scenarios: [],          // [{id, name, description, origin}]
  result: null,           // route answer shown (scenario answer when one is on)
  base: null,             // base answer when a scenario is on, else null
  selected: 0,
  query: null,            // the query (query.js) of the answer shown or being planned
  run: 0,                 // number of the latest run(); answers of older runs are dropped
  lanesKey: null,         // what the trade-lane matrix on screen was computed for
  restoreOption: null,    // the option to select when the query restored from the URL is answered
};

// ---- API ------------------------------------------------------------------

async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    return { ok: false, status: 0, error: { code: 'network', message: `cannot reach the server (${e.message})`, field: null } };
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = body?.error ?? { code: 'http', message: `the server answered ${res.status}`, field: null };
    return { ok: false, status: res.status, error };
  }
  return { ok: true, status: res.status, body };
}

// ---- messages -------------------------------------------------------------

function say(text, kind = 'info') {
  const m = $('message');
  m.textContent = text;
  m.className = kind;
}

// Marks `field` invalid (none: null) and shows `message` beside it. The
// inputs are named as the request's fields, so a server error's field is an id.
function markInvalid(field, message = '') {
  for (const f of FIELDS) {
    $(f.id).setAttribute('aria-invalid', String(f.id === field));
    $(`${f.id}-error`)?.remove();
    if (f.id !== field) $(f.id).removeAttribute('aria-describedby');
  }
  if (!field || !$(field)) return;
  if (FIELDS.some((f) => f.more && f.id === field)) $('more').open = true;
  if (!message) return;
  const p = document.createElement('p');
  p.id = `${field}-error`;
  p.className = 'field-error';
  p.textContent = message;
  ($(field).closest('.field') ?? $(field)).append(p);
  $(field).setAttribute('aria-describedby', p.id);
}

// ---- cargo: containers or general cargo by weight -------------------------

const cargoKind = () => ($('kind-kg').checked ? 'kg' : 'boxes');

// Shows the fields of the chosen kind. Each kind keeps its own count (boxes
// or kilograms), so switching back and forth loses nothing; `swap: false`
// when the form was just written from a query.
function showCargoKind({ swap = true } = {}) {
  const kind = cargoKind();
  const units = $('units');
  if (swap && units.dataset.kind && units.dataset.kind !== kind) {
    units.dataset[units.dataset.kind] = units.value;
    units.value = units.dataset[kind] ?? (kind === 'kg' ? '1000' : '1');
  }
  units.dataset.kind = kind;
  $('units-label').textContent = kind === 'kg' ? 'Weight kg' : 'Boxes';
  for (const el of document.querySelectorAll('#cargo [data-for]')) el.hidden = el.dataset.for !== kind;
  $('value_of_time-label').textContent = `Value of time, USD/${kind === 'kg' ? 't' : 'box'}-h`;
}

// ---- autocomplete ---------------------------------------------------------

function combobox(input) {
  const list = $(`${input.id}-list`);
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }
  };
  const pick = (i) => {
    const p = items[i];
    if (!p) return;
    input.value = p.name;
    input.dataset.id = p.id;
    input.setAttribute('aria-invalid', 'false');
    close();
  };
  const show = (places) => {
    items = places;
    list.replaceChildren();
    places.forEach((p, i) => {
      const li = document.createElement('li');
      li.id = `${input.id}-opt-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.id = p.id;
      const alias = p.aliases.find((a) => a.toLowerCase().includes(input.value.trim().toLowerCase()));
      li.innerHTML = '';
      li.append(p.name, ' ');
      const small = document.createElement('span');
      small.className = 'id';
      small.textContent = `${p.id} · ${p.country}${alias && alias !== p.name ? ` · ${alias}` : ''}`;
      li.append(small);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        pick(i);
      });
      list.append(li);
    });
    list.hidden = places.length === 0;
    input.setAttribute('aria-expanded', String(places.length > 0));
    highlight(places.length ? 0 : -1);
  };

  input.addEventListener('input', () => {
    delete input.dataset.id;
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return close();
    timer = setTimeout(async () => {
      const mine = ++seq;
      const r = await api(`/v1/places?q=${encodeURIComponent(q)}&limit=8`);
      if (mine !== seq || document.activeElement !== input) return;
      if (r.ok) show(r.body.places);
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      if (active >= 0) {
        if (e.key === 'Enter') e.preventDefault();
        pick(active);
      }
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

// ---- map ------------------------------------------------------------------

const map = L.map('map', { zoomSnap: 0.25, worldCopyJump: false, attributionControl: true }).setView([42, 68], 4);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution('Basemap: Natural Earth (world-atlas) · Leaflet');
const networkLayer = L.layerGroup();
const routeLayer = L.featureGroup().addTo(map);

async function loadBasemap() {
  const res = await fetch('vendor/countries-50m.json');
  const topo = await res.json();
  const countries = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(countries, {
    style: { color: '#b8b2a3', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  routeLayer.bringToFront();
}

// The main places (the dataset's hubs) are always named on the map.
const labelLayer = L.layerGroup().addTo(map);
function drawLabels() {
  labelLayer.clearLayers();
  for (const p of state.places.values()) {
    if (!p.hub) continue;
    L.circleMarker([p.lat, p.lon], { radius: 3.5, color: '#1d2430', weight: 1, fillColor: '#1d2430', fillOpacity: 1, interactive: false })
      .bindTooltip(p.name, { permanent: true, direction: 'right', offset: [4, 0], className: 'place-label', interactive: false })
      .addTo(labelLayer);
  }
}

function latlng(id) {
  const p = state.places.get(id);
  return p ? [p.lat, p.lon] : null;
}

function placeName(id) {
  return state.places.get(id)?.name ?? id;
}

async function loadNetwork() {
  const r = await api('/v1/network');
  if (!r.ok) {
    say(`network: ${r.error.message}`, 'error');
    return;
  }
  for (const f of r.body.features) {
    const p = f.properties;
    if (p.feature_type === 'location') {
      const [lon, lat] = f.geometry.coordinates;
      state.places.set(p.id, {
        name: p.name, lat, lon, country: p.country, kind: p.kind, timezone: p.timezone, hub: p.hub === true, aliases: p.aliases ?? [],
      });
    }
  }
  for (const s of r.body.sources ?? []) state.sources.set(s.id, s);
  drawLabels();
  for (const f of r.body.features) {
    const p = f.properties;
    const coords = f.geometry.type === 'LineString' ? f.geometry.coordinates.map(([lon, lat]) => [lat, lon]) : null;
    if (p.feature_type === 'link') {
      L.polyline(coords, {
        color: MODE_COLORS[p.mode] ?? '#555', weight: p.mode === 'air' || p.mode === 'sea' ? 1 : 2,
        opacity: p.status === 'open' ? 0.55 : 0.3, dashArray: p.status === 'open' ? null : '4 4',
      }).bindTooltip(`${p.id}: ${p.mode}, ${formatNumber(p.km)} km${p.status !== 'open' ? ` (${p.status})` : ''}`)
        .addTo(networkLayer);
    } else if (p.feature_type === 'location') {
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], { radius: 3, color: '#1d2430', weight: 1, fillColor: '#fff', fillOpacity: 1 })
        .bindTooltip(`${p.name} (${p.id}, ${p.country})`).addTo(networkLayer);
    }
  }
  $('legend').innerHTML = Object.entries(MODE_COLORS)
    .map(([m, c]) => `<span><i style="background:${c}"></i>${m}</span>`).join('') +
    '<span><b class="marker-icon marker-border" style="width:14px;height:14px;display:inline-flex">B</b>border</span>' +
    '<span><b class="marker-icon marker-gauge" style="width:14px;height:14px;display:inline-flex">G</b>gauge change</span>' +
    '<span><b class="marker-icon marker-wait" style="width:14px;height:14px;display:inline-flex">W</b>wait</span>';
}

// `2026-03-02T02:09:26Z` -> `2026-03-02 02:09 UTC`.
function utc(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function legPopup(leg) {
  const rows = [
    ['', `<b>${leg.kind.replace('_', ' ')}</b>${leg.from !== leg.to ? ` ${placeName(leg.from)} → ${placeName(leg.to)}` : ` at ${placeName(leg.from)}`}`],
    ['depart', localTime(leg.depart, state.places.get(leg.from)?.timezone)],
    ['arrive', localTime(leg.arrive, state.places.get(leg.to)?.timezone)],
    ['UTC', `${utc(leg.depart).slice(0, 16)} → ${utc(leg.arrive)}`],
    ['time', `${formatNumber(leg.hours, 1)} h`],
  ];
  if (leg.km > 0) rows.push(['distance', `${formatNumber(leg.km)} km`]);
  if (leg.cost.amount > 0) rows.push(['cost', `${formatNumber(leg.cost.amount, 2)} ${leg.cost.currency} (${formatNumber(leg.cost_usd, 2)} USD)`]);
  if (leg.co2_kg > 0) rows.push(['CO2', `${formatNumber(leg.co2_kg)} kg`]);
  if (leg.service) rows.push(['service', leg.service]);
  if (leg.link) rows.push(['link', leg.link]);
  if (leg.crossing) rows.push(['crossing', leg.crossing]);
  if (leg.note) rows.push(['note', leg.note]);
  const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]));
  return `<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${k === '' ? v : esc(v)}</td></tr>`).join('')}</table>`;
}

function markerIcon(kind, letter) {
  return L.divIcon({ className: '', html: `<div class="marker-icon marker-${kind}" style="width:18px;height:18px">${letter}</div>`, iconSize: [18, 18] });
}

function drawRoute(it) {
  routeLayer.clearLayers();
  if (!it) return;
  for (const leg of it.legs) {
    const a = latlng(leg.from);
    const b = latlng(leg.to);
    if (!a || !b) continue;
    const popup = legPopup(leg);
    if (MODE_COLORS[leg.kind] && leg.from !== leg.to) {
      L.polyline([a, b], { color: MODE_COLORS[leg.kind], weight: 5, opacity: 0.9, className: `route-leg leg-${leg.kind}` })
        .bindPopup(popup).addTo(routeLayer);
    } else if (leg.kind === 'border') {
      // At the entry side: for a land border the two sides are a few km
      // apart; for customs at an airport or port, the far end of the flight.
      L.marker(b, { icon: markerIcon('border', 'B'), title: `border ${leg.crossing ?? ''}`, keyboard: true })
        .bindPopup(popup).addTo(routeLayer);
    } else if (leg.kind === 'gauge_change') {
      L.marker(a, { icon: markerIcon('gauge', 'G'), title: 'gauge change', keyboard: true }).bindPopup(popup).addTo(routeLayer);
    } else if (leg.kind === 'wait' && leg.hours >= 1) {
      L.marker(a, { icon: markerIcon('wait', 'W'), title: `wait ${formatNumber(leg.hours, 1)} h`, keyboard: true })
        .bindPopup(popup).addTo(routeLayer);
    }
  }
  const bounds = routeLayer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 });
}

// ---- options, chart, legs -------------------------------------------------

function duration(hours) {
  const d = Math.floor(hours / 24);
  const h = Math.round(hours - d * 24);
  return d > 0 ? `${d}d ${String(h).padStart(2, '0')}h` : `${h}h`;
}

function onTime(it, result) {
  const p = it.reliability?.on_time_probability;
  if (p !== undefined && p !== null) {
    const star = it.most_reliable ? ' <span title="most likely to arrive by the deadline">★</span>' : '';
    return `${Math.round(p * 100)}%${star}`;
  }
  const deadline = result.query.deadline;
  if (!deadline) return '—';
  return it.arrive <= deadline ? '✓ yes' : '✗ no';
}

// The modes an option moves by, in the order it first uses them.
function modesOf(it) {
  return [...new Set(it.legs.filter((l) => MODE_COLORS[l.kind]).map((l) => l.kind))];
}

// The moving legs of an option, as a key: the same key in the base and the
// scenario means the same route, so their difference is what the scenario did.
function pathKey(it) {
  return it.legs.filter((l) => MODE_COLORS[l.kind]).map((l) => l.service || l.link || `${l.from}>${l.to}`).join(' ');
}

// The base option that takes the same route, if any.
function baseMatch(it) {
  if (!state.base || !it) return undefined;
  const k = pathKey(it);
  return state.base.itineraries.find((b) => pathKey(b) === k);
}

function delta(v, base, digits, unit) {
  if (base === undefined) return '<span class="delta" title="no option of the base takes this route">new</span>';
  const d = v - base;
  if (Math.abs(d) < 10 ** -digits / 2) return '<span class="delta">±0</span>';
  const cls = d < 0 ? 'better' : 'worse';
  return `<span class="delta ${cls}">${d > 0 ? '+' : '−'}${formatNumber(Math.abs(d), digits)}${unit}</span>`;
}

function renderOptions() {
  const r = state.result;
  const tbody = $('options-table').querySelector('tbody');
  tbody.replaceChildren();
  if (!r) return;
  const anyReliability = r.itineraries.some((it) => it.reliability);
  $('ontime-head').textContent = anyReliability ? 'on time' : r.query.deadline ? 'by deadline' : 'on time';
  r.itineraries.forEach((it, i) => {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    tr.dataset.option = String(i + 1);
    tr.setAttribute('aria-selected', String(i === state.selected));
    const bi = baseMatch(it);
    tr.innerHTML =
      `<td><span style="color:${OPTION_COLORS[i % OPTION_COLORS.length]}">●</span> ${i + 1}</td>` +
      `<td>${duration(it.hours)}${state.base ? delta(it.hours / 24, bi === undefined ? undefined : bi.hours / 24, 1, ' d') : ''}</td>` +
      `<td>${formatNumber(it.cost_usd)}${state.base && bi ? delta(it.cost_usd, bi.cost_usd, 0, '') : ''}</td>` +
      `<td>${formatNumber(it.co2_kg / 1000, 1)}</td>` +
      `<td class="modes" title="${modesOf(it).join(', ')}">` +
      `${modesOf(it).map((m) => `<i style="background:${MODE_COLORS[m]}"></i><span class="sr">${m} </span>`).join('')}</td>` +
      `<td title="${it.border_crossings.join(', ')}">${it.border_crossings.length}</td>` +
      `<td>${onTime(it, r)}</td>`;
    tr.addEventListener('click', () => select(i));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        select(i);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = tr[e.key === 'ArrowDown' ? 'nextElementSibling' : 'previousElementSibling'];
        if (next) next.focus();
      }
    });
    tbody.append(tr);
  });
  $('options-note').textContent = `${r.itineraries.length} Pareto option${r.itineraries.length === 1 ? '' : 's'}, fastest first` +
    (state.base ? `; Δ against the same route in the base network (base: ${state.base.itineraries.length} options)` : '');
}

function renderScatter() {
  const r = state.result;
  if (!r) return $('scatter').replaceChildren();
  const points = r.itineraries.map((it, i) => ({
    hours: it.hours, cost: it.cost_usd, label: String(i + 1), group: 'result',
    color: OPTION_COLORS[i % OPTION_COLORS.length], selected: i === state.selected, index: i,
  }));
  if (state.base) {
    state.base.itineraries.forEach((it, i) => points.unshift({
      hours: it.hours, cost: it.cost_usd, label: `b${i + 1}`, group: 'base', dim: true, color: BASE_COLOR, selected: false, index: i,
    }));
  }
  scatter($('scatter'), points, (p) => {
    if (p.group === 'result') select(p.index);
  });
}

function renderChart() {
  const r = state.result;
  const it = r?.itineraries[state.selected];
  if (!it) {
    $('chart-time').replaceChildren();
    $('chart-cost').replaceChildren();
    return;
  }
  const color = OPTION_COLORS[state.selected % OPTION_COLORS.length];
  const series = [{ name: state.base ? `option ${state.selected + 1} (scenario)` : `option ${state.selected + 1}`, itinerary: it, color }];
  const bi = baseMatch(it);
  if (bi) series.push({ name: `base option ${state.base.itineraries.indexOf(bi) + 1} (same route)`, itinerary: bi, color: BASE_COLOR, dash: '6 4' });
  distanceChart($('chart-time'), series, (leg) => leg.hours / 24, 'days', (v) => formatNumber(v, v < 10 ? 1 : 0));
  distanceChart($('chart-cost'), series, (leg) => leg.cost_usd, 'USD',
    (v) => (v >= 1000 ? `${formatNumber(v / 1000, v < 10000 ? 1 : 0)}k` : formatNumber(v)));
}

function renderLegs() {
  const ol = $('legs');
  ol.replaceChildren();
  const it = state.result?.itineraries[state.selected];
  if (!it) return;
  for (const leg of it.legs) {
    const li = document.createElement('li');
    const where = leg.from !== leg.to ? `${placeName(leg.from)} → ${placeName(leg.to)}` : placeName(leg.from);
    li.textContent = `${leg.kind.replace('_', ' ')}: ${where}, ${formatNumber(leg.hours, 1)} h` +
      (leg.km > 0 ? `, ${formatNumber(leg.km)} km` : '') + (leg.cost_usd > 0 ? `, ${formatNumber(leg.cost_usd)} USD` : '') +
      (leg.note ? ` (${leg.note})` : '');
    ol.append(li);
  }
}

function select(i, { remember = true } = {}) {
  state.selected = i;
  if (remember && state.query) {
    state.query.option = i + 1;
    history.replaceState(null, '', `?${pageParams(state.query)}`);
  }
  setExports(Boolean(state.result?.itineraries[i]));
  [...$('options-table').querySelectorAll('tbody tr')].forEach((tr, k) => tr.setAttribute('aria-selected', String(k === i)));
  renderScatter();
  drawRoute(state.result?.itineraries[i]);
  renderChart();
  renderLegs();
}

function clearResult() {
  state.result = null;
  state.base = null;
  state.selected = 0;
  setExports(false);
  renderOptions();
  renderScatter();
  drawRoute(null);
  renderChart();
  renderLegs();
  $('options-note').textContent = '';
}

// ---- scenarios ------------------------------------------------------------

function activeScenarios() {
  return [...document.querySelectorAll('#scenario-list input:checked')].map((c) => c.value);
}

async function loadScenarios() {
  const r = await api('/v1/scenarios');
  if (!r.ok) return;  // a server without scenarios: no toggles
  state.scenarios = r.body.scenarios;
  const list = $('scenario-list');
  list.replaceChildren();
  for (const s of state.scenarios) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = s.id;
    box.addEventListener('change', () => {
      $('lanes-go').disabled = activeScenarios().length === 0;
      if (state.query) run();
    });
    label.append(box, ` ${s.name} `);
    const origin = document.createElement('span');
    origin.className = 'muted';
    origin.textContent = s.origin === 'saved' ? '(saved)' : '';
    label.append(origin);
    label.title = s.description ?? '';
    list.append(label);
  }
  $('scenarios').hidden = state.scenarios.length === 0;
}

// ---- trade lanes: a scenario's effect on every pair of hubs ---------------

async function runLanes() {
  const q = readForm();
  const scenarios = q.scenarios;
  if (scenarios.length === 0) return;
  const body = { scenarios, samples: 0, units: Number(q.units), unit: q.unit };
  for (const k of ['cargo_tonnes', 'volume_m3', 'value_of_time']) if (q[k]) body[k] = Number(q[k]);
  if (q.equipment !== 'coc') body.equipment = q.equipment;
  if (q.by !== 'pareto') body.by = q.by;  // a matrix has no pareto: the server's default
  if (q.depart) body.depart = q.depart;
  say(`comparing every pair of hubs with ${scenarios.join(', ')}…`);
  $('lanes-go').disabled = true;
  const r = await api('/v1/compare', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  $('lanes-go').disabled = activeScenarios().length === 0;
  if (!r.ok) {
    markInvalid(r.error.field, r.error.message);
    say(r.error.message, 'error');
    return;
  }
  renderLanes(r.body, scenarios);
  state.lanesKey = lanesKey(q);
  say(`trade lanes: ${r.body.pairs.length} pairs of hubs compared with ${scenarios.join(', ')}`);
}

function signed(v, digits) {
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatNumber(Math.abs(v), digits)}`;
}

function renderLanes(c, scenarios) {
  const places = [];
  for (const p of c.pairs) {
    for (const id of [p.from, p.to]) if (!places.includes(id)) places.push(id);
  }
  const byPair = new Map(c.pairs.map((p) => [`${p.from}|${p.to}`, p]));
  const maxAbs = Math.max(1, ...c.pairs.map((p) => Math.abs(p.delta_hours ?? 0)));
  const table = $('lanes-table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.textContent = 'from \\ to';
  head.append(corner);
  for (const id of places) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = id;
    th.title = placeName(id);
    head.append(th);
  }
  const body = table.createTBody();
  for (const from of places) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = placeName(from);
    row.append(th);
    for (const to of places) {
      const td = row.insertCell();
      const p = byPair.get(`${from}|${to}`);
      if (!p) {
        td.textContent = '·';
        td.className = 'self';
        continue;
      }
      const b = p.base, s = p.scenario;
      let title = `${placeName(from)} → ${placeName(to)}: `;
      if (b.reachable && s.reachable) {
        const d = p.delta_hours;
        td.textContent = d === 0 ? '0' : signed(d, 1);
        td.className = d < 0 ? 'lane better' : d > 0 ? 'lane worse' : 'lane';
        const alpha = (0.15 + 0.65 * Math.abs(d) / maxAbs).toFixed(2);
        if (d !== 0) td.style.background = d < 0 ? `rgba(30, 123, 52, ${alpha})` : `rgba(179, 38, 30, ${alpha})`;
        title += `${formatNumber(b.hours, 1)} h → ${formatNumber(s.hours, 1)} h, ` +
          `${signed(p.delta_cost_usd, 0)} USD, ${signed(p.delta_co2_kg, 0)} kg CO2`;
      } else if (s.reachable) {
        td.textContent = 'new';
        td.className = 'lane better';
        title += `newly connected: ${formatNumber(s.hours, 1)} h`;
      } else if (b.reachable) {
        td.textContent = 'cut';
        td.className = 'lane worse';
        title += 'cut off by the scenario';
      } else {
        td.textContent = '–';
        td.className = 'lane';
        title += 'no route in either';
      }
      td.title = title;
      td.tabIndex = 0;
      const plan = () => {
        for (const [field, id] of [['from', from], ['to', to]]) {
          $(field).value = placeName(id);
          $(field).dataset.id = id;
        }
        run();
      };
      td.addEventListener('click', plan);
      td.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') plan();
      });
    }
  }
  const m = c.means?.equal_weights;
  $('lanes-means').textContent = m
    ? `Mean change over ${formatNumber(m.weight)} pairs reachable in both: ${signed(m.delta_hours, 2)} h, ` +
      `${signed(m.delta_cost_usd, 0)} USD, ${signed(m.delta_co2_kg, 0)} kg CO2; ` +
      `${c.connected.length} pairs newly connected, ${c.disconnected.length} cut off.`
    : '';
  $('lanes-note').textContent = `(${scenarios.join(', ')} against the base, departing ${c.query.depart.slice(0, 10)})`;
  $('lanes').hidden = false;
  $('lanes').scrollIntoView({ block: 'nearest' });
}

// ---- query ----------------------------------------------------------------

// The place a field names, when the page knows it: the picked suggestion, or
// an id, name or alias typed in full.
function placeOf(field) {
  const input = $(field);
  if (input.dataset.id && state.places.has(input.dataset.id)) return input.dataset.id;
  const typed = input.value.trim().toLowerCase();
  if (!typed) return null;
  for (const [id, p] of state.places) {
    if (id === typed || p.name.toLowerCase() === typed || p.aliases.some((a) => a.toLowerCase() === typed)) return id;
  }
  return null;
}

const zoneOf = (field) => state.places.get(placeOf(field))?.timezone ?? null;

// The departure typed is the wall clock at the origin; the note under it says
// which instant that is.
function departIso() {
  if (!$('depart').value) return '';
  return zonedIso($('depart').value, $('depart_time').value || '00:00', zoneOf('from'));
}

function updateDepartNote() {
  const iso = departIso();
  const from = placeOf('from');
  if (!iso) {
    $('depart-note').textContent = '';
    return;
  }
  const utc = new Date(Date.parse(iso)).toISOString();
  $('depart-note').textContent = from
    ? `local time at ${placeName(from)} (UTC${offsetText(offsetMinutes(state.places.get(from).timezone, Date.parse(iso)))}) = ${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`
    : 'UTC until the origin is a known place';
}

// The form as a query (query.js). Dates and times become instants with the
// offset of the place they are at: departure at the origin, deadline at the
// end of that day at the destination.
function readForm() {
  const q = { scenarios: activeScenarios(), option: 1 };
  for (const f of FIELDS) {
    if (f.instant) continue;
    const input = $(f.id);
    if (f.kind === 'list') q[f.id] = input.value.split(',').map((x) => x.trim()).filter(Boolean);
    else if (f.kind === 'checks') q[f.id] = [...input.querySelectorAll('input:checked')].map((x) => x.value);
    else q[f.id] = input.value.trim();
  }
  for (const id of ['from', 'to']) q[id] = $(id).dataset.id || $(id).value.trim();
  // The cargo selector: the fields of the other kind are not asked.
  if (cargoKind() === 'kg') {
    Object.assign(q, { unit: 'KG', cargo_tonnes: '', equipment: 'coc' });
  } else {
    q.volume_m3 = '';
  }
  q.depart = departIso();
  q.deadline = $('deadline').value ? zonedIso($('deadline').value, '23:59', zoneOf('to')) : '';
  return q;
}

// The form showing `q`, as read back from a URL.
function writeForm(q) {
  for (const f of FIELDS) {
    if (f.instant) continue;
    const input = $(f.id);
    if (f.kind === 'list') input.value = q[f.id].join(', ');
    else if (f.kind === 'checks') input.querySelectorAll('input').forEach((x) => { x.checked = q[f.id].includes(x.value); });
    else input.value = q[f.id];
  }
  $(q.unit === 'KG' ? 'kind-kg' : 'kind-boxes').checked = true;
  if (q.unit === 'KG') $('unit').value = 'FEU';
  showCargoKind({ swap: false });
  for (const id of ['from', 'to']) {
    const known = state.places.get(q[id]);
    $(id).value = known ? known.name : q[id];
    if (known) $(id).dataset.id = q[id]; else delete $(id).dataset.id;
  }
  const depart = splitIso(q.depart);
  $('depart').value = depart ? depart.date : nextMonday();
  $('depart_time').value = depart ? depart.time : '08:00';
  $('deadline').value = splitIso(q.deadline)?.date ?? '';
  for (const box of document.querySelectorAll('#scenario-list input')) box.checked = q.scenarios.includes(box.value);
  $('lanes-go').disabled = activeScenarios().length === 0;
  const extras = moreSet(q);
  $('more').open = $('more').open || extras.length > 0;
  updateDepartNote();
}

// What a trade-lane matrix depends on; a query that changes it makes the
// matrix on screen stale.
const lanesKey = (q) => JSON.stringify([q.depart, q.units, q.unit, q.cargo_tonnes, q.volume_m3, q.equipment, q.by,
  q.value_of_time, q.scenarios]);

// Plans the form's query. `push`: a new entry in the browser's history (a new
// query), else the current entry is replaced (restoring one from the URL).
async function run({ push = true } = {}) {
  const q = readForm();
  for (const id of ['from', 'to']) {
    if (!q[id]) {
      markInvalid(id);
      say(`${id}: type a place (a name, alias or id)`, 'error');
      $(id).focus();
      return;
    }
  }
  if (q.mode.length === 0) {
    markInvalid('mode');
    say('modes: tick at least one', 'error');
    return;
  }
  const restoring = !push && state.restoreOption;
  q.option = restoring ? state.restoreOption : 1;
  state.restoreOption = null;
  state.query = q;
  const mine = ++state.run;
  // Nothing of the previous answer stays on screen while this one is planned.
  clearResult();
  if (state.lanesKey !== null && state.lanesKey !== lanesKey(q)) {
    $('lanes').hidden = true;
    state.lanesKey = null;
  }
  const url = `?${pageParams(q)}`;
  if (push && url !== location.search) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  $('more-note').textContent = moreSet(q).length ? `(${moreSet(q).join(', ')} set)` : '';
  markInvalid(null);
  say(q.scenarios.length ? 'planning the base and the scenario…' : 'planning…');
  $('go').disabled = true;
  const request = routeParams(q);
  const withScenarios = new URLSearchParams(request);
  for (const s of q.scenarios) withScenarios.append('scenario', s);
  const [main, base] = await Promise.all([
    api(`/v1/route?${withScenarios}`),
    q.scenarios.length ? api(`/v1/route?${request}`) : Promise.resolve(null),
  ]);
  if (mine !== state.run) return;  // a newer query was asked meanwhile
  $('go').disabled = false;
  if (!main.ok) {
    if (main.error.code === 'no_route') {
      say(`No route: ${main.error.message}`, 'error');
    } else {
      markInvalid(main.error.field === 'depart_time' ? 'depart' : main.error.field, main.error.message);
      say(main.error.message, 'error');
      if (main.error.field && $(main.error.field)) $(main.error.field).focus();
    }
    return;
  }
  state.result = main.body;
  state.base = base && base.ok ? base.body : null;
  const r = main.body;
  // The URL names the places by the ids the server resolved them to.
  for (const id of ['from', 'to']) {
    q[id] = r.query[id];
    $(id).dataset.id = r.query[id];
  }
  history.replaceState(null, '', `?${pageParams(q)}`);
  const cargo = r.query.unit === 'KG' ? `${formatNumber(r.query.units)} kg` : `${r.query.units} × ${r.query.unit}`;
  say(`${placeName(r.query.from)} → ${placeName(r.query.to)}, ${cargo}: ${r.itineraries.length} option${r.itineraries.length === 1 ? '' : 's'}` +
      (q.scenarios.length ? ` with ${q.scenarios.join(', ')}` : '') + ` (dataset ${r.dataset.name} ${r.dataset.version}, FX ${r.dataset.fx_date})`);
  renderOptions();
  select(Math.min(q.option, r.itineraries.length) - 1);
}

// ---- export and print -----------------------------------------------------

function setExports(enabled) {
  for (const b of document.querySelectorAll('#exports button')) b.disabled = !enabled;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const EXPORTS = {
  'options-csv': (r) => [fileName(r, 'options', 'csv'), 'text/csv', optionsCsv(r)],
  'options-geojson': (r) => [fileName(r, 'options', 'geojson'), 'application/geo+json', optionsGeoJson(r, state.places)],
  'itinerary-csv': (r, i) => [fileName(r, `option-${i + 1}`, 'csv'), 'text/csv', itineraryCsv(r, i, state.places)],
  'itinerary-geojson': (r, i) => [fileName(r, `option-${i + 1}`, 'geojson'), 'application/geo+json',
    itineraryGeoJson(r, i, state.places)],
};

function printQuote() {
  const r = state.result;
  if (!r?.itineraries[state.selected]) return;
  $('quote').innerHTML = quoteHtml({ result: r, index: state.selected, places: state.places, sources: state.sources, link: location.href });
  window.print();
}

// ---- start ----------------------------------------------------------------

function nextMonday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

// The query of the page's URL, planned when it names both ends.
function restoreFromUrl() {
  const params = new URLSearchParams(location.search);
  const q = fromParams(params);
  writeForm(q);
  if (q.from && q.to) {
    state.restoreOption = q.option;
    run({ push: false });
  } else {
    clearResult();
  }
}

async function start() {
  combobox($('from'));
  combobox($('to'));
  $('depart').value = nextMonday();
  $('depart_time').value = '08:00';
  $('swap').addEventListener('click', () => {
    const [f, t] = [$('from'), $('to')];
    [f.value, t.value] = [t.value, f.value];
    [f.dataset.id, t.dataset.id] = [t.dataset.id ?? '', f.dataset.id ?? ''];
    updateDepartNote();
  });
  $('query').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  for (const id of ['from', 'depart', 'depart_time']) {
    $(id).addEventListener('input', updateDepartNote);
    $(id).addEventListener('change', updateDepartNote);
  }
  $('lanes-go').addEventListener('click', runLanes);
  for (const id of ['kind-boxes', 'kind-kg']) $(id).addEventListener('change', () => showCargoKind());
  showCargoKind();
  $('show-network').addEventListener('change', (e) => {
    if (e.target.checked) networkLayer.addTo(map);
    else networkLayer.remove();
    routeLayer.bringToFront();
  });
  for (const b of document.querySelectorAll('#exports button[data-export]')) {
    b.addEventListener('click', () => {
      if (state.result?.itineraries[state.selected]) download(...EXPORTS[b.dataset.export](state.result, state.selected));
    });
  }
  $('print-quote').addEventListener('click', printQuote);
  window.addEventListener('popstate', restoreFromUrl);
  setExports(false);
  const health = await api('/healthz');
  if (health.ok) $('dataset').textContent = `dataset ${health.body.dataset.name} ${health.body.dataset.version} · ${health.body.locations} places · ${health.body.links} links`;
  await Promise.all([loadBasemap(), loadNetwork(), loadScenarios()]);
  restoreFromUrl();
  document.body.dataset.ready = 'true';
}

start();
