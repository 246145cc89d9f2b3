// The web map's pure modules in node, with expectations worked out by hand:
// local time in IANA zones (time.js), the query <-> URL mapping (query.js),
// and the CSV and GeoJSON exports (export.js) of a small hand-made answer.
//   node --test tests/web/units_test.mjs   (NODE_PATH: web/node_modules)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';

import { costsByCurrency, fileName, itineraryCsv, itineraryGeoJson, optionsCsv, optionsGeoJson } from '../../web/src/export.js';
import { emptyQuery, fromParams, moreSet, pageParams, routeParams } from '../../web/src/query.js';
import { localTime, offsetMinutes, offsetText, splitIso, zonedIso } from '../../web/src/time.js';

const require = createRequire(import.meta.url);
const { getIssues } = require('../../web/node_modules/@placemarkio/check-geojson');

test('offsets of zones with and without daylight saving time', () => {
  assert.equal(offsetMinutes('Asia/Shanghai', Date.UTC(2026, 2, 2)), 480);
  assert.equal(offsetMinutes('Asia/Tashkent', Date.UTC(2026, 6, 1)), 300);
  assert.equal(offsetMinutes('Europe/Berlin', Date.UTC(2026, 0, 15)), 60);
  assert.equal(offsetMinutes('Europe/Berlin', Date.UTC(2026, 6, 15)), 120);
  assert.equal(offsetText(-210), '-03:30');
  assert.equal(offsetText(345), '+05:45');
});

test('an instant on the wall clock of a place, as the CLI writes it', () => {
  assert.equal(localTime('2026-03-02T00:00:00Z', 'Asia/Shanghai'), '2026-03-02 08:00 +08:00');
  assert.equal(localTime('2026-03-04T18:09:13Z', 'Asia/Tashkent'), '2026-03-04 23:09 +05:00');
  assert.equal(localTime('2026-03-01T23:30:00Z', 'Asia/Almaty'), '2026-03-02 04:30 +05:00');
  assert.equal(localTime('2026-03-02T08:00:00Z', undefined), '2026-03-02 08:00 +00:00');
});

test('a wall time at a place as an instant with that place\'s offset', () => {
  assert.equal(zonedIso('2026-03-02', '08:00', 'Asia/Shanghai'), '2026-03-02T08:00+08:00');
  assert.equal(zonedIso('2026-07-01', '12:00', 'Europe/Berlin'), '2026-07-01T12:00+02:00');
  // 02:30 does not exist in Berlin on 2026-03-29 (clocks go 02:00 -> 03:00):
  // it is read with the offset before the change, i.e. 01:30Z = 03:30 summer time.
  assert.equal(zonedIso('2026-03-29', '02:30', 'Europe/Berlin'), '2026-03-29T02:30+01:00');
  assert.equal(localTime(zonedIso('2026-03-29', '02:30', 'Europe/Berlin'), 'Europe/Berlin'), '2026-03-29 03:30 +02:00');
  assert.equal(zonedIso('2026-03-29', '01:30', 'Europe/Berlin'), '2026-03-29T01:30+01:00');
  assert.equal(zonedIso('2026-03-02', '08:00', null), '2026-03-02T08:00Z');
  assert.deepEqual(splitIso('2026-03-02T08:00+08:00'), { date: '2026-03-02', time: '08:00' });
  assert.equal(splitIso('soon'), null);
});

test('the URL of a query reads back as the same query', () => {
  const q = { ...emptyQuery(), from: 'xian', to: 'tashkent', depart: '2026-03-02T08:00+08:00', units: '2', unit: 'TEU',
    via: ['almaty', 'bishkek'], mode: ['rail', 'road'], by: 'cost', scenarios: ['green-lanes', 'cku-railway'], option: 3 };
  const p = pageParams(q);
  assert.equal(p.toString(), 'from=xian&to=tashkent&depart=2026-03-02T08%3A00%2B08%3A00&units=2&unit=TEU&via=almaty&via=bishkek' +
    '&mode=rail%2Croad&by=cost&scenario=green-lanes&scenario=cku-railway&option=3');
  assert.deepEqual(fromParams(new URLSearchParams(p.toString())), q);
  assert.deepEqual(moreSet(q), ['via', 'mode', 'by']);
});

test('the cargo in the URL: kg with a volume, boxes with tonnes, owner and a value of time', () => {
  const kg = { ...emptyQuery(), from: 'xian', to: 'tashkent', units: '2000', unit: 'KG', volume_m3: '12.5' };
  assert.equal(routeParams(kg).toString(), 'from=xian&to=tashkent&units=2000&unit=KG&volume_m3=12.5');
  assert.deepEqual(fromParams(pageParams(kg)), kg);
  const boxes = { ...emptyQuery(), from: 'xian', to: 'tashkent', unit: 'FEU_HC', cargo_tonnes: '18', equipment: 'soc',
    by: 'generalized', value_of_time: '40' };
  assert.equal(routeParams(boxes).toString(),
    'from=xian&to=tashkent&unit=FEU_HC&cargo_tonnes=18&equipment=soc&by=generalized&value_of_time=40');
  assert.deepEqual(fromParams(pageParams(boxes)), boxes);
  assert.deepEqual(moreSet(boxes), ['by', 'value_of_time']);
  // The carrier's boxes are the default: not written.
  assert.equal(routeParams({ ...boxes, equipment: 'coc' }).has('equipment'), false);
});

test('defaults are left out of requests and URLs', () => {
  const q = { ...emptyQuery(), from: 'a', to: 'b' };
  assert.equal(routeParams(q).toString(), 'from=a&to=b');
  assert.equal(pageParams(q).toString(), 'from=a&to=b');
  assert.deepEqual(moreSet(q), []);
  // No mode ticked is not the default: the server is asked, and says why not.
  assert.equal(routeParams({ ...q, mode: [] }).get('mode'), '');
});

