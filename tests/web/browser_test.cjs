// Browser test of the web map: searches Xi'an -> Tashkent and checks what a
// person would: the options, select one, the route on the map and the
// time/cost-distance chart, toggle a scenario and see the answer change, the
// trade-lane matrix, more options, a bad query explained, the keyboard
// working, and (harness.cjs) no request leaving the machine.
// share_test.cjs checks what is shared and kept: URL, exports, the quote.
// Screenshots go to --artifacts.
//
// node browser_test.cjs --caravan BIN --web DIR --node-modules DIR --artifacts DIR
'use strict';
const path = require('node:path');
const { arg, check, finish } = require('../support/tap.cjs');
const { withBrowser } = require('./harness.cjs');

async function main() {
  await withBrowser(async ({ page, url, artifacts }) => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
    check(await page.locator('#map .leaflet-overlay-pane path').count() > 100, 'basemap countries drawn from world-atlas');

    // Search with the autocomplete, by keyboard.
    await page.click('#from');
    await page.keyboard.type("Xi'an");
    await page.waitForSelector('#from-list li');
    check((await page.textContent('#from-list li:first-child')).includes('xian'), 'autocomplete offers Xi\'an');
    await page.keyboard.press('Enter');
    check(await page.inputValue('#from') === "Xi'an", 'Enter picks the suggestion');
    await page.click('#to');
    await page.keyboard.type('tashk');
    await page.waitForSelector('#to-list li');
    await page.keyboard.press('Enter');
    await page.fill('#depart', '2026-03-02');
    await page.fill('#deadline', '2026-03-12');
    await page.press('#units', 'Enter');  // submits the form
    await page.waitForSelector('#options-table tbody tr', { timeout: 60000 });
    const rows = await page.locator('#options-table tbody tr').count();
    check(rows >= 2, `Pareto options listed (${rows})`);
    check((await page.textContent('#ontime-head')) === 'on time', 'the deadline brings the on-time column');
    const firstRow = await page.textContent('#options-table tbody tr:first-child');
    check(/\d+%/.test(firstRow), `on-time probability shown (${firstRow.replace(/\s+/g, ' ').trim()})`);
    check(await page.locator('#scatter circle').count() === rows, 'one scatter point per option');

    // Select option 2 with a click on its row.
    await page.click('#options-table tbody tr:nth-child(2)');
    check(await page.getAttribute('#options-table tbody tr:nth-child(2)', 'aria-selected') === 'true', 'clicked option selected');
    const legs = await page.locator('#map path.route-leg').count();
    check(legs >= 2, `route drawn on the map (${legs} moving legs)`);
    check(await page.locator('#map .marker-border').count() >= 1, 'border crossings marked on the map');
    check(await page.locator('#chart-time polyline').count() === 1 && await page.locator('#chart-cost polyline').count() === 1,
      'time-distance and cost-distance charts drawn');
    const pts = (await page.getAttribute('#chart-time polyline', 'points')).trim().split(/\s+/).length;
    check(pts >= 3, `chart has a point per leg (${pts})`);
    await page.click('#map path.route-leg >> nth=0', { force: true });
    await page.waitForSelector('.leaflet-popup-content', { timeout: 5000 });
    check((await page.textContent('.leaflet-popup-content')).includes('depart'), 'a leg popup shows its times');
    await page.screenshot({ path: path.join(artifacts, 'route.png') });

    // A click on a scatter point selects that option.
    await page.click('#scatter circle[data-option="1"]', { force: true });
    check(await page.getAttribute('#options-table tbody tr:nth-child(1)', 'aria-selected') === 'true', 'scatter click selects option 1');

    // Keyboard: arrow down from the focused row, Enter selects.
    await page.focus('#options-table tbody tr:nth-child(1)');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    check(await page.getAttribute('#options-table tbody tr:nth-child(2)', 'aria-selected') === 'true', 'keyboard selects option 2');

    // The network layer toggles.
    const before = await page.locator('#map .leaflet-overlay-pane path').count();
    await page.check('#show-network');
    const withNetwork = await page.locator('#map .leaflet-overlay-pane path').count();
    check(withNetwork > before + 50, `network layer shown (${withNetwork - before} links)`);
    await page.screenshot({ path: path.join(artifacts, 'network.png') });
    await page.uncheck('#show-network');

    // A scenario toggle re-runs the query and shows base against scenario.
    const baseTable = await page.textContent('#options-table tbody');
    await page.check('#scenario-list input[value="green-lanes"]');
    await page.waitForFunction(() => document.getElementById('options-note').textContent.includes('against the same route in the base'), null,
      { timeout: 60000 });
    const scenarioTable = await page.textContent('#options-table tbody');
    check(scenarioTable !== baseTable, 'green lanes change the options');
    check(await page.locator('#options-table .delta.better').count() >= 1, 'some option is faster or cheaper than the base');
    check(!(await page.textContent('#options-table')).includes('NaN'), 'every change against the base is a number or "new"');
    await page.click('#options-table tbody tr:nth-child(2)');
    check(await page.locator('#chart-time polyline').count() === 2, 'chart shows scenario and base side by side');
    check(await page.locator('#scatter circle[data-group="base"]').count() >= 1, 'scatter shows the base options too');
    await page.screenshot({ path: path.join(artifacts, 'scenario.png') });

    // The scenario's effect on every trade lane: a hub-by-hub matrix of changes.
    await page.click('#lanes-go');
    await page.waitForSelector('#lanes-table td.lane', { timeout: 60000 });
    const lanes = await page.locator('#lanes-table td.lane').count();
    const hubs = await page.locator('#lanes-table thead th').count() - 1;
    check(hubs >= 10 && lanes === hubs * (hubs - 1), `trade-lane matrix has every ordered pair of ${hubs} hubs (${lanes})`);
    check(await page.locator('#lanes-table td.better').count() >= 1, 'green lanes make some trade lane faster');
    check(/Mean change over \d+ pairs/.test(await page.textContent('#lanes-means')), 'network-wide mean change stated');
    await page.locator('#lanes-table td.better').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'lanes.png') });
    const lanePair = (await page.locator('#lanes-table td.better').first().getAttribute('title')).split(':')[0];
    await page.locator('#lanes-table td.better').first().click();
    await page.waitForFunction((pair) => document.getElementById('message').textContent.startsWith(pair), lanePair);
    check(`${await page.inputValue('#from')} → ${await page.inputValue('#to')}` === lanePair,
      `clicking a lane plans that pair (${lanePair})`);
    check(await page.isVisible('#lanes'), 'the trade-lane matrix stays while a pair of it is planned');
    await page.fill('#from', "Xi'an");
    await page.fill('#to', 'Tashkent');
    await page.uncheck('#scenario-list input[value="green-lanes"]');
    await page.waitForFunction(() => !document.getElementById('options-note').textContent.includes('against the same route in the base'));
    check(!(await page.isVisible('#lanes')), 'the trade-lane matrix of a scenario no longer ticked is cleared');

    // More options: a via place and an avoided country reach the planner.
    await page.click('#more summary');
    await page.fill('#via', 'Bishkek');
    await page.click('#go');
    await page.waitForFunction(() => /via/.test(document.getElementById('more-note').textContent) &&
      document.getElementById('message').textContent.includes('option'));
    const viaLegs = await page.evaluate(() => [...document.querySelectorAll('#legs li')].map((li) => li.textContent).join(' '));
    check(/Bishkek/.test(viaLegs), 'a via place is on the selected route');
    await page.fill('#via', '');
    await page.fill('#avoid', 'KZ');
    await page.click('#go');
    await page.waitForFunction(() => /avoid/.test(document.getElementById('more-note').textContent) &&
      document.getElementById('message').textContent.includes('option'));
    const avoidLegs = await page.evaluate(() => [...document.querySelectorAll('#legs li')].map((li) => li.textContent).join(' '));
    const kzNames = await page.evaluate(async () => {
      const net = await (await fetch('/v1/network')).json();
      return net.features.filter((f) => f.geometry.type === 'Point' && f.properties.country === 'KZ').map((f) => f.properties.name);
    });
    check(kzNames.length >= 10 && avoidLegs.length > 0 && !kzNames.some((n) => avoidLegs.includes(n)),
      'avoiding KZ keeps the selected route out of Kazakhstan');
    await page.fill('#avoid', '');
    for (const m of ['rail', 'road', 'ferry', 'sea', 'air']) await page.uncheck(`#mode input[value="${m}"]`);
    await page.click('#go');
    await page.waitForSelector('#message.error');
    check(await page.getAttribute('#mode', 'aria-invalid') === 'true', 'no mode ticked is explained and marked');
    for (const m of ['rail', 'road', 'ferry', 'sea', 'air']) await page.check(`#mode input[value="${m}"]`);
    await page.fill('#cargo_tonnes', '500');
    await page.click('#go');
    await page.waitForSelector('#message.error');
    check(await page.getAttribute('#cargo_tonnes', 'aria-invalid') === 'true' &&
      (await page.textContent('#message')).includes('tonnes'), 'an impossible cargo mass is explained by the server');
    await page.fill('#cargo_tonnes', '');

    // A bad query is explained and the field marked.
    await page.fill('#to', 'Atlantis');
    await page.click('#go');
    await page.waitForSelector('#message.error');
    const msg = await page.textContent('#message');
    check(msg.includes('unknown place "Atlantis"'), `bad place explained (${msg})`);
    check(await page.getAttribute('#to', 'aria-invalid') === 'true', 'the bad field is marked');
    await page.screenshot({ path: path.join(artifacts, 'error.png') });
  });
  console.log(`screenshots: ${['route', 'network', 'scenario', 'lanes', 'error'].map((n) => path.join(arg('artifacts'), `${n}.png`)).join(' ')}`);
  finish();
}

main().catch((e) => {
  check(false, e.stack || String(e));
  finish();
});
