// Files a person takes away from the map: the options and the selected
// itinerary as CSV (RFC 4180, for spreadsheets) and GeoJSON (RFC 7946, for GIS
// tools), built from the route answer the page shows (the Itinerary JSON
// contract), so that they hold exactly what is on screen.
// `places`: Map id -> {name, lat, lon, timezone}. No DOM: also run by
// tests/web/units_test.mjs.
import { localTime } from './time.js';

export const MOVING = new Set(['rail', 'road', 'ferry', 'sea', 'air']);

function csvField(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// CRLF rows (RFC 4180) after a byte-order mark, so that spreadsheets read UTF-8.
function csv(header, rows) {
  return `\ufeff${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// Amounts in minor units of 2 digits are exact in the JSON; keep them so.
const money = (v) => (Math.round(v * 100) / 100).toFixed(2);
const round = (v, digits) => Number(v.toFixed(digits));

function currencies(result) {
  const all = new Set();
  for (const it of result.itineraries) for (const c of it.cost_by_currency) all.add(c.currency);
  return [...all].sort();
}

/// One row per option: times (UTC), hours, km, cost in USD and in each
/// charging currency, CO2, borders, and reliability when the answer has it.
export function optionsCsv(result) {
  const cur = currencies(result);
  const header = ['option', 'depart_utc', 'arrive_utc', 'hours', 'km', 'cost_usd', ...cur.map((c) => `cost_${c}`), 'co2_kg',
    'border_crossings', 'gauge_changes', 'p50_hours', 'p95_hours', 'on_time_probability'];
  const rows = result.itineraries.map((it, i) => {
    const by = new Map(it.cost_by_currency.map((c) => [c.currency, c.amount]));
    const r = it.reliability;
    return [i + 1, it.depart, it.arrive, round(it.hours, 2), round(it.km, 1), money(it.cost_usd),
      ...cur.map((c) => (by.has(c) ? money(by.get(c)) : '')), round(it.co2_kg, 1), it.border_crossings.join(';'),
      it.gauge_changes, r ? round(r.p50_hours, 2) : '', r ? round(r.p95_hours, 2) : '',
      r && r.on_time_probability !== undefined && r.on_time_probability !== null ? r.on_time_probability : ''];
  });
  return csv(header, rows);
}

/// One row per leg of option `index` (from 0), with local times at the leg's
/// ends beside the UTC instants, and its sources.
export function itineraryCsv(result, index, places) {
  const it = result.itineraries[index];
  const name = (id) => places.get(id)?.name ?? id;
  const zone = (id) => places.get(id)?.timezone;
  const header = ['leg', 'kind', 'from', 'from_name', 'to', 'to_name', 'depart_utc', 'arrive_utc', 'depart_local', 'arrive_local',
    'hours', 'km', 'cost', 'currency', 'cost_usd', 'co2_kg', 'link', 'service', 'crossing', 'note', 'sources'];
  const rows = it.legs.map((l, i) => [i + 1, l.kind, l.from, name(l.from), l.to, name(l.to), l.depart, l.arrive,
    localTime(l.depart, zone(l.from)), localTime(l.arrive, zone(l.to)), round(l.hours, 2), round(l.km, 1),
    money(l.cost.amount), l.cost.currency, money(l.cost_usd), round(l.co2_kg, 1), l.link ?? '', l.service ?? '',
    l.crossing ?? '', l.note ?? '', (l.sources ?? []).join(';')]);
  return csv(header, rows);
}

function position(places, id) {
  const p = places.get(id);
  return p ? [p.lon, p.lat] : null;
}

// The locations an option passes, in order, without repeats in a row.
function track(it, places) {
  const out = [];
  for (const l of it.legs) {
    for (const id of [l.from, l.to]) {
      const p = position(places, id);
      if (p && (out.length === 0 || out[out.length - 1][0] !== p[0] || out[out.length - 1][1] !== p[1])) out.push(p);
    }
  }
  return out;
}

function collection(name, features) {
  return `${JSON.stringify({ type: 'FeatureCollection', name, features }, null, 1)}\n`;
}

/// A LineString per option through the places it passes, with its totals.
export function optionsGeoJson(result, places) {
  const features = result.itineraries.map((it, i) => ({
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: track(it, places) },
    properties: {
      option: i + 1, from: result.query.from, to: result.query.to, depart: it.depart, arrive: it.arrive, hours: it.hours,
      km: it.km, cost_usd: it.cost_usd, co2_kg: it.co2_kg, border_crossings: it.border_crossings,
      gauge_changes: it.gauge_changes, cost_by_currency: it.cost_by_currency,
    },
  })).filter((f) => f.geometry.coordinates.length >= 2);
  return collection(`${result.query.from}-${result.query.to}-options`, features);
}

/// Option `index` leg by leg: a LineString per moving leg, a Point for each
/// wait, transfer, border and gauge change (at the entry side of a border).
export function itineraryGeoJson(result, index, places) {
  const it = result.itineraries[index];
  const features = [];
  it.legs.forEach((l, i) => {
    const a = position(places, l.from);
    const b = position(places, l.to);
    const moving = MOVING.has(l.kind) && l.from !== l.to;
    const geometry = moving ? (a && b ? { type: 'LineString', coordinates: [a, b] } : null)
      : (b || a ? { type: 'Point', coordinates: l.kind === 'border' ? (b ?? a) : (a ?? b) } : null);
    if (!geometry) return;
    features.push({
      type: 'Feature',
      geometry,
      properties: {
        option: index + 1, leg: i + 1, kind: l.kind, from: l.from, to: l.to, depart: l.depart, arrive: l.arrive,
        hours: l.hours, km: l.km, cost: l.cost.amount, currency: l.cost.currency, cost_usd: l.cost_usd, co2_kg: l.co2_kg,
        ...(l.link ? { link: l.link } : {}), ...(l.service ? { service: l.service } : {}),
        ...(l.crossing ? { crossing: l.crossing } : {}), sources: l.sources ?? [],
      },
    });
  });
  return collection(`${result.query.from}-${result.query.to}-option-${index + 1}`, features);
}

/// Costs of an option by the currency charged, each with its USD at the
/// dataset's FX: [{currency, amount, usd}], largest USD first.
export function costsByCurrency(it) {
  const by = new Map();
  for (const l of it.legs) {
    if (!(l.cost.amount > 0)) continue;
    const c = by.get(l.cost.currency) ?? { currency: l.cost.currency, amount: 0, usd: 0 };
    c.amount += l.cost.amount;
    c.usd += l.cost_usd;
    by.set(l.cost.currency, c);
  }
  return [...by.values()].map((c) => ({ ...c, amount: round(c.amount, 2), usd: round(c.usd, 2) })).sort((x, y) => y.usd - x.usd);
}

/// A file name for downloads: caravan-xian-tashkent-2026-03-02-options.csv.
export function fileName(result, what, ext) {
  const day = (result.query.depart ?? '').slice(0, 10);
  return `caravan-${result.query.from}-${result.query.to}${day ? `-${day}` : ''}-${what}.${ext}`;
}
