// An RFC 4180 reader of the tests' own, so that files the program writes or
// reads are checked without its code: rows as objects keyed by the header.
// A leading byte-order mark and blank lines are skipped; CRLF or LF ends a row.
'use strict';

function parseCsv(text) {
  const t = text.replace(/^\ufeff/, '');
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

module.exports = { parseCsv };
