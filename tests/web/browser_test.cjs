// Browser test of the web map: searches Xi'an -> Tashkent and checks what a
// person would: the options, select one, the route on the map and the
// time/cost-distance chart, toggle a scenario and see the answer change, the
// trade-lane matrix, more options, the cargo selector (kg cargo may fly,
// containers never), a bad query explained, the keyboard
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
    // The base is drawn beside an option only when the base has the same route;
    // green lanes add new routes (no base to draw), so pick the first option that
    // the scenario made faster on a route the base takes too.
    const sameRouteFaster = await page.locator('#options-table tbody tr').evaluateAll((trs) =>
      trs.findIndex((tr) => tr.cells[1].querySelector('.delta.better')) + 1);
    check(sameRouteFaster >= 1, `an option on a base route is faster with green lanes (option ${sameRouteFaster})`);
    await page.click(`#options-table tbody tr:nth-child(${Math.max(sameRouteFaster, 1)})`);
    const timeLines = await page.locator('#chart-time polyline').evaluateAll((ls) => ls.map((l) => l.getAttribute('points')));
    check(timeLines.length === 2 && timeLines[0] !== timeLines[1], 'chart shows scenario and base side by side');
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
    check((await page.textContent('#cargo_tonnes-error')).startsWith('cargo_tonnes:'),
      'the server\'s error stands beside the field it names');
    await page.fill('#cargo_tonnes', '');

    // The cargo selector. The request the page sends and the answer it gets
    // are read off the wire; what the table and the map show must follow them.
    const planned = async () => {
      const [req, res] = await Promise.all([
        page.waitForRequest((r) => r.url().includes('/v1/route?')),
        page.waitForResponse((r) => r.url().includes('/v1/route?')),
        page.click('#go'),
      ]);
      await page.waitForFunction(() => !document.getElementById('go').disabled);
      return { params: new URL(req.url()).searchParams, body: await res.json(), status: res.status() };
    };
    const flies = (it) => it.legs.some((l) => l.kind === 'air');
    const shownModes = () => page.$$eval('#options-table td.modes', (tds) => tds.map((td) => td.textContent));

    // General cargo by weight: kilograms and a volume, no boxes.
    await page.check('#kind-kg');
    check(await page.textContent('#units-label') === 'Weight kg' && await page.isVisible('#volume_m3') &&
      await page.isHidden('#cargo_tonnes') && await page.isHidden('#equipment') && await page.isHidden('#unit'),
    'general cargo asks for kilograms and a volume instead of boxes');
    await page.fill('#units', '2000');
    await page.fill('#volume_m3', '0');
    const badVolume = await planned();
    check(badVolume.status === 400 && badVolume.body.error.field === 'volume_m3' &&
      await page.getAttribute('#volume_m3', 'aria-invalid') === 'true' &&
      (await page.textContent('#volume_m3-error')).startsWith('volume_m3:'),
    `a bad volume is refused by the server and explained beside the field (${badVolume.body.error?.message})`);
    await page.fill('#volume_m3', '');
    const kg = await planned();
    check(kg.params.get('unit') === 'KG' && kg.params.get('units') === '2000' && !kg.params.has('cargo_tonnes') &&
      !kg.params.has('equipment'), `kg cargo sends unit=KG and units=2000 (${kg.params})`);
    check(!(await page.$('#volume_m3-error')), 'the error goes once the value is good');
    const kgAir = kg.body.itineraries.map(flies);
    const kgShown = await shownModes();
    check(kgShown.length === kgAir.length && kgShown.every((m, i) => m.includes('air') === kgAir[i]),
      `an option shows air exactly when the answer flies it (${kgShown.join(' | ')})`);
    // Xi'an -> Tashkent by weight has both: a flight from Urumqi and trucks all the way.
    check(kgAir.some((a) => a) && kgAir.some((a) => !a), 'kg cargo is offered both air and road options here');
    const airRow = kgAir.indexOf(true);
    if (airRow >= 0) {
      await page.click(`#options-table tbody tr:nth-child(${airRow + 1})`);
      check(await page.locator('#map path.leg-air').count() >= 1, 'the air option\'s flight is drawn on the map');
    }
    await page.screenshot({ path: path.join(artifacts, 'cargo.png') });
    const kgUrl = new URL(page.url()).searchParams;
    check(kgUrl.get('unit') === 'KG' && kgUrl.get('units') === '2000', `the page's URL keeps the kg cargo (${kgUrl})`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
    await page.waitForSelector('#options-table tbody tr', { timeout: 60000 });
    check(await page.isChecked('#kind-kg') && await page.inputValue('#units') === '2000' && await page.isVisible('#volume_m3') &&
      (await shownModes()).length === kgAir.length, 'a reload plans the same kg cargo again');

    // Containers never fly: an FEU gets no air leg, in the answer or on the page.
    await page.check('#kind-boxes');
    check(await page.inputValue('#units') === '1', 'back to containers, the box count comes back');
    await page.selectOption('#unit', 'FEU');
    const feu = await planned();
    // FEU and one box are the defaults, which the page leaves out of the request.
    check((feu.params.get('unit') ?? 'FEU') === 'FEU' && (feu.params.get('units') ?? '1') === '1' &&
      !feu.params.has('volume_m3') && feu.body.query.unit === 'FEU' && feu.body.query.units === 1,
    `containers are asked as one FEU (${feu.params})`);
    const feuShown = await shownModes();
    check(feu.body.itineraries.length >= 1 && !feu.body.itineraries.some(flies) && feuShown.length === feu.body.itineraries.length &&
      !feuShown.some((m) => m.includes('air')), `no FEU option flies (${feuShown.join(' | ')})`);
    let airDrawn = 0;
    for (let i = 1; i <= feuShown.length; i++) {
      await page.click(`#options-table tbody tr:nth-child(${i})`);
      airDrawn += await page.locator('#map path.leg-air').count();
      airDrawn += (await page.$$eval('#legs li', (lis) => lis.filter((li) => li.textContent.startsWith('air')).length));
    }
    check(airDrawn === 0, 'no FEU option draws or lists an air leg');

    // The value of time and the generalized choice, with the SOC boxes of the shipper.
    await page.selectOption('#equipment', 'soc');
    if (await page.getAttribute('#more', 'open') === null) await page.click('#more summary');  // closed by the reload
    await page.selectOption('#by', 'generalized');
    await page.fill('#value_of_time', '5000');
    const badTime = await planned();
    check(badTime.body.error?.field === 'value_of_time' && (await page.textContent('#value_of_time-error')).startsWith('value_of_time:'),
      `a value of time out of range is explained beside its field (${badTime.body.error?.message})`);
    await page.fill('#value_of_time', '40');
    const gen = await planned();
    check(gen.params.get('by') === 'generalized' && gen.params.get('value_of_time') === '40' && gen.params.get('equipment') === 'soc' &&
      gen.body.itineraries.length === 1 && await page.locator('#options-table tbody tr').count() === 1,
    `by=generalized, value_of_time and equipment=soc are sent and one option shown (${gen.params})`);
    await page.selectOption('#equipment', 'coc');
    await page.selectOption('#by', 'pareto');
    await page.fill('#value_of_time', '');

    // A bad query is explained and the field marked.
    await page.fill('#to', 'Atlantis');
    await page.click('#go');
    await page.waitForSelector('#message.error');
    const msg = await page.textContent('#message');
    check(msg.includes('unknown place "Atlantis"'), `bad place explained (${msg})`);
    check(await page.getAttribute('#to', 'aria-invalid') === 'true', 'the bad field is marked');
    await page.screenshot({ path: path.join(artifacts, 'error.png') });
  });
  console.log(`screenshots: ${['route', 'network', 'scenario', 'lanes', 'cargo', 'error'].map((n) => path.join(arg('artifacts'), `${n}.png`)).join(' ')}`);
  finish();
}

main().catch((e) => {
  check(false, e.stack || String(e));
  finish();
});
