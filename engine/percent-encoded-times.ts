import { coarsenTimesInText } from './time-in-text';

/** A percent-encoded `:` between digits (the escape every encoded date-time with a clock holds: `10%3A15`). */
const ENCODED_COLON = /\d%3a\d/i;

/**
 * The escapes read back for the date-time search: `%3A` `:`, `%20` and `+` (a form's space) a space, `%2C` `,`, `%2B`
 * `+`, `%2F` `/`.
 */
const ESCAPE = /%(?:3[Aa]|20|2[Cc]|2[Bb]|2[Ff])|\+/g;

/**
 * `text` with the date-times written percent-encoded in it (`2026-01-05T10%3A15%3A42.123Z`, a query parameter or a
 * URL path: `encodeURIComponent` of a date-time; a form's `+` for a space) rounded down like date-times written plainly (`coarsenTimesInText`),
 * each escape kept as written; `undefined` when it holds none finer than `precisionMillis`. Only texts holding an
 * encoded `:` between digits are read (a regex test); the rounding changes digits only, in place, so every other character, escapes
 * included, is written back as it was.
 */
export function coarsenPercentEncodedTimes(text: string, precisionMillis: number): string | undefined {
  if (text.indexOf('%') === -1 || !ENCODED_COLON.test(text)) return undefined;
  // the decoded text and, for each of its characters, where it starts in `text`
  let decoded = '';
  const starts: number[] = [];
  let pos = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m !== null; m = ESCAPE.exec(text)) {
    for (let i = pos; i < m.index; i++) starts.push(i);
    decoded += text.slice(pos, m.index) + (m[0] === '+' ? ' ' : decodeURIComponent(m[0]));
    starts.push(m.index);
    pos = m.index + m[0].length;
  }
  for (let i = pos; i < text.length; i++) starts.push(i);
  decoded += text.slice(pos);
  const rounded = coarsenTimesInText(decoded, precisionMillis);
  if (rounded === undefined || rounded.length !== decoded.length) return undefined;
  let out = '';
  let from = 0;
  for (let i = 0; i < decoded.length; i++) {
    if (rounded.charCodeAt(i) === decoded.charCodeAt(i)) continue;
    // a rounded digit: never an escape (the escapes decode to separators)
    out += text.slice(from, starts[i]) + rounded[i];
    from = starts[i]! + 1;
  }
  return out + text.slice(from);
}
