// The printable quote of one option: shipment, totals, legs with local times,
// costs by currency and in USD, CO2, and the sources every figure comes from,
// laid out for one A4 page (style.css, @media print).
// `places`: Map id -> {name, timezone}; `sources`: Map id -> {title,
// publisher, url, published, kind}. No DOM: also run by tests/web/units_test.mjs.
import { MOVING, costsByCurrency } from './export.js';
import { localTime } from './time.js';

const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const num = (v, digits = 0) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function duration(hours) {
  const d = Math.floor(hours / 24);
  const h = Math.round(hours - d * 24);
  return d > 0 ? `${d} d ${h} h` : `${h} h`;
}

/// The quote as HTML (a fragment for the #quote section). `link` is the page's
/// URL of the query, printed so that the quote can be re-run.
export function quoteHtml({ result, index, places, sources, link }) {
  const it = result.itineraries[index];
  const q = result.query;
  const name = (id) => places.get(id)?.name ?? id;
  const zone = (id) => places.get(id)?.timezone;
  const costs = costsByCurrency(it);
  const used = [...new Set(it.legs.flatMap((l) => l.sources ?? []))].sort();
  const r = it.reliability;
  // Legs that move nothing (border, wait, gauge change, transfer) print as one
  // line each: the option with the most legs still fits one A4 page.
  const rows = it.legs.map((l, i) => `<tr${MOVING.has(l.kind) ? '' : ' class="stop"'}>
      <td>${i + 1}</td><td>${esc(l.kind.replace('_', ' '))}</td>
      <td class="where">${esc(l.from !== l.to ? `${name(l.from)} → ${name(l.to)}` : name(l.from))}${l.service ? ` <span class="muted">${esc(l.service)}</span>` : ''}</td>
      <td>${esc(localTime(l.depart, zone(l.from)))}</td><td>${esc(localTime(l.arrive, zone(l.to)))}</td>
      <td class="n">${num(l.hours, 1)}</td><td class="n">${l.km > 0 ? num(l.km) : ''}</td>
      <td class="n">${l.cost.amount > 0 ? `${num(l.cost.amount, 2)} ${esc(l.cost.currency)}` : ''}</td>
      <td class="n">${l.cost_usd > 0 ? num(l.cost_usd, 2) : ''}</td><td class="n">${l.co2_kg > 0 ? num(l.co2_kg) : ''}</td></tr>`).join('');
  const sourceItems = used.map((id) => {
    const s = sources.get(id);
    if (!s) return `<li><b>${esc(id)}</b></li>`;
    return `<li><b>${esc(id)}</b> (${esc(s.kind)}): ${esc(s.title)}${s.publisher ? `, ${esc(s.publisher)}` : ''}` +
      `${s.published ? `, ${esc(s.published)}` : ''}${s.url ? ` <span class="url">${esc(s.url)}</span>` : ''}</li>`;
  }).join('');
  const shipment = q.unit === 'KG'
    ? `${num(Number(q.units), 0)} kg general cargo${q.volume_m3 ? `, ${num(Number(q.volume_m3), 2)} m³` : ''}`
    : `${q.units} × ${esc(q.unit)}${q.cargo_tonnes ? `, ${num(q.cargo_tonnes, 1)} t per box` : ''}` +
      `${q.equipment === 'soc' ? ', shipper-owned boxes' : ''}`;
  return `
  <h1>Quote: ${esc(name(q.from))} → ${esc(name(q.to))} <span class="muted">option ${index + 1} of ${result.itineraries.length}</span></h1>
  <div class="quote-top">
    <table class="quote-summary">
      <tr><th>Shipment</th><td>${shipment}${q.scenarios?.length ? `; scenarios: ${esc(q.scenarios.join(', '))}` : ''}</td>
          <th>Cargo ready</th><td>${esc(localTime(q.depart, zone(q.from)))} at ${esc(name(q.from))}</td></tr>
      <tr><th>Departs</th><td>${esc(localTime(it.depart, zone(q.from)))}</td>
          <th>Arrives</th><td>${esc(localTime(it.arrive, zone(q.to)))} at ${esc(name(q.to))}</td></tr>
      <tr><th>Door to door</th><td>${duration(it.hours)} (${num(it.hours, 1)} h), ${num(it.km)} km</td>
          <th>Borders</th><td>${it.border_crossings.length}${it.gauge_changes ? `, ${it.gauge_changes} gauge change${it.gauge_changes === 1 ? '' : 's'}` : ''}</td></tr>
      <tr><th>Total</th><td class="total">${num(it.cost_usd, 2)} USD</td>
          <th>CO2</th><td>${num(it.co2_kg)} kg (${num(it.co2_kg / 1000, 2)} t)</td></tr>
      ${r ? `<tr><th>Reliability</th><td colspan="3">p50 ${num(r.p50_hours, 0)} h, p95 ${num(r.p95_hours, 0)} h` +
        `${r.on_time_probability !== undefined && r.on_time_probability !== null ? `, ${Math.round(r.on_time_probability * 100)}% by the deadline ${esc(localTime(q.deadline, zone(q.to)))}` : ''}` +
        ` (${num(r.samples)} Monte Carlo samples)</td></tr>` : ''}
    </table>
    <div>
      <h2>Costs by currency <span class="muted">(USD at the FX of ${esc(result.dataset.fx_date ?? '')})</span></h2>
      <table class="quote-costs">
        <thead><tr><th>currency</th><th class="n">amount</th><th class="n">USD</th></tr></thead>
        <tbody>${costs.map((c) => `<tr><td>${esc(c.currency)}</td><td class="n">${num(c.amount, 2)}</td><td class="n">${num(c.usd, 2)}</td></tr>`).join('')}
          <tr class="sum"><td>total</td><td></td><td class="n">${num(it.cost_usd, 2)}</td></tr></tbody>
      </table>
    </div>
  </div>
  <h2>Legs <span class="muted">(times local at each place, with its UTC offset)</span></h2>
  <table class="quote-legs">
    <thead><tr><th>#</th><th>leg</th><th>where</th><th>from</th><th>until</th><th class="n">h</th><th class="n">km</th>
      <th class="n">cost charged</th><th class="n">USD</th><th class="n">CO2 kg</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <h2>Sources</h2>
  <ul class="quote-sources">${sourceItems}</ul>
  <p class="muted">Planned by caravan on the dataset ${esc(result.dataset.name)} ${esc(result.dataset.version)}: a model's
    estimate from published figures, not a carrier's offer. Query: <span class="url">${esc(link)}</span></p>`;
}
