import { codeAt, isCjkBoundary, isDigit, isHexDigit, isWordChar } from './chars';
import { ipv4End } from './ipv4';
import { ipPrefix } from '../generalizers';
import type { Detector, Finding } from './types';

/** Longest run we try to read as an address (`ffff:…:255.255.255.255` is 45). */
const MAX_RUN = 45;

function isRunChar(c: number): boolean {
  return isHexDigit(c) || c === 58 || c === 46;
}

/**
 * Whether `text[start, end)` is an IPv6 address in any RFC 4291/5952 text form (`::` compression,
 * embedded IPv4 tail). Work is bounded by `MAX_RUN`.
 */
export function isIPv6At(text: string, start: number, end: number): boolean {
  let groups = 0;
  let compressed = false;
  let i = start;
  if (text.charCodeAt(i) === 58) {
    if (codeAt(text, i + 1) !== 58) return false;
    compressed = true;
    i += 2;
    if (i === end) return true;
  }
  for (;;) {
    // One group: 1-4 hex digits, or a dotted IPv4 tail.
    const s = i;
    while (i < end && isHexDigit(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === 46) {
      if (ipv4End(text, s) !== end) return false;
      groups += 2;
      break;
    }
    const len = i - s;
    if (len === 0 || len > 4) return false;
    groups++;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === end) break;
    } else if (i === end) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

/**
 * `ipv6`: IPv6 addresses, full or `::`-compressed, with an optional embedded IPv4 tail and
 * `%zone`, also in brackets (`[2001:db8::1]:443`), and Windows literal host names
 * (`2001-db8-85a3--7348.ipv6-literal.net`: the address label is reported), also glued to CJK letters and punctuation
 * (`、2001:db8::7、`, `IPは2001:db8::7です`) and before a full stop and a word (`2001:db8::7.Next`), after a word or number and a `.`
 * (`host.2001:db8:85a3::8a2e:370:7334`: a dotted name's segment). Not matched: `::`/`::1`, what the `ip-prefix`
 * generalizer writes (`2001:db8:1::`, `::ffff:203.0.113.0`, `2002:cb00:7100::`), MAC addresses and clock times (wrong group count), and hex-only words joined by `::`
 * (`cafe::add`, at least one decimal digit and four hex digits are required).
 */
export const ipv6Detector: Detector = {
  name: 'ipv6',
  minDigits: 1,
  // `::` compression, or six `group:` followed by a hex digit (full and IPv4-tailed forms).
  trigger: /::|(?:[0-9A-Fa-f]{1,4}:){6}[0-9A-Fa-f]|ipv6-literal\.net/,
  mayMatch: (text) => ipv6Detector.trigger.test(text) || LITERAL_HOST.test(text),
  find(text: string, out: Finding[]): void {
    if (LITERAL_HOST.test(text)) {
      const found: Finding[] = [];
      findColons(text, found);
      findLiteralHosts(text, found);
      for (const f of found.sort((a, b) => a.start - b.start)) out.push(f);
    } else findColons(text, out);
  },
};

const LITERAL_HOST = /ipv6-literal\.net/i;

/**
 * Windows' IPv6 literal host names (`2001-db8-85a3--7348.ipv6-literal.net`, zone after `s`:
 * `fe80--1s4.ipv6-literal.net`): the label before `.ipv6-literal.net` is an address with `-` for `:`.
 */
function findLiteralHosts(text: string, out: Finding[]): void {
  const re = /\.ipv6-literal\.net/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const end = m.index;
    let start = end;
    while (start > 0 && end - start <= MAX_RUN + 16) {
      const c = text.charCodeAt(start - 1);
      if (!(isWordChar(c) || c === 45) || c === 95) break;
      start--;
    }
    const label = text.slice(start, end).toLowerCase();
    const zone = label.indexOf('s');
    const addr = (zone === -1 ? label : label.slice(0, zone)).replace(/-/g, ':');
    if (addr.length > 1 && isIPv6At(addr, 0, addr.length)) out.push({ start, end, type: 'ipv6' });
  }
}

/** The last `.` of the run `text[i, j)` before its first colon when a hex digit follows it, or -1. */
function dotBeforeColon(text: string, i: number, j: number): number {
  let k = i;
  let dot = -1;
  for (; k < j; k++) {
    const c = text.charCodeAt(k);
    if (c === 58) break;
    if (c === 46) dot = k;
  }
  return k < j && dot !== -1 && isHexDigit(codeAt(text, dot + 1)) ? dot : -1;
}

/** Whether one to four hex digits and a `:` follow `text[dot]` (a group of an address, not a longer key). */
function hexGroupAfter(text: string, dot: number): boolean {
  for (let k = dot + 1; k <= dot + 5; k++) if (codeAt(text, k) === 58) return k > dot + 1;
  return false;
}

