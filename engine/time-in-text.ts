/**
 * Date-times written inside text (log bodies, messages, quoted or padded values) found and rounded down in place
 * (`values.timestamps: coarsen`). Each form is read as wall-clock fields; the fields are rounded down to the precision
 * on that clock (the zone, offset or zone name written after them is left as written, so the text keeps its layout)
 * and written back in the same widths and names. See `docs/minimization.md` for the forms.
 */

import { fractionMillis } from './time-precision';

/** A text edit: `text` replaces `[start, end)`. */
export interface TimeEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * A necessary condition of every form `findTimeEdits` reads: an hour and minute written `h:mm` (every form but ISO's
 * basic one) or a `T` between digits (ISO basic, `20261205T101112`). The value scanner's single pass
 * (`engine/detectors/prefilter.ts`) sets its time bit from this; a test fails when it changes.
 */
export const TIME_TRIGGER = /\d:\d|\d[Tt]\d/;

type Field = 'Y' | 'M' | 'MON' | 'D' | 'W' | 'WD' | 'WN' | 'O' | 'O2' | 'h' | 'm' | 's' | 'f';

const MON =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WN = '(Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)';
/** `hh:mm[:ss[.f]]`, the hour one or two digits (`hh` in ISO forms). */
const CLOCK = (hour: string) => `(${hour}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?(?![\\d:])`;
const TIME_FIELDS: Field[] = ['h', 'm', 's', 'f'];

/** The forms: a pattern and the field each of its groups holds, in order. */
const FORMS: readonly { readonly source: string; readonly fields: readonly Field[] }[] = [
  // ISO 8601 / RFC 3339 extended: 2026-12-05T10:11:12.345Z, 2026-12-05 10:11:12,345 UTC, 2026-12-05_10:11
  {
    source: `(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt]|[ _]{1,2})${CLOCK('\\d{2}')}`,
    fields: ['Y', 'M', 'D', ...TIME_FIELDS],
  },
  // ISO basic: 20261205T101112.345Z, 20261205T1011
  {
    source: '(?<!\\d)(\\d{4})(\\d{2})(\\d{2})[Tt](\\d{2})(\\d{2})(?:(\\d{2})(?:[.,](\\d+))?)?(?!\\d)',
    fields: ['Y', 'M', 'D', ...TIME_FIELDS],
  },
  // ISO week date with a time: 2026-W49-6T10:11:12, 2026W496T10:11:12
  {
    source: `(?<!\\d)(\\d{4})-?[Ww](\\d{2})-?([1-7])(?:[Tt]| {1,2})${CLOCK('\\d{2}')}`,
    fields: ['Y', 'W', 'WD', ...TIME_FIELDS],
  },
  // ISO ordinal date with a time: 2026-339T10:11:12
  {
    source: `(?<!\\d)(\\d{4})(?:-(\\d{3})(?:[Tt]| {1,2})|(\\d{3})[Tt])${CLOCK('\\d{2}')}`,
    fields: ['Y', 'O', 'O2', ...TIME_FIELDS],
  },
  // the same order with slashes or dots: 2026/12/05 10:11:12, 2026.12.05 10:11:12
  {
    source: `(?<!\\d)(\\d{4})[/.](\\d{2})[/.](\\d{2})(?:[Tt]| {1,2})${CLOCK('\\d{2}')}`,
    fields: ['Y', 'M', 'D', ...TIME_FIELDS],
  },
  // RFC 5322/2822, HTTP-date (IMF-fixdate), RFC 850: Sun, 06 Nov 1994 08:49:37 GMT; Sunday, 06-Nov-94 08:49:37 GMT
  {
    source: `(?:\\b${WN},? {1,2})?(?<![\\d])(\\d{1,2})[ -]${MON}[ -](\\d{4}|\\d{2})(?!\\d) {1,2}${CLOCK('\\d{1,2}')}`,
    fields: ['WN', 'D', 'MON', 'Y', ...TIME_FIELDS],
  },
  // Date.prototype.toString(): Sat Dec 05 2026 10:11:12 GMT+0000 (Coordinated Universal Time); Dec 5, 2026 10:11:12
  {
    source: `(?:\\b${WN},? {1,2})?\\b${MON} {1,2}(\\d{1,2}),? {1,2}(\\d{4}),? {1,2}${CLOCK('\\d{1,2}')}`,
    fields: ['WN', 'MON', 'D', 'Y', ...TIME_FIELDS],
  },
  // asctime (HTTP's third date form): Sun Nov  6 08:49:37 1994
  {
    source: `\\b${WN} {1,2}${MON} {1,2}(\\d{1,2}) {1,2}${CLOCK('\\d{1,2}')} {1,2}(\\d{4})(?!\\d)`,
    fields: ['WN', 'MON', 'D', ...TIME_FIELDS, 'Y'],
  },
  // Common/Combined Log Format: 10/Oct/2000:13:55:36 -0700
  { source: `(?<!\\d)(\\d{1,2})/${MON}/(\\d{4}):${CLOCK('\\d{2}')}`, fields: ['D', 'MON', 'Y', ...TIME_FIELDS] },
];

