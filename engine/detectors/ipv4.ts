import { codeAt, fromStart, isAlnum, isAsciiLetter, isDigit, isWordChar, keywordBefore } from './chars';
import type { Detector, Finding } from './types';

/** A preceding word that makes a dotted quad a version number (`version 1.2.3.4`). */
const VERSION_CONTEXT = /(?:version|\bver|\bv|release|build|firmware|\bsdk|kernel|\boid|[a-z]\/)[\s:=@"']*$/i;

/**
 * Parses a dotted-quad IPv4 address at `i`; returns its end or -1. Octets are 0-255 without
 * leading zeros, or all four zero-padded to three digits (`203.000.113.007`).
 */
export function ipv4End(text: string, i: number): number {
  let j = i;
  let padded = 0;
  let short = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (codeAt(text, j) !== 46) return -1;
      j++;
    }
    const s = j;
    let v = 0;
    while (j < text.length && j - s < 4 && isDigit(text.charCodeAt(j))) v = v * 10 + (text.charCodeAt(j++) - 48);
    const len = j - s;
    if (len === 0 || len > 3 || v > 255) return -1;
    if (len > 1 && text.charCodeAt(s) === 48) padded++;
    if (len < 3) short++;
  }
  return padded > 0 && short > 0 ? -1 : j;
}

/** A word before a dashed quad that names an address (`ip-10-0-0-5`, `ec2-10-0-0-5`, `host_10_0_0_5`). */
const ADDRESS_WORD = /(?:^|[^a-z0-9])(?:ip|ipv4|ip4|ec2|host|addr|address|client|peer|node-ip)[-_]$/i;

/** An address written with `-` or `_` between the octets (`ip-203-0-113-7`, `203_0_113_7`). */
const SEPARATED = /\d{1,3}([-_])\d{1,3}\1\d{1,3}\1\d{1,3}/g;

/**
 * Dashed and underscored quads, as host names embed them (`ec2-203-0-113-7.compute-1.amazonaws.com`,
 * `ip-10-0-0-5.ec2.internal`, `203-0-113-7.sslip.io`, `203_0_113_7`): exactly four octets (0-255, no leading zeros
 * but all zero-padded) with one separator, not part of a longer run of numbers, at least one octet of two digits or
 * more (`1-2-3-4` is a list), and not loopback, `255.…` or ending in `0` (see `isNonAddress`). When every octet is
 * below 100 (`node-18-20-4-1` is a version) the quad must follow an address word (`ip-`, `ec2-`, `host-`), start a
 * host name (`10-0-0-5.sslip.io`) or be the whole value.
 */
function findSeparated(text: string, out: Finding[]): void {
  const re = fromStart(SEPARATED);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    re.lastIndex = start + 1;
    const p = codeAt(text, start - 1);
    if (isAlnum(p)) continue;
    if ((p === 45 || p === 95 || p === 46 || p === 58) && isDigit(codeAt(text, start - 2))) {
      // A number before the separator continues the run (`1-203-0-113-7`); a word ending in a digit does not (`ec2-…`).
      let k = start - 2;
      while (k > 0 && isDigit(codeAt(text, k - 1))) k--;
      if (!isAsciiLetter(codeAt(text, k - 1))) continue;
    }
    const next = codeAt(text, end);
    if (isAlnum(next)) continue;
    if ((next === 45 || next === 95 || next === 46) && isDigit(codeAt(text, end + 1))) continue;
    const octets = m[0].split(m[1]);
    if (octets.some((o) => Number(o) > 255)) continue;
    const padded = octets.filter((o) => o.length > 1 && o.charCodeAt(0) === 48).length;
    if (padded > 0 && octets.some((o) => o.length < 3)) continue;
    if (octets.every((o) => o.length < 2)) continue;
    const first = Number(octets[0]);
    if (first === 127 || first === 255 || Number(octets[3]) === 0) continue;
    // All octets below 100 reads as a version (`node-18-20-4-1`, `release-1-22-3-4`): an address only after an
    // address word (`ip-10-0-0-5`), as a host name's label (`10-0-0-5.sslip.io`) or as the whole value.
    if (
      octets.every((o) => o.length < 3) &&
      !ADDRESS_WORD.test(text.slice(Math.max(0, start - 8), start)) &&
      !(next === 46 && isAsciiLetter(codeAt(text, end + 1))) &&
      !(start === 0 && end === text.length)
    )
      continue;
    out.push({ start, end, type: 'ipv4' });
    re.lastIndex = end;
  }
}

