import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, UPPER, chars, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): a JSON object of cookies (`{"cookies":{"sid":"abc","lang":"en"}}`, also
// escaped inside a JSON string) is read like a `Cookie:` header: each member's value is masked exactly when the same
// name and value in a `Cookie: name=value` header is. The header is the oracle; the object's writings vary around it
// (key spellings, quotes, blanks, escaped JSON, line breaks, a non-string member that ends the reading).

const scan = edgeScanners(['labeled-secret']);
const MASK = '[REDACTED:labeled-secret]';
const masked = (text: string) => scan.scanners.map((s) => s.scan(text).value);

const NAMES = [
  'sid',
  'PHPSESSID',
  'connect.sid',
  'auth_token',
  'remember_me',
  'jwt',
  'XSRF-TOKEN',
  'uid',
  'user',
].concat(['key', 'lang', 'theme', 'tracker', '_ga', 'Path', 'Expires', 'Max-Age', 'users', 'xuid', 'keys']);
const value = fc.oneof(
  chars(LOWER, 2, 4),
  chars(LOWER, 8, 10),
  fc.tuple(fc.constantFrom(...UPPER), chars(ALNUM, 5, 10), fc.constantFrom(...DIGITS)).map((p) => p.join('')),
  fc.constantFrom('deleted', 'guest', '0', '-', 'xxx', 'null', 'en-US', 'dark', '$abc'),
);
/** Whether a `Cookie:` header masks `name=v`: the oracle. */
const headerMasks = (name: string, v: string) =>
  scan.scanners[0]!.scan(`Cookie: ${name}=${v}`).value !== `Cookie: ${name}=${v}`;

describe('labeled-secret: JSON objects of cookies', () => {
  it('each member is masked exactly when a Cookie header masks the same pair', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMES), value), {
          minLength: 1,
          maxLength: 4,
          selector: ([n]) => n,
        }),
        fc.constantFrom('cookies', 'cookie', 'Cookies', 'Set-Cookie', 'cookies2'),
        fc.constantFrom('"', "'", '\\"'),
        fc.constantFrom(':', ': ', ' : ', ':   ', '   :'),
        fc.constantFrom(',', ', ', ' , ', ',\n  '),
        fc.constantFrom('', ' ', '\n  '),
        (pairs, key, q, colon, comma, pad) => {
          const write = (mask: boolean) =>
            `{${q}${key}${q}${colon}{${pad}` +
            pairs.map(([n, v]) => `${q}${n}${q}${colon}${q}${mask && headerMasks(n, v) ? MASK : v}${q}`).join(comma) +
            `${pad}}}`;
          const text = write(false);
          for (const out of masked(text)) expect(out, text).toBe(write(true));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a member that is no quoted string ends the reading; members before it are read', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom('U'), chars(ALNUM, 6, 10), fc.constantFrom(...DIGITS)).map((p) => p.join('')),
        fc.constantFrom('1', '{"a":"b"}', '["x"]', 'true', 'sid'),
        (v, other) => {
          // `sid` is a session cookie: any value of 3 characters counts, so what is kept shows the reading stopped.
          for (const out of masked(`{"cookies":{"sid":"${v}","n":${other},"sid":"abcd"}}`))
            expect(out).toBe(`{"cookies":{"sid":"${MASK}","n":${other},"sid":"abcd"}}`);
          scan.kept(`{"cookies":{"n":${other},"sid":"abcd"}}`);
          scan.kept(`{"cookies":{"sid""abcd"}}`);
          scan.kept(`{"cookies":{sid:"abcd"}}`);
          scan.kept(`{"cookies":{"sid":"abcd}}`);
          scan.kept(`{"cookies":{"":"abcd"}}`);
          scan.kept(`{"cookies":{"s id":"abcd"}}`);
          scan.kept(`{"xcookies":{"sid":"abcd"}}`);
        },
      ),
      { numRuns: 20 },
    );
  });
});