/** Number of capturing groups in a pattern source. */
function groupCount(source: string): number {
  return new RegExp(`${source}|`).exec('')!.length - 1;
}

/**
 * The forms as one pattern (compiled once) that finds a date-time: each form is one group. Then the form's own sticky
 * pattern with indices (`d`) re-reads the match for its fields' positions: indices on the combined pattern (70 groups)
 * cost 20 times the search.
 */
const { PATTERN, LAYOUT } = (() => {
  const layout: { group: number; fields: readonly Field[]; sticky: RegExp }[] = [];
  let group = 1;
  for (const f of FORMS) {
    if (groupCount(f.source) !== f.fields.length) throw new Error(`time form field count: ${f.source}`);
    layout.push({ group, fields: f.fields, sticky: new RegExp(f.source, 'iyd') });
    group += 1 + f.fields.length;
  }
  return { PATTERN: new RegExp(FORMS.map((f) => `(${f.source})`).join('|'), 'gi'), LAYOUT: layout };
})();

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;
const DATE_FIELDS = new Set<Field>(['Y', 'M', 'MON', 'D', 'W', 'WD', 'WN', 'O', 'O2']);

/**
 * `name` (a month or weekday as written) for another month or weekday: the same length class and case. A name of
 * three letters is short (`May` becomes `Apr`, not `April`: `Thu, 29 May 1999` is an HTTP-date).
 */
function renameLike(written: string, full: string): string {
  const lower = written.toLowerCase();
  const isFull = lower.length > 3 && [...MONTH_NAMES, ...DAY_NAMES].some((n) => n.toLowerCase() === lower);
  let out = isFull ? full : full.slice(0, 3);
  if (written === written.toUpperCase()) out = out.toUpperCase();
  else if (written === written.toLowerCase()) out = out.toLowerCase();
  return out;
}

/** Unix milliseconds of a UTC calendar date, or NaN when the fields are out of range. */
function dateMillis(year: number, month: number, day: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCDate() === day && d.getUTCMonth() === month - 1 ? d.getTime() : NaN;
}