/**
 * Quads written with blanks around the dots (`203 . 0 . 113 . 7`, `203. 0. 113. 7`), with commas (`203,0,113,7`,
 * `203, 0, 113, 7`) or as four hexadecimal parts (`0xCB.0x00.0x71.0x07`, what `inet_aton` reads): one separator
 * throughout, exactly four parts 0-255 (decimal without leading zeros), not part of a longer run of numbers, not
 * loopback, `255.…` or ending in `0`. Comma lists (`[100,200,250,5]`) are common in data, so a comma quad must follow
 * an address word (`ip=203,0,113,7`) or be the whole value, and is never thousands grouping (`3,405,803,783`);
 * decimal quads with every octet below 100 need an address word before them (`ip: 10 . 0 . 0 . 5`).
 */
function findSpacedOrHex(text: string, out: Finding[]): void {
  const re = fromStart(SPACED);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    re.lastIndex = start + 1;
    const hex = m[1] !== undefined;
    const sep = hex ? '.' : m[2];
    if (!hex && sep === '.') continue; // plain dotted quads are `findDotted`'s
    const p = codeAt(text, start - 1);
    if (isAlnum(p) || ((p === 46 || p === 44) && isDigit(codeAt(text, start - 2)))) continue;
    // A hex part before it continues the run (`0xff.0x0.0x0.0x0.0x1`: five parts, no quad).
    if (hex && p === 46 && HEX_PART_BEFORE.test(text.slice(Math.max(0, start - 5), start - 1))) continue;
    const next = codeAt(text, end);
    if (isAlnum(next) || next === 95) continue;
    const rest = text.slice(end, end + sep.length + 1);
    if (rest.length > sep.length && rest.startsWith(sep) && isDigit(rest.charCodeAt(sep.length))) continue;
    const parts = hex ? m[0].split('.') : m[0].split(sep);
    const octets = parts.map((o) => (hex ? parseInt(o.slice(2), 16) : Number(o)));
    if (octets.some((o) => !(o <= 255))) continue;
    if (!hex) {
      if (parts.some((o) => o.length > 1 && o.charCodeAt(0) === 48)) continue;
      if (octets[0] === 127) continue;
      const comma = sep.trim() === ',';
      const addressWord = ADDRESS_WORD_SPACED.test(text.slice(Math.max(0, start - 12), start));
      // Numbers in data are written with commas (`[100,200,250,5]`, CSV rows, `3,405,803,783`): a comma quad is an
      // address only after an address word, as the whole value or as a word of prose (`seen 203,0,113,7 today`:
      // blanks around it, no blank inside, a first octet of three digits), and never in thousands grouping.
      if (
        comma &&
        (!(addressWord || (start === 0 && end === text.length) || proseQuad(text, start, end, sep, parts[0])) ||
          parts.slice(1).every((o) => o.length === 3))
      )
        continue;
      if (parts.every((o) => o.length < 3) && !addressWord) continue;
    }
    if (octets[0] === 255 || octets[3] === 0) continue;
    out.push({ start, end, type: 'ipv4' });
    re.lastIndex = end;
  }
}

/**
 * Whether the comma quad `text[start, end)` stands as a word of prose: a blank (or the start) before it, a blank, the
 * end or a sentence mark after it, commas without blanks, and a first octet of three digits (lists in data sit in
 * brackets, after `=` or between other commas; `4,12,200,7` reads as a count list).
 */
