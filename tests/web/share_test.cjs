// Browser test of what people share and keep from the web map: the page's URL
// holds the whole query and a reload or a shared link restores the view; the
// departure is a date and a time at the origin; the main places are named on
// the map; the options and the selected itinerary export as CSV and GeoJSON;
// the selected option prints as a one-page quote; and nothing of an answer
// stays on screen once a new query is asked.
// Expected values come from the API's own answer to the same query and from
// the zones' fixed offsets (China UTC+8, Uzbekistan UTC+5, neither with DST).
//
// node share_test.cjs --caravan BIN --web DIR --node-modules DIR --artifacts DIR
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { arg, check, finish } = require('../support/tap.cjs');
const { parseCsv } = require('../support/csv.cjs');
const { withBrowser } = require('./harness.cjs');

// `2026-03-02T00:00:00Z` on a clock `hours` ahead of UTC: `2026-03-02 08:00 +08:00`.
function clock(iso, hours) {
  const d = new Date(Date.parse(iso) + hours * 3600000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} ${hours >= 0 ? '+' : '-'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
}

async function downloaded(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await d.path();
  return { name: d.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

// Submits the form as Enter in a field would (a suggestion list still open
// over the button does not get in the way).
const submit = (page) => page.$eval('#query', (f) => f.requestSubmit());

const answered = (page) => page.waitForFunction(() => /option/.test(document.getElementById('message').textContent) &&
  document.querySelectorAll('#options-table tbody tr').length > 0, null, { timeout: 60000 });

async function main() {
  await withBrowser(async ({ page, url, artifacts, nodeModules }) => {
    const { getIssues } = require(path.join(nodeModules, '@placemarkio/check-geojson'));
    const api = (p) => page.evaluate(async (u) => (await fetch(u)).json(), p);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
    const network = await api('/v1/network');
    const hubs = network.features.filter((f) => f.properties.hub).map((f) => f.properties.name);

    // ---- labels of the main places
    const labels = await page.locator('#map .place-label').allTextContents();
    check(hubs.length >= 10 && labels.length === hubs.length && hubs.every((h) => labels.includes(h)),
      `every hub is named on the map (${labels.length} labels: ${labels.slice(0, 4).join(', ')}, …)`);

    // ---- departure date and time, at the origin
    await page.fill('#from', 'xian');
    await page.fill('#to', 'Tashkent');
    await page.fill('#depart', '2026-03-02');
    await page.fill('#depart_time', '08:00');
    await page.dispatchEvent('#depart_time', 'change');
    const note = await page.textContent('#depart-note');
    check(note.includes("Xi'an (UTC+08:00) = 2026-03-02 00:00 UTC"), `08:00 at Xi'an is 00:00 UTC (${note})`);
    await page.fill('#units', '2');
    await page.selectOption('#unit', 'TEU');
    await page.fill('#deadline', '2026-03-12');
    await page.click('#more summary');
    await page.uncheck('#mode input[value="air"]');
    await page.check('#scenario-list input[value="green-lanes"]');
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().includes('/v1/route?')), submit(page)]);
    await answered(page);
    const sent = new URL(request.url()).searchParams;
    check(sent.get('depart') === '2026-03-02T08:00+08:00', `the request departs at 08:00 Xi'an time (${sent.get('depart')})`);
    check(sent.get('deadline') === '2026-03-12T23:59+05:00', `the deadline is the end of the day at Tashkent (${sent.get('deadline')})`);

    // ---- the URL holds the whole query
    await page.click('#options-table tbody tr:nth-child(2)');
    const shared = new URL(page.url());
    const p = shared.searchParams;
    const want = { from: 'xian', to: 'tashkent', depart: '2026-03-02T08:00+08:00', units: '2', unit: 'TEU',
      deadline: '2026-03-12T23:59+05:00', mode: 'rail,road,ferry,sea', scenario: 'green-lanes', option: '2' };
    const wrong = Object.entries(want).filter(([k, v]) => p.get(k) !== v);
    check(wrong.length === 0, `the URL holds the query and the selected option (${shared.search})`);
    const table = await page.textContent('#options-table tbody');
    const answer = await api(`/v1/route?${new URLSearchParams([...p].filter(([k]) => k !== 'option'))}`);
    check(answer.query.depart === '2026-03-02T00:00:00Z' && answer.query.units === 2 && answer.query.unit === 'TEU',
      'the URL asks the API the same query (departure 00:00 UTC, 2 × TEU)');

    // A reload restores the view: the form, the scenario, the answer, the selection.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
    await answered(page);
    const form = await page.evaluate(() => ({
      from: document.getElementById('from').value, to: document.getElementById('to').value,
      depart: document.getElementById('depart').value, time: document.getElementById('depart_time').value,
      units: document.getElementById('units').value, unit: document.getElementById('unit').value,
      deadline: document.getElementById('deadline').value,
      air: document.querySelector('#mode input[value="air"]').checked,
      scenario: document.querySelector('#scenario-list input[value="green-lanes"]').checked,
    }));
    check(form.from === "Xi'an" && form.to === 'Tashkent' && form.depart === '2026-03-02' && form.time === '08:00' &&
      form.units === '2' && form.unit === 'TEU' && form.deadline === '2026-03-12' && !form.air && form.scenario,
      `a reload restores the form (${JSON.stringify(form)})`);
    check(await page.textContent('#options-table tbody') === table, 'a reload shows the same options');
    check(await page.getAttribute('#options-table tbody tr:nth-child(2)', 'aria-selected') === 'true',
      'a reload keeps option 2 selected');
    check(await page.locator('#map path.route-leg').count() >= 1, 'a reload draws the selected route');

    // A shared link opens the same view in a new page.
    const other = await page.context().newPage();
    await other.goto(shared.href);
    await other.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
    await answered(other);
    check(await other.textContent('#options-table tbody') === table &&
      await other.getAttribute('#options-table tbody tr:nth-child(2)', 'aria-selected') === 'true',
      'a shared link shows the same options with option 2 selected');
    await other.close();

    // Back returns to the previous query.
    await page.fill('#to', 'Almaty');
    await submit(page);
    await page.waitForFunction(() => document.getElementById('message').textContent.includes('Almaty'));
    check(new URL(page.url()).searchParams.get('to') === 'almaty', 'a new query is a new URL, naming the place by its id');
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('message').textContent.includes('Tashkent'));
    check(await page.inputValue('#to') === 'Tashkent' && await page.textContent('#options-table tbody') === table,
      'Back shows the previous query and its options');

    // ---- exports of the options and of the selected itinerary
    await page.uncheck('#scenario-list input[value="green-lanes"]');
    await answered(page);
    const base = await api(`/v1/route?${new URLSearchParams([...new URL(page.url()).searchParams].filter(([k]) => k !== 'option'))}`);
    const its = base.itineraries;
    const longest = its.reduce((best, it, i) => (it.legs.length > its[best].legs.length ? i : best), 0);
    await page.click(`#options-table tbody tr:nth-child(${longest + 1})`);
    const it = its[longest];

    const opts = await downloaded(page, '#exports [data-export="options-csv"]');
    const optRows = parseCsv(opts.text);
    check(opts.name === 'caravan-xian-tashkent-2026-03-02-options.csv', `options CSV file name (${opts.name})`);
    check(optRows.length === its.length && optRows.every((r, i) => Number(r.cost_usd) === its[i].cost_usd &&
      r.arrive_utc === its[i].arrive && Number(r.hours) === its[i].hours), `options CSV: a row per option as the API answers (${optRows.length})`);
    const cny = its.map((x) => x.cost_by_currency.find((c) => c.currency === 'CNY')?.amount);
    check(optRows.every((r, i) => (cny[i] === undefined ? r.cost_CNY === '' : Number(r.cost_CNY) === cny[i])),
      'options CSV: a column per charging currency');

    const legs = await downloaded(page, '#exports [data-export="itinerary-csv"]');
    const legRows = parseCsv(legs.text);
    check(legRows.length === it.legs.length, `itinerary CSV: a row per leg (${legRows.length})`);
    const sumUsd = legRows.reduce((s, r) => s + Number(r.cost_usd), 0);
    check(Math.abs(sumUsd - it.cost_usd) < 0.01 * it.legs.length, `itinerary CSV: legs add up to the total (${sumUsd.toFixed(2)} of ${it.cost_usd})`);
    check(legRows[0].depart_local === clock(it.legs[0].depart, 8) &&
      legRows.at(-1).arrive_local === clock(it.legs.at(-1).arrive, 5),
      `itinerary CSV: local times at Xi'an (+8) and Tashkent (+5) (${legRows[0].depart_local}, ${legRows.at(-1).arrive_local})`);

    const optsGeo = await downloaded(page, '#exports [data-export="options-geojson"]');
    const legsGeo = await downloaded(page, '#exports [data-export="itinerary-geojson"]');
    for (const g of [optsGeo, legsGeo]) {
      const issues = getIssues(g.text);
      check(issues.length === 0, `${g.name} is valid GeoJSON${issues.length ? `: ${issues[0].message}` : ''}`);
    }
    const og = JSON.parse(optsGeo.text);
    check(og.features.length === its.length && og.features.every((f, i) => f.geometry.type === 'LineString' &&
      f.properties.cost_usd === its[i].cost_usd), `options GeoJSON: a line per option (${og.features.length})`);
    const where = new Map(network.features.filter((f) => f.geometry.type === 'Point').map((f) => [f.properties.id, f.geometry.coordinates]));
    const moving = it.legs.filter((l) => ['rail', 'road', 'ferry', 'sea', 'air'].includes(l.kind) && l.from !== l.to);
    const lg = JSON.parse(legsGeo.text).features;
    const lines = lg.filter((f) => f.geometry.type === 'LineString');
    check(lines.length === moving.length && lines.every((f) => JSON.stringify(f.geometry.coordinates) ===
      JSON.stringify([where.get(f.properties.from), where.get(f.properties.to)])),
      `itinerary GeoJSON: a line per moving leg between its places (${lines.length})`);
    check(lg.length === it.legs.length, `itinerary GeoJSON: every leg is a feature (${lg.length} of ${it.legs.length})`);

    // ---- the quote of the selected option, on one printed page
    await page.evaluate(() => { window.print = () => { document.body.dataset.printed = 'true'; }; });
    await page.click('#print-quote');
    check(await page.getAttribute('body', 'data-printed') === 'true', 'Print quote opens the print dialog');
    const quote = await page.textContent('#quote');
    check(quote.includes(`Quote: Xi'an → Tashkent`) && quote.includes(`option ${longest + 1} of ${its.length}`), 'the quote names the lane and the option');
    check(await page.locator('#quote .quote-legs tbody tr').count() === it.legs.length, `the quote lists every leg (${it.legs.length})`);
    check(quote.includes(clock(it.legs[0].depart, 8)) && quote.includes(clock(it.arrive, 5)),
      `the quote gives local times (${clock(it.legs[0].depart, 8)} at Xi'an, ${clock(it.arrive, 5)} at Tashkent)`);
    const currencies = [...new Set(it.legs.filter((l) => l.cost.amount > 0).map((l) => l.cost.currency))];
    const costRows = await page.locator('#quote .quote-costs tbody tr').allTextContents();
    check(costRows.length === currencies.length + 1 && currencies.every((c) => costRows.some((r) => r.startsWith(c))),
      `the quote gives costs by currency (${currencies.join(', ')}) and in USD`);
    const usd = it.cost_usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    check(quote.includes(`${usd} USD`) && costRows.at(-1).includes(usd), `the quote's total is the option's (${usd} USD)`);
    const co2 = Math.round(it.co2_kg).toLocaleString('en-US');
    check(quote.includes(`${co2} kg`), `the quote gives CO2 (${co2} kg)`);
    const sourceIds = [...new Set(it.legs.flatMap((l) => l.sources))];
    const titles = new Map(network.sources.map((s) => [s.id, s.title]));
    const items = await page.locator('#quote .quote-sources li').allTextContents();
    check(items.length === sourceIds.length && sourceIds.every((id) => items.some((t) => t.startsWith(id) && t.includes(titles.get(id)))),
      `the quote lists every source of its legs with its title (${items.length})`);
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });  // A4 at 96 dpi
    await page.screenshot({ path: path.join(artifacts, 'quote.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    check(pages === 1, `the quote of the option with the most legs prints on one A4 page (${pages})`);
    fs.writeFileSync(path.join(artifacts, 'quote.pdf'), pdf, 'latin1');
    await page.emulateMedia({ media: 'screen' });

    // ---- stale results are cleared on a new query
    await page.route('**/v1/route?*', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.fill('#to', 'Almaty');
    await submit(page);
    await page.waitForFunction(() => document.getElementById('message').textContent.startsWith('planning'));
    const during = await page.evaluate(() => ({
      rows: document.querySelectorAll('#options-table tbody tr').length,
      legs: document.querySelectorAll('#legs li').length,
      drawn: document.querySelectorAll('#map path.route-leg').length,
      chart: document.querySelectorAll('#chart-time polyline').length,
      exports: [...document.querySelectorAll('#exports button')].every((b) => b.disabled),
    }));
    check(during.rows === 0 && during.legs === 0 && during.drawn === 0 && during.chart === 0 && during.exports,
      `while a new query is planned no part of the old answer is shown (${JSON.stringify(during)})`);
    // A slow answer to an older query never replaces a newer one.
    await page.unroute('**/v1/route?*');
    await page.route('**/v1/route?*', async (route) => {
      if (route.request().url().includes('to=bishkek')) await new Promise((r) => setTimeout(r, 2500));
      await route.continue();
    });
    await answered(page);
    await page.fill('#to', 'bishkek');
    await submit(page);
    await page.fill('#to', 'Tashkent');
    await submit(page);
    await page.waitForTimeout(3500);
    const msg = await page.textContent('#message');
    check(msg.startsWith("Xi'an → Tashkent") && await page.inputValue('#to') === 'Tashkent',
      `the answer of the last query stays on screen (${msg.slice(0, 40)})`);
    await page.unroute('**/v1/route?*');
  });
  console.log(`screenshots: ${path.join(arg('artifacts'), 'quote.png')} ${path.join(arg('artifacts'), 'quote.pdf')}`);
  finish();
}

main().catch((e) => {
  check(false, e.stack || String(e));
  finish();
});