test('a URL written by hand: comma lists, unknown modes and options', () => {
  const q = fromParams(new URLSearchParams('from=a&to=b&via=x,%20y&via=z&mode=rail,boat&option=0&colour=red'));
  assert.deepEqual(q.via, ['x', 'y', 'z']);
  assert.deepEqual(q.mode, ['rail']);
  assert.equal(q.option, 1);
});

// Two options between A (lon 10, lat 40) and C (lon 12, lat 41) through B.
const places = new Map([
  ['a', { name: 'Alpha, "North"', lat: 40, lon: 10, timezone: 'Asia/Shanghai' }],
  ['b', { name: 'Beta', lat: 40.5, lon: 11, timezone: 'Asia/Almaty' }],
  ['c', { name: 'Gamma', lat: 41, lon: 12, timezone: 'Asia/Tashkent' }],
]);
const leg = (kind, from, to, depart, arrive, hours, km, amount, currency, usd, co2, extra = {}) =>
  ({ kind, from, to, depart, arrive, hours, km, cost: { amount, currency }, cost_usd: usd, co2_kg: co2, sources: ['s1'], ...extra });
const result = {
  query: { from: 'a', to: 'c', depart: '2026-03-02T00:00:00Z', units: 1, unit: 'FEU' },
  dataset: { name: 'test', version: '1', fx_date: '2025-01-01' },
  itineraries: [
    {
      depart: '2026-03-02T00:00:00Z', arrive: '2026-03-02T10:00:00Z', hours: 10, km: 300, cost_usd: 150.5, co2_kg: 20.25,
      cost_by_currency: [{ currency: 'CNY', amount: 700 }, { currency: 'USD', amount: 50.5 }], border_crossings: ['ab'], gauge_changes: 0,
      legs: [
        leg('road', 'a', 'b', '2026-03-02T00:00:00Z', '2026-03-02T04:00:00Z', 4, 120, 700, 'CNY', 100, 12, { link: 'a-b' }),
        leg('border', 'b', 'b', '2026-03-02T04:00:00Z', '2026-03-02T05:00:00Z', 1, 0, 50.5, 'USD', 50.5, 0, { crossing: 'ab' }),
        leg('road', 'b', 'c', '2026-03-02T05:00:00Z', '2026-03-02T10:00:00Z', 5, 180, 0, 'USD', 0, 8.25),
      ],
    },
    {
      depart: '2026-03-02T00:00:00Z', arrive: '2026-03-03T00:00:00Z', hours: 24, km: 310, cost_usd: 80, co2_kg: 5,
      cost_by_currency: [{ currency: 'KZT', amount: 40000 }], border_crossings: [], gauge_changes: 1,
      reliability: { samples: 100, p50_hours: 25, p80_hours: 27, p95_hours: 30.5, on_time_probability: 0.9 },
      legs: [leg('rail', 'a', 'c', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', 24, 310, 40000, 'KZT', 80, 5)],
    },
  ],
};

const rows = (text) => text.replace(/^\ufeff/, '').trimEnd().split('\r\n');

test('options CSV: a row per option, a column per currency', () => {
  const r = rows(optionsCsv(result));
  assert.equal(r[0], 'option,depart_utc,arrive_utc,hours,km,cost_usd,cost_CNY,cost_KZT,cost_USD,co2_kg,border_crossings,' +
    'gauge_changes,p50_hours,p95_hours,on_time_probability');
  assert.equal(r[1], '1,2026-03-02T00:00:00Z,2026-03-02T10:00:00Z,10,300,150.50,700.00,,50.50,20.3,ab,0,,,');
  assert.equal(r[2], '2,2026-03-02T00:00:00Z,2026-03-03T00:00:00Z,24,310,80.00,,40000.00,,5,,1,25,30.5,0.9');
  assert.ok(optionsCsv(result).startsWith('\ufeff'));
});

test('itinerary CSV: a row per leg, local times, quoted names', () => {
  const r = rows(itineraryCsv(result, 0, places));
  assert.equal(r.length, 4);
  assert.equal(r[1], '1,road,a,"Alpha, ""North""",b,Beta,2026-03-02T00:00:00Z,2026-03-02T04:00:00Z,2026-03-02 08:00 +08:00,' +
    '2026-03-02 09:00 +05:00,4,120,700.00,CNY,100.00,12,a-b,,,,s1');
});

test('costs by currency add the legs of each currency, largest USD first', () => {
  assert.deepEqual(costsByCurrency(result.itineraries[0]), [
    { currency: 'CNY', amount: 700, usd: 100 }, { currency: 'USD', amount: 50.5, usd: 50.5 }]);
});

test('GeoJSON exports are valid: a line per option, a feature per leg', () => {
  const options = optionsGeoJson(result, places);
  assert.deepEqual(getIssues(options), []);
  const o = JSON.parse(options);
  assert.deepEqual(o.features[0].geometry.coordinates, [[10, 40], [11, 40.5], [12, 41]]);
  assert.deepEqual(o.features[1].geometry.coordinates, [[10, 40], [12, 41]]);
  const legs = itineraryGeoJson(result, 0, places);
  assert.deepEqual(getIssues(legs), []);
  const l = JSON.parse(legs);
  assert.deepEqual(l.features.map((f) => f.geometry.type), ['LineString', 'Point', 'LineString']);
  assert.deepEqual(l.features[1].geometry.coordinates, [11, 40.5]);
  assert.equal(l.features[1].properties.crossing, 'ab');
  assert.equal(fileName(result, 'options', 'csv'), 'caravan-a-c-2026-03-02-options.csv');
});
