// What the browser tests share: `caravan serve` on 127.0.0.1 with a free
// port, Debian's chromium driven by playwright-core (no downloaded browser),
// every request outside the server refused and counted, and script errors
// collected. Each test script passes its checks to tap.cjs.
//   node TEST.cjs --caravan BIN --web DIR --node-modules DIR --artifacts DIR
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { arg, check } = require('../support/tap.cjs');

const CHROMIUM = '/usr/bin/chromium';

function startServer(caravan, webDir) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.CARAVAN_TOKEN;
    const child = spawn(caravan, ['serve', '--port', '0', '--web', webDir, '--db', ':memory:'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(http:\/\/127\.0\.0\.1:\d+\/)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', () => {});  // the access log
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/// Runs `body({page, context, url, artifacts, nodeModules})` against a fresh
/// server and browser, then checks that no script failed and no request left
/// the machine, and tidies up.
async function withBrowser(body) {
  const caravan = arg('caravan');
  const webDir = arg('web');
  const artifacts = arg('artifacts');
  const nodeModules = arg('node-modules');
  const { chromium } = require(path.join(nodeModules, 'playwright-core'));
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (scripts/install-deps installs chromium)`);
  if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error(`no web UI in ${webDir}`);
  fs.mkdirSync(artifacts, { recursive: true });
  const { child, url } = await startServer(caravan, webDir);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const origin = new URL(url).origin;
  const outside = [];
  const errors = [];
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // Nothing may leave the machine: every request goes to the server or is refused.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      outside.push(u);
      return route.abort();
    });
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(e.message)));
    page.on('pageerror', (e) => errors.push(e.message));
    await body({ page, context, url, artifacts, nodeModules });
    check(errors.length === 0, `no script errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
    check(outside.length === 0, `no request left the machine${outside.length ? `: ${outside.join(', ')}` : ''}`);
  } finally {
    await context.close();
    child.kill('SIGTERM');
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = { withBrowser };
