import { codeAt, isDigit, isWordChar, keywordBefore } from './chars';
import type { Detector, Finding } from './types';

/** A preceding word that makes a dotted quad a version number (`version 1.2.3.4`). */
const VERSION_CONTEXT = /(?:version|\bver|\bv|release|build|firmware|\bsdk|kernel|\boid|[a-z]\/)[\s:=@"']*$/i;

/**
 * Parses a dotted-quad IPv4 address at `i`; returns its end or -1. Octets are 0-255 without
 * leading zeros.
 */
export function ipv4End(text: string, i: number): number {
  let j = i;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (codeAt(text, j) !== 46) return -1;
      j++;
    }
    const s = j;
    let v = 0;
    while (j < text.length && j - s < 4 && isDigit(text.charCodeAt(j))) v = v * 10 + (text.charCodeAt(j++) - 48);
    const len = j - s;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && text.charCodeAt(s) === 48)) return -1;
  }
  return j;
}

/**
 * Not the address of anyone: unspecified, loopback, broadcast and netmasks, and network prefixes
 * ending in `.0` (what the `ip-prefix` generalizer writes: `203.0.113.0`).
 */
function isNonAddress(text: string, start: number, end: number): boolean {
  const s = text.slice(start, end);
  return s.startsWith('127.') || s.startsWith('255.') || s.endsWith('.0');
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
 * `ipv4`: dotted-quad IPv4 addresses (octets 0-255, no leading zeros), also with a `:port` or
 * `/prefix` suffix and inside URLs. Not matched: longer dotted runs (OIDs, `1.2.3.4.5`), four-part
 * version numbers glued to `v`, or preceded by `version`/a product name/`oid` when every octet is
 * below 100 (`version 5.15.2.91`; `version: 203.0.113.9` is still an address), loopback
 * `127.0.0.0/8`, `255.…` (netmasks, broadcast) and network addresses ending in `.0` (`0.0.0.0`,
 * and the `/24` prefixes written by the `ip-prefix` generalizer, which must survive scanning).
 */
export const ipv4Detector: Detector = {
  name: 'ipv4',
  minDigits: 4,
  trigger: /\d\.\d{1,3}\.\d{1,3}\.\d/,
  mayMatch: (text) => ipv4Detector.trigger.test(text),
  find(text: string, out: Finding[]): void {
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
      const leftGlued = isWordChar(p) || p === 46 || p === 45 || (p === 58 && isDigit(codeAt(text, i - 2)));
      if (!leftGlued) {
        let end = runEnd;
        while (end > i && text.charCodeAt(end - 1) === 46) end--; // sentence dot
        const ipEnd = ipv4End(text, i);
        const next = codeAt(text, ipEnd);
        if (
          ipEnd === end &&
          !isWordChar(next) &&
          !(next === 45 && isDigit(codeAt(text, ipEnd + 1))) &&
          !isNonAddress(text, i, ipEnd) &&
          !(smallOctets(text, i, ipEnd) && keywordBefore(text, i, VERSION_CONTEXT, 24))
        ) {
          out.push({ start: i, end: ipEnd, type: 'ipv4' });
        }
      }
      i = runEnd > i ? runEnd : i + 1;
    }
  },
};
