import { codeAt, isAlnum, isAsciiLetter, isCjkBoundary, isDigit, isSpace } from './chars';
import type { Detector, Finding } from './types';

const MAX_SCHEME = 32;

function isSchemeChar(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 45 || c === 46;
}

/** Characters that end the authority part of a URL (userinfo cannot contain them unencoded). */
function endsAuthority(c: number): boolean {
  return (
    c === -1 ||
    c === 47 ||
    c === 63 ||
    c === 35 ||
    c === 64 ||
    isSpace(c) ||
    c === 34 ||
    c === 39 ||
    c === 60 ||
    c === 62 ||
    c === 96 ||
    c === 44 ||
    c === 59 ||
    c === 91 ||
    c === 93 ||
    c === 123 ||
    c === 125 ||
    c === 124 ||
    c === 92
  );
}

/**
 * A Go `database/sql` MySQL DSN's `user:password` before `@tcp(`, `@tcp6(`, `@udp(` or `@unix(`
 * (`jane:hunter2@tcp(db:3306)/app`): a user of up to 64 characters, a password of up to 256 (no blank or quote), at
 * the start of a word or after `=`, a quote or a bracket.
 */
const GO_DSN = /(?<![^\s"'`=(,;<>[\]{}])[^\s"'`@/:=(),;<>[\]{}]{0,64}:[^\s"'`]{1,256}?(?=@(?:tcp6?|udp|unix)\()/g;

/** Whether `text` holds a Go DSN's `@` before a network (`@tcp(`, `@tcp6(`, `@udp(`, `@unix(`): `GO_DSN`'s condition. */
function mayHoldGoDsn(text: string): boolean {
  return text.indexOf('@tcp') !== -1 || text.indexOf('@unix(') !== -1 || text.indexOf('@udp(') !== -1;
}

/** The Go DSN credentials in `text` (`GO_DSN`), appended to `out`. */
function findGoDsn(text: string, out: Finding[]): void {
  GO_DSN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = GO_DSN.exec(text)) !== null)
    out.push({ start: m.index, end: m.index + m[0].length, type: 'url-credentials' });
}

/**
 * `url-credentials`: the `user:password` part of `scheme://user:password@host` URLs (any scheme:
 * `https`, `postgres`, `redis`, `amqp`, `mongodb+srv`, …), also with an empty user
 * (`redis://:secret@host`). Only the userinfo is reported, so masking keeps scheme and host. A
 * userinfo without a password (`https://user@host`) is left to the `email` detector.
 */
export const urlCredentialsDetector: Detector = {
  name: 'url-credentials',
  trigger: /@/,
  mayMatch: (text) => text.indexOf('@') !== -1 && (text.indexOf('://') !== -1 || mayHoldGoDsn(text)),
  find(text: string, out: Finding[]): void {
    // Most values hold no DSN: the URL userinfo alone, no merge (no array, no sort).
    if (!mayHoldGoDsn(text)) {
      findUrlUserinfo(text, out);
      return;
    }
    const found: Finding[] = [];
    findUrlUserinfo(text, found);
    findGoDsn(text, found);
    found.sort((a, b) => a.start - b.start);
    for (let k = 0; k < found.length; k++) if (k === 0 || found[k].start >= found[k - 1].end) out.push(found[k]);
  },
};

/** `/`, `?`, `#` and `;`: they end an authority, but a password may hold them unencoded (`;` also an SMB domain's). */
function isReservedInPassword(c: number): boolean {
  return c === 47 || c === 63 || c === 35 || c === 59;
}

/** Most characters read past a reserved character for the userinfo's `@`. */
const MAX_RESERVED_RUN = 256;

/** Whether `c` is part of a host name: ASCII letters and digits, `.`, `-`, `_`, non-ASCII but a blank. */
function isHostChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 45 || c === 95 || (c > 127 && !isSpace(c));
}

/**
 * The end of the host (and port) after an `@` at `at`, when a character that ends an authority (not `@`), a `)` or the
 * text's end follows them: a host name (starting with an ASCII letter or digit or a non-ASCII character) or a bracketed
 * IPv6 address, an optional `:port` of 1 to 5 digits. -1 when no host ends there.
 */
function hostEnd(text: string, at: number): number {
  let k = at + 1;
  if (codeAt(text, k) === 91) {
    k++;
    while (k - at < 64 && (isAlnum(codeAt(text, k)) || codeAt(text, k) === 58 || codeAt(text, k) === 46)) k++;
    if (codeAt(text, k) !== 93) return -1;
    k++;
  } else {
    const h = codeAt(text, k);
    if (!isAlnum(h) && !(h > 127 && !isSpace(h))) return -1;
    while (isHostChar(codeAt(text, k))) k++;
  }
  if (codeAt(text, k) === 58) {
    const port = k + 1;
    k = port;
    while (k - port < 5 && isDigit(codeAt(text, k))) k++;
    if (k === port) return -1;
    // A sentence's full stop after the port (`@cache:6379.`, `@cache:6379. Next`).
    if (codeAt(text, k) === 46 && (!isHostChar(codeAt(text, k + 1)) || isCjkBoundary(codeAt(text, k + 1)))) return k;
  }
  const c = codeAt(text, k);
  // CJK text after a port or a bracketed address (`@cache:6379。`, `@[::1]です`; a host name reads it as its own).
  return c === 41 || isCjkBoundary(c) || (c !== 64 && endsAuthority(c)) ? k : -1;
}

/** Most characters of an SMB user between the domain's `;` and the `:`. */
const MAX_SMB_USER = 64;

/** A character of an SMB user name: ASCII letters and digits, `.`, `-`, `_`. */
function isUserChar(c: number): boolean {
  return isAlnum(c) || c === 46 || c === 45 || c === 95;
}

/**
 * A password with an unencoded `/`, `?`, `#` or `;` (`postgres://app:Summer2026#@db:5432/app`,
 * `redis://:p/ss@cache:6379`) or an SMB domain (`smb://CORP;jane:pw@fs01/share`, `smb://CORP\jane:pw@fs01`): the
 * authority seemed to end at `reserved`, before any `@`, its first `:` at `colon` (-1: none). With a `:` before it,
 * what stands between them must be no port (`host:8080/…`, `host:/…`, `host:port/…`); with none, `reserved` must be an
 * SMB domain's `;` or `\` and a user name (letters, digits, `.`, `-`, `_`; no `key=value`) and a `:` follow it. The
 * userinfo then runs on to the first later `@` (within `MAX_RESERVED_RUN` characters of `reserved`, no blank, quote or
 * other character that ends a URL in text, no `://` of another URL) that a host ends (`hostEnd`), a password of one
 * character at least: the end of the userinfo, or -1.
 */
function reservedUserinfoEnd(text: string, reserved: number, colon: number): number {
  let k = reserved;
  if (colon === -1) {
    // `;` or a Windows domain's `\` (`smb://CORP\jane:pw@fs01`, `\\` escaped in JSON).
    if (text.charCodeAt(reserved) === 92) k += codeAt(text, reserved + 1) === 92 ? 2 : 1;
    else if (text.charCodeAt(reserved) === 59) k++;
    else return -1;
    const userStart = k;
    while (k - userStart < MAX_SMB_USER && isUserChar(codeAt(text, k))) k++;
    if (codeAt(text, k) !== 58) return -1;
    colon = k;
  } else {
    let digits = colon + 1;
    while (digits < reserved && isDigit(text.charCodeAt(digits))) digits++;
    if (digits === reserved || text.slice(colon + 1, reserved).toLowerCase() === 'port') return -1;
  }
  const limit = Math.min(text.length, reserved + MAX_RESERVED_RUN);
  for (; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 64) {
      if (k > colon + 1 && hostEnd(text, k) !== -1) return k;
    } else if (!isReservedInPassword(c) && endsAuthority(c)) return -1;
    // Another URL starts (`grpc://host:4317https://example.com/@jane`, two values joined): no password runs into it.
    else if (c === 47 && text.charCodeAt(k - 1) === 58 && codeAt(text, k + 1) === 47) return -1;
  }
  return -1;
}

/** The userinfo of `scheme://user:password@host` URLs in `text`, appended to `out`. */
function findUrlUserinfo(text: string, out: Finding[]): void {
  let from = 0;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep === -1) return;
    from = sep + 3;
    // A scheme: a letter followed by scheme characters, bounded.
    let s = sep;
    while (s > 0 && sep - s < MAX_SCHEME && isSchemeChar(text.charCodeAt(s - 1))) s--;
    while (s < sep && !isAsciiLetter(text.charCodeAt(s))) s++;
    if (s === sep) continue;
    const start = sep + 3;
    let i = start;
    let colon = -1;
    // Unbounded (a password of any length: one of more than 512 characters was exported): the authority ends at the
    // first `/`, so no other `://` starts inside it and each character is read for one `://` only.
    const limit = text.length;
    let at = -1;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 64)
        at = i; // the last '@' ends the userinfo (unencoded '@' in passwords)
      else if (endsAuthority(c)) break;
      else if (c === 58 && colon === -1 && at === -1) colon = i;
      i++;
    }
    if (at === -1 && (isReservedInPassword(codeAt(text, i)) || (codeAt(text, i) === 92 && colon === -1 && i > start))) {
      const end = reservedUserinfoEnd(text, i, colon);
      if (end !== -1) {
        out.push({ start, end, type: 'url-credentials' });
        from = end + 1;
      }
      continue;
    }
    i = at;
    if (at === -1 || colon === -1 || colon === at - 1) continue;
    // Something host-like must follow the '@'.
    const h = codeAt(text, i + 1);
    if (!(isAlnum(h) || h === 91 || h > 127)) continue;
    out.push({ start, end: i, type: 'url-credentials' });
    from = i + 1;
  }
}