/** The Monday of ISO week 1 of `year` (the week with 4 January). */
function isoWeekOne(year: number): number {
  const jan4 = dateMillis(year, 1, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

/** ISO week-numbering year, week and weekday (1 = Monday) of a UTC date. */
function isoWeek(ms: number): [number, number, number] {
  const weekday = ((new Date(ms).getUTCDay() + 6) % 7) + 1;
  const thursday = ms + (4 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  return [year, Math.floor((thursday - isoWeekOne(year)) / (7 * DAY_MS)) + 1, weekday];
}

/**
 * The edits that round every date-time with a time of day in `text` down to `precisionMillis` (on the clock it is
 * written in), or `undefined` when there is none finer than that. Dates without a time, times without a date, and
 * fields out of range (month 13, 30 February, hour 24, week 54) are left alone.
 */
export function findTimeEdits(text: string, precisionMillis: number): TimeEdit[] | undefined {
  const n = text.length;
  const edits: TimeEdit[] = [];
  // A short text: the pattern once over it. A long one: only in a window around each trigger (`TIME_TRIGGER`: a
  // digit, `:` or `T`/`t`, a digit), so it costs a character loop, not nine alternatives tried at every position.
  if (n <= WHOLE) searchWindow(text, 0, n, 0, precisionMillis, edits);
  else
    for (let i = 1, covered = 0; i < n - 1; i++) {
      const c = text.charCodeAt(i);
      if ((c !== 58 && (c | 32) !== 116) || i < covered) continue;
      if (!isDigit(text.charCodeAt(i - 1)) || !isDigit(text.charCodeAt(i + 1))) continue;
      // a window cut inside a run of digits or at a fraction's `.`/`,` (a fraction of any length) reaches past its end
      let to = Math.min(n, i + AFTER);
      while (
        to < n &&
        (isDigit(text.charCodeAt(to - 1)) || (isDecimalMark(text.charCodeAt(to - 1)) && isDigit(text.charCodeAt(to))))
      )
        to++;
      covered = Math.max(i + 1, searchWindow(text, Math.max(0, i - BEFORE), to, covered, precisionMillis, edits));
    }
  return edits.length > 0 ? edits : undefined;
}

/**
 * The date-times in `text[from, to)` that start at or after `covered`, rounded (edits appended to `edits`); returns
 * where the last one found ends (or `covered`).
 */
function searchWindow(
  text: string,
  from: number,
  to: number,
  covered: number,
  precision: number,
  edits: TimeEdit[],
): number {
  const window = from === 0 && to === text.length ? text : text.slice(from, to);
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(window); m !== null; m = PATTERN.exec(window)) {
    const end = m.index + m[0].length;
    // At a cut window edge the characters beyond are unknown (`(?<!\d)`, `(?!\d)`): no form reaches that far.
    if ((m.index === 0 && from > 0) || (end === window.length && to < text.length) || from + m.index < covered)
      continue;
    const form = LAYOUT.find((l) => m[l.group] !== undefined)!;
    form.sticky.lastIndex = m.index;
    const fields = form.sticky.exec(window);
    const edit = fields === null ? undefined : coarsenMatch(fields, 0, form.fields, precision, from);
    if (edit !== undefined) edits.push(edit);
    covered = from + end;
  }
  return covered;
}

/** Texts up to this long are searched whole; longer ones around their triggers. */
const WHOLE = 256;

/** How far before and after its trigger a form can reach (with room to spare): the window the pattern runs in. */
const BEFORE = 48;
const AFTER = 40;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `.` or `,`: what stands before a fraction of a second. */
function isDecimalMark(c: number): boolean {
  return c === 46 || c === 44;
}

/** `text` with every date-time in it rounded down (see `findTimeEdits`), or `undefined` when nothing changes. */
export function coarsenTimesInText(text: string, precisionMillis: number): string | undefined {
  const edits = findTimeEdits(text, precisionMillis);
  if (edits === undefined) return undefined;
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

function coarsenMatch(
  m: RegExpExecArray,
  group: number,
  fields: readonly Field[],
  precision: number,
  offset: number,
): TimeEdit | undefined {
  const v: Partial<Record<Field, string>> = {};
  const at: Partial<Record<Field, number>> = {};
  fields.forEach((f, i) => {
    v[f] = m[group + 1 + i];
    at[f] = group + 1 + i;
  });
  let year = Number(v.Y);
  if (v.Y !== undefined && v.Y.length === 2) year += year < 50 ? 2000 : 1900;
  let day: number;
  if (v.W !== undefined) {
    const week = Number(v.W);
    if (week < 1 || week > 53) return undefined;
    day = isoWeekOne(year) + ((week - 1) * 7 + Number(v.WD) - 1) * DAY_MS;
    if (isoWeek(day)[0] !== year) return undefined;
  } else if (v.O !== undefined || v.O2 !== undefined) {
    const ordinal = Number(v.O ?? v.O2);
    day = dateMillis(year, 1, 1) + (ordinal - 1) * DAY_MS;
    if (ordinal < 1 || new Date(day).getUTCFullYear() !== year) return undefined;
  } else {
    const month = v.MON !== undefined ? monthOf(v.MON) : Number(v.M);
    day = dateMillis(year, month, Number(v.D));
  }
  const hour = Number(v.h);
  const minute = Number(v.m);
  const second = v.s === undefined ? 0 : Number(v.s);
  if (Number.isNaN(day) || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = v.f ?? '';
  const millis = second === 60 ? 999 : fractionMillis(fraction);
  const wall = day + hour * 3_600_000 + minute * 60_000 + Math.min(second, 59) * 1000 + millis;
  const floored = wall - (((wall % precision) + precision) % precision);
  // Nothing finer than the precision written: no edit.
  const subMillis = fraction.length > 3 && /[1-9]/.test(fraction.slice(3));
  if (floored === wall && !subMillis && second !== 60) return undefined;
  const d = new Date(floored);
  const week = v.W !== undefined ? isoWeek(dayStart(floored)) : undefined;
  const written = (f: Field): string => {
    switch (f) {
      case 'Y':
        return week !== undefined ? String(week[0]) : String(d.getUTCFullYear()).padStart(4, '0');
      case 'M':
        return String(d.getUTCMonth() + 1);
      case 'D':
        return String(d.getUTCDate());
      case 'W':
        return String(week![1]);
      case 'WD':
        return String(week![2]);
      case 'O':
      case 'O2':
        return ordinalOf(floored);
      case 'h':
        return String(d.getUTCHours());
      case 'm':
        return String(d.getUTCMinutes());
      case 's':
        return String(d.getUTCSeconds());
      default:
        return `${String(d.getUTCMilliseconds()).padStart(3, '0')}000000`;
    }
  };
  // The date as written is kept when the rounding stays on the same day (a two-digit year, names and padding too).
  const sameDay = dayStart(floored) === day;
  const start = m.indices![group][0];
  let out = '';
  let pos = start;
  for (const f of fields) {
    const original = v[f];
    if (original === undefined || (sameDay && DATE_FIELDS.has(f))) continue;
    const [s, e] = m.indices![at[f]!];
    let next: string;
    if (f === 'MON') next = renameLike(original, MONTH_NAMES[d.getUTCMonth()]);
    else if (f === 'WN') next = renameLike(original, DAY_NAMES[d.getUTCDay()]);
    else if (f === 'f') next = written(f).slice(0, original.length).padEnd(original.length, '0');
    else if (f === 'Y' && original.length === 2) next = written(f).slice(-2);
    else next = written(f).padStart(original.length, '0');
    out += m.input.slice(pos, s) + next;
    pos = e;
  }
  const end = m.indices![group][1];
  out += m.input.slice(pos, end);
  return out === m[group] ? undefined : { start: offset + start, end: offset + end, text: out };
}

/** The start (00:00) of the UTC day of `ms`. */
function dayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The day of the year (1–366) of a UTC time, as digits. */
function ordinalOf(ms: number): string {
  const d = new Date(ms);
  return String(Math.round((dayStart(ms) - dateMillis(d.getUTCFullYear(), 1, 1)) / DAY_MS) + 1);
}

function monthOf(name: string): number {
  const three = name.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((n) => n.slice(0, 3).toLowerCase() === three) + 1;
}
