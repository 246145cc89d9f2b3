// Builds the web UI into one folder that `caravan serve` serves at /.
// No bundler and no network: the app's own files are copied as they are and
// the libraries come from node_modules (installed from package-lock.json):
//   vendor/leaflet/         the map
//   vendor/topojson-client  turns world-atlas TopoJSON into GeoJSON
//   vendor/countries-50m    Natural Earth country outlines (world-atlas), the offline basemap
// Usage: node build.mjs OUTDIR
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'dist'));
const modules = join(here, 'node_modules');

const vendor = [
  ['leaflet/dist/leaflet.js', 'vendor/leaflet/leaflet.js'],
  ['leaflet/dist/leaflet.css', 'vendor/leaflet/leaflet.css'],
  ['leaflet/dist/images', 'vendor/leaflet/images'],
  ['leaflet/LICENSE', 'vendor/licenses/leaflet.txt'],
  ['topojson-client/dist/topojson-client.min.js', 'vendor/topojson-client.min.js'],
  ['topojson-client/LICENSE', 'vendor/licenses/topojson-client.txt'],
  ['world-atlas/countries-50m.json', 'vendor/countries-50m.json'],
  ['world-atlas/LICENSE', 'vendor/licenses/world-atlas.txt'],
];

for (const [from] of vendor) {
  if (!existsSync(join(modules, from))) {
    console.error(`build.mjs: missing node_modules/${from} (run npm ci in web/)`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(here, 'src'), out, { recursive: true });
for (const [from, to] of vendor) {
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(join(modules, from), join(out, to), { recursive: true });
}
console.log(`web ui built in ${out}`);