function proseQuad(text: string, start: number, end: number, sep: string, first: string): boolean {
  if (sep !== ',' || first.length !== 3) return false;
  const p = codeAt(text, start - 1);
  const q = codeAt(text, end);
  const after =
    q === -1 ||
    q === 32 ||
    q === 9 ||
    q === 10 ||
    q === 13 ||
    ((q === 46 || q === 33 || q === 63) && !isDigit(codeAt(text, end + 1)));
  return (p === -1 || p === 32 || p === 9 || p === 10) && after;
}

/** Quads with blanks around the dots, commas, or four `0x` parts (`findSpacedOrHex`). */
const SPACED =
  /(0x[0-9a-f]{1,2}\.0x[0-9a-f]{1,2}\.0x[0-9a-f]{1,2}\.0x[0-9a-f]{1,2})|\d{1,3}([ \t]{0,3}[.,][ \t]{0,3})\d{1,3}\2\d{1,3}\2\d{1,3}/gi;

/** A `0x` part ending where a hex quad would start (after its `.`). */
const HEX_PART_BEFORE = /0x[0-9a-f]{1,2}$/i;

/** An address word before a spaced quad (`ip: 10 . 0 . 0 . 5`, `client=10, 0, 0, 5`). */
const ADDRESS_WORD_SPACED = /(?:^|[^a-z0-9])(?:ip|ipv4|ip4|host|addr|address|client|peer|remote|src|dst)[\s:=_"'-]*$/i;

/**
 * Not the address of anyone: unspecified, loopback, broadcast and netmasks, and network prefixes
 * ending in `.0` (what the `ip-prefix` generalizer writes: `203.0.113.0`).
 */
function isNonAddress(text: string, start: number, end: number): boolean {
  const s = text.slice(start, end);
  return /^(?:0*127|255)\.|\.0+$/.test(s);
}

/**
 * Whether every octet of `text[start, end)` is below 100: version numbers look like that (`5.15.2.91`),
 * while an address with a larger octet after a word such as `version` is still an address (fail closed).
 */
function smallOctets(text: string, start: number, end: number): boolean {
  let octet = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) octet = 0;
    else if ((octet = octet * 10 + (c - 48)) > 99) return false;
  }
  return true;
}

/**
 * `ipv4`: dotted-quad IPv4 addresses (octets 0-255, no leading zeros or all zero-padded: `203.000.113.007`), also with
 * a `:port` or `/prefix` suffix and inside URLs, and quads joined by `-` or `_` as host names embed them
 * (`ec2-203-0-113-7.compute-1.amazonaws.com`, `ip-10-0-0-5`, `203_0_113_7`; see `findSeparated`), also glued to
 * letters on the left (`hostA10.1.2.3`) or after a word and a dot (`app.203.0.113.7`) or glued to letters on the
 * right (`10.1.2.3host`), and quads with blanks around the dots, with commas or in hexadecimal
 * (`203 . 0 . 113 . 7`, `203,0,113,7`, `0xCB.0x00.0x71.0x07`; see `findSpacedOrHex`). Not matched: longer dotted runs (OIDs, `1.2.3.4.5`), four-part
 * version numbers glued to letters with every octet below 100 and either a version word (`v`, `rc`, `build`, …) or a
 * first octet below 10 (`python3.11.4.1`), or preceded by `version`/a product name/`oid` when every octet is
 * below 100 (`version 5.15.2.91`; `version: 203.0.113.9` is still an address), loopback
 * `127.0.0.0/8`, `255.…` (netmasks, broadcast) and network addresses ending in `.0` (`0.0.0.0`,
 * and the `/24` prefixes written by the `ip-prefix` generalizer, which must survive scanning).
 */
