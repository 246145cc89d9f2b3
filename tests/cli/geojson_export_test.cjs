// `caravan data export --format geojson --out DIR` checked from outside: each
// file passes an RFC 7946 validator (@placemarkio/check-geojson), holds one
// geometry type, and its features match the dataset's CSV files, read here
// with a parser of this test's own (not the program's loader).
//
// node geojson_export_test.cjs --caravan BIN --data DIR --node-modules DIR
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { parseCsv } = require('../support/csv.cjs');
const { arg, check, finish } = require('../support/tap.cjs');
const caravan = arg('caravan');
const data = arg('data');
const { getIssues } = require(path.join(arg('node-modules'), '@placemarkio/check-geojson'));

const readCsv = (file) => parseCsv(fs.readFileSync(file, 'utf8'));

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-geojson-'));
try {
  const said = execFileSync(caravan, ['data', 'export', '--format', 'geojson', '--out', out, '--data', data], { encoding: 'utf8' });
  check(/^wrote .*locations\.geojson/.test(said), `the export says what it wrote (${said.trim()})`);
  const files = fs.readdirSync(out).sort();
  check(JSON.stringify(files) === JSON.stringify(['crossings.geojson', 'links.geojson', 'locations.geojson', 'services.geojson']),
    `one file per layer (${files.join(', ')})`);

  const csv = {
    locations: readCsv(path.join(data, 'locations.csv')),
    links: readCsv(path.join(data, 'links.csv')),
    crossings: readCsv(path.join(data, 'crossings.csv')),
    services: readCsv(path.join(data, 'services.csv')),
  };
  const where = new Map(csv.locations.map((l) => [l.id, [Number(l.lon), Number(l.lat)]]));
  const geometry = { locations: 'Point', links: 'LineString', crossings: 'LineString', services: 'LineString' };
  const ends = {
    links: (r) => [r.from, r.to],
    crossings: (r) => [r.exit, r.entry],
    services: (r) => r.stops.split(';'),
  };

  for (const layer of Object.keys(geometry)) {
    const text = fs.readFileSync(path.join(out, `${layer}.geojson`), 'utf8');
    const issues = getIssues(text);
    check(issues.length === 0, `${layer}.geojson is valid GeoJSON${issues.length ? `: ${issues.slice(0, 3).map((x) => x.message).join('; ')}` : ''}`);
    const fc = JSON.parse(text);
    check(fc.type === 'FeatureCollection' && fc.name === layer, `${layer}: a FeatureCollection named ${layer}`);
    const types = new Set(fc.features.map((f) => f.geometry.type));
    check(types.size === 1 && types.has(geometry[layer]), `${layer}: only ${geometry[layer]} geometries (${[...types].join(', ')})`);
    check(fc.features.every((f) => f.properties.layer === layer), `${layer}: every feature says layer=${layer}`);
    check(fc.features.length === csv[layer].length, `${layer}: a feature per row of ${layer}.csv (${fc.features.length} of ${csv[layer].length})`);
    const byId = new Map(fc.features.map((f) => [f.properties.id, f]));
    let wrong = [];
    for (const r of csv[layer]) {
      const f = byId.get(r.id);
      const want = layer === 'locations' ? [where.get(r.id)] : ends[layer](r).map((id) => where.get(id));
      const got = !f ? null : layer === 'locations' ? [f.geometry.coordinates] : f.geometry.coordinates;
      if (!got || JSON.stringify(got) !== JSON.stringify(want)) wrong.push(r.id);
    }
    check(wrong.length === 0, `${layer}: geometry is the dataset's coordinates${wrong.length ? ` (wrong: ${wrong.slice(0, 5).join(', ')})` : ''}`);
  }
  // The hubs are dataset.toml's `hubs = [...]`.
  const hubs = JSON.parse(/^hubs\s*=\s*(\[.*\])\s*$/m.exec(fs.readFileSync(path.join(data, 'dataset.toml'), 'utf8'))[1]).sort();
  const marked = JSON.parse(fs.readFileSync(path.join(out, 'locations.geojson'), 'utf8')).features
    .filter((f) => f.properties.hub === true).map((f) => f.properties.id).sort();
  check(hubs.length > 0 && JSON.stringify(marked) === JSON.stringify(hubs), `the locations marked hub are dataset.toml's hubs (${marked.length})`);
  const links = JSON.parse(fs.readFileSync(path.join(out, 'links.geojson'), 'utf8')).features;
  const modes = new Set(links.map((f) => f.properties.mode));
  check(modes.has('rail') && modes.has('road'), `rail and road links are lines of the links layer (${[...modes].join(', ')})`);

  // The validator is not a rubber stamp: a line with one position fails.
  const broken = JSON.parse(fs.readFileSync(path.join(out, 'links.geojson'), 'utf8'));
  broken.features[0].geometry.coordinates = [broken.features[0].geometry.coordinates[0]];
  check(getIssues(JSON.stringify(broken)).length > 0, 'the validator rejects a LineString of one position');
} catch (e) {
  check(false, e.stack || String(e));
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
finish();
