import { codeAt, isAlnum, isAsciiLetter, isSpace } from './chars';
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
    i = at;
    if (at === -1 || colon === -1 || colon === at - 1) continue;
    // Something host-like must follow the '@'.
    const h = codeAt(text, i + 1);
    if (!(isAlnum(h) || h === 91 || h > 127)) continue;
    out.push({ start, end: i, type: 'url-credentials' });
    from = i + 1;
  }
}