export const ipv4Detector: Detector = {
  name: 'ipv4',
  minDigits: 4,
  trigger:
    /\d[ \t]{0,3}[.,\-_][ \t]{0,3}\d{1,3}[ \t]{0,3}[.,\-_][ \t]{0,3}\d{1,3}[ \t]{0,3}[.,\-_][ \t]{0,3}\d|0x[0-9a-f]{1,2}\.0x/i,
  // The plain dotted and dashed forms first (one cheap regex that browser user agents and versions stop at).
  mayMatch: (text) => PLAIN_TRIGGER.test(text) || ipv4Detector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const dotted: Finding[] = [];
    findDotted(text, dotted);
    const separated: Finding[] = [];
    if (DASHED_TRIGGER.test(text)) findSeparated(text, separated);
    if (SPACED_TRIGGER.test(text)) findSpacedOrHex(text, separated);
    if (separated.length === 0) for (const f of dotted) out.push(f);
    else for (const f of [...dotted, ...separated].sort((a, b) => a.start - b.start)) out.push(f);
  },
};

const DASHED_TRIGGER = /\d[-_]\d{1,3}[-_]\d{1,3}[-_]\d/;
/** What every quad `findSpacedOrHex` reads holds: a comma between digits, a blank beside a dot, or `.0x`. */
const SPACED_TRIGGER = /\d[ \t]{0,3},[ \t]{0,3}\d|\d[ \t]{1,3}\.|\.[ \t]{1,3}\d|\.0x/i;
const PLAIN_TRIGGER = /\d\.\d{1,3}\.\d{1,3}\.\d|\d[-_]\d{1,3}[-_]\d{1,3}[-_]\d/;

/** Words a four-part version number is glued to (the whole letter run before it, or its end for the long ones). */
const VERSION_WORD =
  /(?:^|[^A-Za-z])(?:v|r|b|p|u|sp|rc|fw|kb|ver|rev|beta|alpha|patch|update|jdk|sdk|jre|api|os)$|(?:version|release|build|firmware|kernel)$/i;

/**
 * Whether the dotted quad `text[start, end)`, glued to letters on its left, is a version: every octet is below 100
 * and the letters are a version word (`v`, `rc`, `build`, `…Version`) or the first octet is below 10
 * (`python3.11.4.1`). A larger octet makes it an address whatever the word (`v203.0.113.7`, fail closed).
 */
function versionGlued(text: string, start: number, end: number, wordEnd = start): boolean {
  if (!smallOctets(text, start, end)) return false;
  return !isDigit(codeAt(text, start + 1)) || VERSION_WORD.test(text.slice(Math.max(0, wordEnd - 12), wordEnd));
}

/**
 * Whether the `-` at `hyphen` ends a word rather than a number run: a dotted quad after it is an address written
 * after a name (`svc-203.0.113.7`, `host-203.0.113.7`, `ec2-203.0.113.7`, a value starting `-203.0.113.7`), while
 * after digits (`1-203.0.113.7`, a range or a longer run) or a dot it is not read.
 */
function hyphenAfterWord(text: string, hyphen: number): boolean {
  const p = codeAt(text, hyphen - 1);
  if (p === 46) return false;
  if (!isDigit(p)) return true;
  let k = hyphen - 1;
  while (k > 0 && isDigit(codeAt(text, k - 1))) k--;
  return isAsciiLetter(codeAt(text, k - 1));
}

/**
 * Whether the dotted run `text[start, end)` is the address `text[start, ipEnd)` and a port after one more `.`, as
 * tcpdump prints them (`IP 203.0.113.7.51234 > 10.0.0.5.443:`): exactly five parts, the fifth a port no octet can be
 * (256-65535, no leading zero). A fifth part up to 255 reads as one more octet of an OID or a dotted sequence
 * (`192.168.1.1.1`, `1.3.6.1.2`); longer runs (`1.3.6.1.4.1.311`) are never read so.
 */
function portAfter(text: string, ipEnd: number, end: number): boolean {
  if (text.charCodeAt(ipEnd) !== 46 || end - ipEnd < 4 || end - ipEnd > 6 || text.charCodeAt(ipEnd + 1) === 48)
    return false;
  let port = 0;
  for (let k = ipEnd + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (!isDigit(c)) return false;
    port = port * 10 + (c - 48);
  }
  return port > 255 && port <= 65535;
}

