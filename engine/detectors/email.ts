import { codeAt, isAlnum, isAsciiLetter, isWordChar } from './chars';
import type { Detector, Finding } from './types';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/** File extensions that follow `@` in asset names (`icon@2x.png`) and are no top-level domain. */
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'ico',
  'bmp',
  'tif',
  'tiff',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'css',
  'scss',
  'map',
  'json',
  'html',
  'htm',
  'txt',
  'log',
  'md',
  'pdf',
  'woff',
  'woff2',
  'ttf',
  'mp4',
  'webm',
  'wasm',
  'lock',
  'gz',
  'tgz',
  'zip',
  'tar',
  'bz2',
  'xz',
  'zst',
  'jar',
  'whl',
  'gem',
  'deb',
  'rpm',
  'exe',
  'dll',
  'so',
  'bin',
  'csv',
  'xml',
  'yaml',
  'yml',
]);

/**
 * Characters taken into the local part: letters, digits, `.`, `_`, `%`, `+`, `-`, `'` and non-ASCII
 * (RFC 6531). RFC 5322 also allows `= & ? # | ! $ * / ^ { } ~`, but in telemetry those separate
 * keys from values (`user=jane@example.com`, `a&b`), so the match starts after them.
 */
function isLocalChar(c: number): boolean {
  return isAlnum(c) || isNonAsciiLetter(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
}

function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46 || isNonAsciiLetter(c);
}

/** Non-ASCII code units that can be part of internationalized names (not spaces or punctuation). */
function isNonAsciiLetter(c: number): boolean {
  // Fullwidth punctuation and digits (U+FF00-U+FF20) are no letters: `lodash@０.１０.１０` is a version.
  return c > 127 && c !== 0xa0 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000 && !(c >= 0xff00 && c <= 0xff20);
}

/**
 * The end of a valid domain starting at `from` (exclusive), or -1. Labels of letters, digits and
 * inner hyphens, at least two labels, the last one (TLD) alphabetic, 2-24 letters.
 */
function domainEnd(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + MAX_DOMAIN);
  while (i < limit && isDomainChar(text.charCodeAt(i))) i++;
  // Trim trailing dots and hyphens (sentence punctuation, `a@b.com.`).
  while (i > from && (text.charCodeAt(i - 1) === 46 || text.charCodeAt(i - 1) === 45)) i--;
  if (i < limit && isWordChar(text.charCodeAt(i))) return -1;
  let labels = 0;
  let labelStart = from;
  for (let j = from; j <= i; j++) {
    if (j === i || text.charCodeAt(j) === 46) {
      const len = j - labelStart;
      if (len === 0 || len > 63) return -1;
      if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(j - 1) === 45) return -1;
      labels++;
      labelStart = j + 1;
    }
  }
  if (labels < 2) return -1;
  const tldStart = text.lastIndexOf('.', i - 1) + 1;
  const tldLen = i - tldStart;
  if (tldLen < 2 || tldLen > 24) return -1;
  for (let j = tldStart; j < i; j++)
    if (!isAsciiLetter(text.charCodeAt(j)) && !isNonAsciiLetter(text.charCodeAt(j))) return -1;
  if (FILE_EXTENSIONS.has(text.slice(tldStart, i).toLowerCase())) return -1;
  return i;
}

/**
 * `email`: `local@domain.tld`. Anchors on `@`, expands left over at most 64 local-part characters and
 * right over at most 253 domain characters. Not matched: npm scopes and versions (`@scope/pkg`,
 * `lodash@4.17.21`), image variants (`icon@2x.png`), digests (`img@sha256:…`), hosts without a TLD
 * (`root@localhost`).
 */
export const emailDetector: Detector = {
  name: 'email',
  trigger: /@|%40/,
  mayMatch: (text) => text.indexOf('@') !== -1 || text.indexOf('%40') !== -1,
  find(text: string, out: Finding[]): void {
    let from = 0;
    // Two anchors: '@' and its URL-encoded form '%40' (`?email=jane%40example.com`).
    let nextAt = -2;
    let nextPct = -2;
    for (;;) {
      if (nextAt !== -1 && nextAt < from) nextAt = text.indexOf('@', from);
      if (nextPct !== -1 && nextPct < from) nextPct = text.indexOf('%40', from);
      if (nextAt === -1 && nextPct === -1) return;
      const pct = nextAt === -1 || (nextPct !== -1 && nextPct < nextAt);
      const at = pct ? nextPct : nextAt;
      const atLen = pct ? 3 : 1;
      from = at + atLen;
      let start = at;
      const min = Math.max(0, at - MAX_LOCAL);
      while (start > min && isLocalChar(text.charCodeAt(start - 1))) start--;
      // Leading dots/quotes-like punctuation belong to the sentence, not the address.
      while (start < at && !isAlnum(text.charCodeAt(start)) && text.charCodeAt(start) !== 95) start++;
      if (start === at) continue;
      if (start === min && min > 0 && isLocalChar(text.charCodeAt(min - 1))) continue; // local part too long
      const before = codeAt(text, start - 1);
      if (before === 64) continue; // `a@b@c`
      if (text.charCodeAt(at - 1) === 46) continue; // `a.@b.com`
      const end = domainEnd(text, at + atLen);
      if (end === -1) continue;
      out.push({ start, end, type: 'email' });
      from = end;
    }
  },
};