/** Addresses written with colons (see `ipv6Detector`). */
function findColons(text: string, out: Finding[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const p = codeAt(text, i - 1);
    if (!isRunChar(c) || isRunChar(p)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isRunChar(text.charCodeAt(j))) j++;
    const run = j;
    // A sentence's full stop and a word after the address (`2001:db8::7.Error`, `.closed`): a `.` after a colon and
    // before a hex letter opens no IPv4 tail; the run (read with the word's hex letters) ends after the stop.
    j = dotWordStop(text, i, j);
    // Glued to a word on the left: only `key:2001:db8::1` (a single colon) is a candidate.
    let start = i;
    // A dotted name's segment before the address (`host.2001:db8::1`, `x.2001:db8::1`, `cafe.2001:db8::1`): a `.`
    // before the first colon ends a word, the address starts after the last one (an IPv4 tail's dots follow colons).
    // A segment of more than four hex digits is no group: it is a key, and the address follows its colon
    // (`host.abcde:2001:db8::1`, as `abcde:2001:db8::1` after a word).
    const dot = dotBeforeColon(text, i, j);
    if (dot !== -1 && hexGroupAfter(text, dot)) start = dot + 1;
    // A single colon opens no address: it ends a key, whatever the key ends with (`key:2001:db8::1`, `peer_:…`, `ip :…`).
    else if (c === 58 && codeAt(text, i + 1) !== 58) start = i + 1;
    // `_` joins words, not an address's groups (`addr_2001:db8::7`): the address starts after it, as after a blank.
    // A CJK letter or punctuation mark is no word to glue to (`、2001:db8::7、`, `IPは2001:db8::7`), but for an address
    // that starts with `::` (`完了：:4023`, a port after a fullwidth colon, reads `完了::4023` in the normalized view;
    // the same on the right, `addressAt`).
    else if ((isWordChar(p) && p !== 95 && (c === 58 || !isCjkBoundary(p))) || dot !== -1) {
      // `value:2001:db8::1`: the key's tail is made of hex letters; the address follows its colon.
      const colon = firstColon(text, i, j);
      start = colon < j && codeAt(text, colon + 1) !== 58 && isWordChar(codeAt(text, colon - 1)) ? colon + 1 : j;
    }
    addressAt(text, start, j, out);
    // Glued to a word on the left (`a2001:db8::1`, `x2001:db8::1`): the address's first group is the four hex digits
    // before the run's first colon.
    const glued = gluedStart(text, i, j, p);
    if (glued !== -1 && glued !== start) addressAt(text, glued, j, out);
    i = run > i ? run : i + 1;
  }
}

/** The end of the run `text[i, j)` after its first `.` that follows a colon and stands before a hex letter, or `j`. */
function dotWordStop(text: string, i: number, j: number): number {
  let colon = false;
  for (let k = i; k < j; k++) {
    const c = text.charCodeAt(k);
    if (c === 58) colon = true;
    else if (c === 46 && colon && isHexDigit(codeAt(text, k + 1)) && !isDigit(codeAt(text, k + 1))) return k + 1;
  }
  return j;
}

/** The first colon of the run `text[i, j)`, or `j` (searched in the run only: `indexOf` went on to the text's end). */
function firstColon(text: string, i: number, j: number): number {
  let colon = i;
  while (colon < j && text.charCodeAt(colon) !== 58) colon++;
  return colon;
}

/**
 * Where an address glued to a word on the left would start in the run `text[i, j)` (`p` the character before it), or
 * -1: four hex digits, one of them decimal, before the run's first colon, a single colon after them, and more hex
 * digits or a word character before them (`a2001:db8::1`, `x2001:db8::1`; `Rec::bad1`, `e:2001:…` of `value:2001:…`
 * are left to the key rule).
 */
function gluedStart(text: string, i: number, j: number, p: number): number {
  const colon = firstColon(text, i, j);
  const s = colon - 4;
  if (colon === j || s < i || (s === i && (!isWordChar(p) || isCjkBoundary(p))) || codeAt(text, colon + 1) === 58)
    return -1;
  let digit = false;
  for (let k = s; k < colon; k++) {
    const c = text.charCodeAt(k);
    if (!isHexDigit(c)) return -1;
    if (isDigit(c)) digit = true;
  }
  return digit ? s : -1;
}

/**
 * An address in `text[start, j)` (`j` the run's end), with its zone, appended to `out` (see `ipv6Detector`): two colons,
 * a decimal digit and four hex digits, not glued to a word on the right, not loopback or an `ip-prefix` output.
 */
function addressAt(text: string, start: number, j: number, out: Finding[]): void {
  const n = text.length;
  let colons = 0;
  let digits = 0;
  let hex = 0;
  for (let k = start; k < j && k - start <= MAX_RUN + 1; k++) {
    const d = text.charCodeAt(k);
    if (d === 58) colons++;
    else if (d !== 46) {
      hex++;
      if (isDigit(d)) digits++;
    }
  }
  if (
    start < j &&
    j - start <= MAX_RUN + 1 &&
    colons >= 2 &&
    digits > 0 &&
    hex >= 4 &&
    (!isWordChar(codeAt(text, j)) ||
      codeAt(text, j) === 95 ||
      // CJK text, or a sentence's full stop and the next sentence without a blank (`2001:db8::7.Next`); not after an
      // address that starts with `::` (`：:4023。次`, a port after a fullwidth colon, reads `::4023.次` normalized)
      (text.charCodeAt(start) !== 58 && (isCjkBoundary(codeAt(text, j)) || text.charCodeAt(j - 1) === 46)))
  ) {
    let end = j;
    if (text.charCodeAt(end - 1) === 46) end--; // sentence dot
    if (!isIPv6At(text, start, end) && text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--; // "fe80::1: refused"
    if (end - start <= MAX_RUN && isIPv6At(text, start, end)) {
      // Optional zone id (`%eth0`).
      if (codeAt(text, end) === 37) {
        let z = end + 1;
        while (
          z < n &&
          z - end <= 16 &&
          (isWordChar(text.charCodeAt(z)) || text.charCodeAt(z) === 45 || text.charCodeAt(z) === 46)
        )
          z++;
        if (z > end + 1) end = z;
      }
      // Loopback, unspecified, and what the `ip-prefix` generalizer writes (a /48 ending in
      // `::`, an embedded IPv4 address's /24): an address that generalizes to itself.
      const s = text.slice(start, end);
      if (s !== '::1' && !s.endsWith('::') && ipPrefix(s) !== s.toLowerCase()) out.push({ start, end, type: 'ipv6' });
    }
  }
}