/** Whether a whole dotted quad starts at `i`: an address, no digit or `.` after it (the second of a range). */
function wholeQuadAt(text: string, i: number): boolean {
  const end = ipv4End(text, i);
  return end !== -1 && !isDigit(codeAt(text, end)) && !(codeAt(text, end) === 46 && isDigit(codeAt(text, end + 1)));
}

/** Whether a whole dotted quad ends at `end` (the `-` of a range after it): no digit or `.` before it. */
function wholeQuadBefore(text: string, end: number): boolean {
  let s = end;
  while (s > 0 && end - s < 15 && (isDigit(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 46)) s--;
  return (
    isDigit(codeAt(text, s)) && !isDigit(codeAt(text, s - 1)) && codeAt(text, s - 1) !== 46 && ipv4End(text, s) === end
  );
}

/** Dotted quads (see `ipv4Detector`). */
function findDotted(text: string, out: Finding[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) {
      i++;
      continue;
    }
    const p = codeAt(text, i - 1);
    let runEnd = i;
    while (runEnd < n && (isDigit(text.charCodeAt(runEnd)) || text.charCodeAt(runEnd) === 46)) runEnd++;
    // The dotted run must be exactly the address: no letters, digits or dots glued to either side.
    // `_` glues words, not numbers: `ip_203.0.113.7`, `backup_203.0.113.7_db` hold an address.
    // Letters glued on the left do not hide an address (`hostA10.1.2.3`, `from203.0.113.7`), except the words a
    // version number is written after (`v1.2.3.4`, `build1.22.3.4`, `appVersion2.1.0.7`; see `versionGlued`).
    // A word and a dot before it (`app.203.0.113.7`, a dotted name's segments) is read like letters glued on the left.
    const wordDot = p === 46 && isAsciiLetter(codeAt(text, i - 2));
    // A word and a hyphen before it (`svc-203.0.113.7`) is read like letters glued on the left too (so a version
    // word still marks a version: `build-1.22.3.4`); a hyphen after a number continues the run.
    // A range's `-` between two addresses (`203.0.113.7-203.0.113.9`) glues neither.
    const wordHyphen = p === 45 && (hyphenAfterWord(text, i - 1) || wholeQuadBefore(text, i - 1));
    const letterGlued = isAsciiLetter(p) || wordDot || (wordHyphen && isAsciiLetter(codeAt(text, i - 2)));
    // Only ASCII glues: a non-ASCII letter, mark or symbol next to it is a boundary (`from ①203.0.113.7`, `203.0.113.7µs`).
    const leftGlued =
      (isWordChar(p) && p !== 95 && p < 128 && !letterGlued) ||
      (p === 46 && !wordDot) ||
      (p === 45 && !wordHyphen) ||
      (p === 58 && isDigit(codeAt(text, i - 2)));
    if (!leftGlued) {
      let end = runEnd;
      while (end > i && text.charCodeAt(end - 1) === 46) end--; // sentence dot
      const ipEnd = ipv4End(text, i);
      const next = codeAt(text, ipEnd);
      // Letters glued on the right do not hide an address either (`10.1.2.3host`), unless it reads as a version
      // (`1.2.3.4beta`: every octet below 100 and the first below 10).
      const rightLetters = isAsciiLetter(next) && !(smallOctets(text, i, ipEnd) && !isDigit(codeAt(text, i + 1)));
      if (
        (ipEnd === end || (ipEnd !== -1 && portAfter(text, ipEnd, end))) &&
        (!isWordChar(next) || next === 95 || next > 127 || rightLetters) &&
        !(next === 45 && isDigit(codeAt(text, ipEnd + 1)) && !wholeQuadAt(text, ipEnd + 1)) &&
        !isNonAddress(text, i, ipEnd) &&
        !(smallOctets(text, i, ipEnd) && keywordBefore(text, i, VERSION_CONTEXT, 24)) &&
        !(letterGlued && versionGlued(text, i, ipEnd, wordHyphen ? i - 1 : i))
      ) {
        out.push({ start: i, end: ipEnd, type: 'ipv4' });
      }
    }
    i = runEnd > i ? runEnd : i + 1;
  }
}
