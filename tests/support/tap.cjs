// What the node test scripts share: their --name VALUE arguments and a count
// of checks printed one per line (`ok - …` / `not ok - …`) and summed up as
// `N passed, N failed`, which ctest's log and CI read.
'use strict';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
}

const counts = { passed: 0, failed: 0 };

function check(cond, what) {
  if (cond) counts.passed++; else counts.failed++;
  console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
}

// Prints the summary and exits 0 when every check passed.
function finish() {
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}

module.exports = { arg, check, counts, finish };
