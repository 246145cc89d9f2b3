// Local time in a location's IANA zone, from the browser's own time zone
// database (Intl): instants stay UTC (ISO-8601 from the API), and only what a
// person reads or types is local. No DOM: also run by tests/web/units_test.mjs.

const parts = new Map();  // zone -> Intl.DateTimeFormat

function formatter(zone) {
  if (!parts.has(zone)) {
    parts.set(zone, new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  return parts.get(zone);
}

// The wall clock of `zone` at the instant `ms` (milliseconds since the epoch),
// as the milliseconds of that wall time read as if it were UTC.
function wallClock(zone, ms) {
  const p = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/// Minutes east of UTC in `zone` at the instant `ms`: 480 for Asia/Shanghai.
export function offsetMinutes(zone, ms) {
  return Math.round((wallClock(zone, ms) - Math.floor(ms / 1000) * 1000) / 60000);
}

/// `+05:00` for 300 minutes, `-03:30` for -210.
export function offsetText(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/// The instant `iso` (ISO-8601 with Z or an offset) on the wall clock of
/// `zone`: `2026-03-04 23:09 +05:00`, the way the CLI's table writes it. UTC
/// when the zone is unknown.
export function localTime(iso, zone) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const z = zone || 'UTC';
  let wall;
  let off;
  try {
    wall = wallClock(z, ms);
    off = offsetMinutes(z, ms);
  } catch {
    wall = Math.floor(ms / 1000) * 1000;
    off = 0;
  }
  const s = new Date(wall).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} ${offsetText(off)}`;
}

/// The wall time `date` (`2026-03-02`) `time` (`08:00`) in `zone`, as an
/// ISO-8601 instant with that zone's offset then: `2026-03-02T08:00+08:00`.
/// A wall time that a DST change skips is read with the offset before the
/// change, which names the instant as far after the change as the wall time
/// is into the gap (02:30 on a 02:00 -> 03:00 night is 03:30 summer time).
export function zonedIso(date, time, zone) {
  const wall = Date.parse(`${date}T${time || '00:00'}:00Z`);
  if (Number.isNaN(wall)) return '';
  if (!zone) return `${date}T${time || '00:00'}Z`;
  // The offset at the instant the wall time would be under the offset at
  // `wall`; once more in case that instant is across a change.
  let off = offsetMinutes(zone, wall);
  off = offsetMinutes(zone, wall - off * 60000);
  return `${date}T${time || '00:00'}${offsetText(off)}`;
}

/// An ISO-8601 instant `2026-03-02T08:00+08:00` split into its own wall
/// clock: {date: '2026-03-02', time: '08:00'}; null when it is not one.
export function splitIso(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso ?? '');
  return m ? { date: m[1], time: m[2] ?? '00:00' } : null;
}
