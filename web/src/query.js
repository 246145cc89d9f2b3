// The query as data: what the form holds, what the page's URL holds, and what
// /v1/route is asked — one list of fields, so that a new option of the panel
// is one entry here and one input in index.html (`id` is the input's id and
// the parameter's name in the URL and the API).
// No DOM: also run by tests/web/units_test.mjs.

/// kind: `text` (one value), `list` (comma-separated in the form, a repeated
/// parameter: via=a&via=b), `checks` (a group of checkboxes, one
/// comma-separated parameter, sent only when not all are ticked).
/// `instant`: an ISO-8601 instant the page composes from date and time inputs.
/// `default`: the form's value when the URL does not say; a value equal to it
/// is left out of URLs and requests. `more`: shown under "More options".
export const FIELDS = [
  { id: 'from', kind: 'text' },
  { id: 'to', kind: 'text' },
  { id: 'depart', kind: 'text', instant: true },  // ISO-8601 with the origin's offset, from the date and time inputs
  // The cargo (app.js readForm): unit KG is general cargo by weight, units its
  // kilograms; otherwise boxes of a size, tonnes per box and their owner.
  { id: 'units', kind: 'text', default: '1' },
  { id: 'unit', kind: 'text', default: 'FEU' },
  { id: 'cargo_tonnes', kind: 'text' },
  { id: 'equipment', kind: 'text', default: 'coc' },
  { id: 'volume_m3', kind: 'text' },
  { id: 'deadline', kind: 'text', instant: true },  // ISO-8601, end of the deadline's day at the destination
  { id: 'via', kind: 'list', more: true },
  { id: 'avoid', kind: 'list', more: true },
  { id: 'mode', kind: 'checks', more: true, all: ['rail', 'road', 'ferry', 'sea', 'air'] },
  { id: 'by', kind: 'text', default: 'pareto', more: true },
  { id: 'value_of_time', kind: 'text', more: true },
];

/// Parameters of the page's URL that are not the route request's.
/// scenario: repeated, the scenarios ticked; option: the selected option, from 1.
export const VIEW = ['scenario', 'option'];

/// A query with every field at its default.
export function emptyQuery() {
  const q = { scenarios: [], option: 1 };
  for (const f of FIELDS) q[f.id] = f.kind === 'list' ? [] : f.kind === 'checks' ? [...f.all] : (f.default ?? '');
  return q;
}

function isDefault(f, v) {
  if (f.kind === 'list') return v.length === 0;
  if (f.kind === 'checks') return v.length === f.all.length && f.all.every((x) => v.includes(x));
  return v === '' || v === (f.default ?? '');
}

/// The route request of `q` (without scenarios): only what differs from the
/// defaults, in the order of FIELDS.
export function routeParams(q) {
  const p = new URLSearchParams();
  for (const f of FIELDS) {
    const v = q[f.id];
    if (isDefault(f, v)) continue;
    if (f.kind === 'list') for (const x of v) p.append(f.id, x);
    else if (f.kind === 'checks') p.set(f.id, v.join(','));
    else p.set(f.id, v);
  }
  return p;
}

/// The page's URL parameters of `q`: the request, then the scenarios and the
/// selected option. Reading them back with fromParams() gives `q` again.
export function pageParams(q) {
  const p = routeParams(q);
  for (const s of q.scenarios) p.append('scenario', s);
  if (q.option > 1) p.set('option', String(q.option));
  return p;
}

/// The query a page URL's parameters hold; fields it does not name keep their
/// defaults. Unknown parameters are ignored.
export function fromParams(params) {
  const q = emptyQuery();
  for (const f of FIELDS) {
    if (!params.has(f.id)) continue;
    if (f.kind === 'list') {
      q[f.id] = params.getAll(f.id).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
    } else if (f.kind === 'checks') {
      q[f.id] = params.get(f.id).split(',').map((x) => x.trim()).filter((x) => f.all.includes(x));
    } else {
      q[f.id] = params.get(f.id);
    }
  }
  q.scenarios = params.getAll('scenario').filter(Boolean);
  const option = Number.parseInt(params.get('option') ?? '1', 10);
  q.option = Number.isFinite(option) && option >= 1 ? option : 1;
  return q;
}

/// The fields under "More options" that `q` sets to something else than the
/// default, for the panel's summary.
export function moreSet(q) {
  return FIELDS.filter((f) => f.more && !isDefault(f, q[f.id])).map((f) => f.id);
}
