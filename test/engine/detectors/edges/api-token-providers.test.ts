import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, chars, edgeScanners, prose } from './secret-edges-helpers';

// `api-token` for the providers an outside tester's round 16 found exported as bare tokens: Atlassian (`ATATT3…`),
// Linear (`lin_api_…`), Postman (`PMAK-…`), Pulumi (`pul-…`), Heroku (`HRKU-…`), CircleCI (`CCIPAT_…`), Doppler
// (`dp.st.…`), age (`AGE-SECRET-KEY-1…`), Discord bot tokens, Meta and Square (`EAA…`), Mailchimp (`<32 hex>-us14`)
// and Braintree (`access_token$production$…`). Each format at its shortest body is masked, one character short is
// not, inside the wrappers a value carries it in; look-alike prose stays as written. Pre-filter on and off.

const scan = edgeScanners(['api-token']);
const HEX = '0123456789abcdef';
const URL_SAFE = ALNUM + '_-';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

/** A random body: letters of both cases and a digit at fixed places, so every generated body is random-looking. */
const mixed = (alphabet: string, n: number) =>
  chars(alphabet, n - 3).map((s) => `Ab${s.slice(0, Math.floor(s.length / 2))}7${s.slice(Math.floor(s.length / 2))}`);
/** Lower-case hex with a digit and a letter. */
const hex = (n: number) => chars(HEX, n - 2).map((s) => `a${s}7`);

interface Provider {
  readonly name: string;
  /** The token at its shortest and the part that must not be exported. */
  readonly token: fc.Arbitrary<{ text: string; secret: string }>;
  /** The same one character short (no token). */
  readonly short: fc.Arbitrary<string>;
}
const provider = (
  name: string,
  parts: readonly (string | fc.Arbitrary<string>)[],
  shortAt: number,
  secretAt = parts.length - 1,
): Provider => {
  const arbs = parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p));
  const tuple = fc.tuple(...arbs);
  return {
    name,
    token: tuple.map((t) => ({ text: t.join(''), secret: t[secretAt]! })),
    short: tuple.map((t) => t.map((p, i) => (i === shortAt ? p.slice(1) : p)).join('')),
  };
};

const PROVIDERS: readonly Provider[] = [
  provider('Atlassian', ['ATATT3', mixed(URL_SAFE + '=', 50)], 1),
  provider('Linear', ['lin_api_', mixed(ALNUM, 40)], 1),
  provider('Postman', ['PMAK-', hex(24), '-', hex(34)], 3),
  provider('Pulumi', ['pul-', hex(40)], 1),
  provider('Heroku', ['HRKU-', mixed(URL_SAFE, 30)], 1),
  provider('CircleCI', ['CCIPAT_', mixed(ALNUM, 22), '_', hex(40)], 1, 3),
  provider('Doppler service', ['dp.st.', mixed(ALNUM, 40)], 1),
  provider('Doppler personal', ['dp.pt.', mixed(ALNUM, 40)], 1),
  provider('age', ['AGE-SECRET-KEY-1', chars(BECH32, 58)], 1),
  provider('Discord', [chars('MNO', 1), mixed(URL_SAFE, 23), '.', chars(ALNUM, 6), '.', mixed(ALNUM, 27)], 5, 5),
  provider('Meta/Square', ['EAA', mixed(ALNUM, 57)], 1),
  provider('Mailchimp', [hex(32), '-us', chars(DIGITS, 1, 2)], 0, 0),
  provider('Braintree', ['access_token$production$', chars(LOWER + DIGITS, 16), '$', hex(32)], 3, 3),
];

/** How a value carries a token: bare, a log line, JSON, YAML, a query, XML. */
const wrap = fc.constantFrom(
  (t: string) => t,
  (t: string) => `2026-12-07 INFO using ${t} for deploy`,
  (t: string) => `{"value":"${t}"}`,
  (t: string) => `value: ${t}\nnext: 1`,
  (t: string) => `/hook?v=${t}&x=1`,
  (t: string) => `<v>${t}</v>`,
);

describe('api-token: providers of round 16', () => {
  for (const p of PROVIDERS) {
    it(`${p.name}: masked at its shortest, in every wrapper; one character short is kept`, () => {
      fc.assert(
        fc.property(p.token, p.short, wrap, prose, ({ text, secret }, short, w, word) => {
          scan.found(w(text), secret);
          scan.found(`${word} ${text} ${word}`, secret);
          scan.kept(`${word} ${short} ${word}`);
        }),
        { numRuns: 10 },
      );
    });
  }

  // Look-alike prose and identifiers: exported exactly as written.
  it.each([
    'EAA member since 2019',
    'EAAS',
    'EAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'EAA0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF',
    'dp.st.louis.example',
    'pul-ups x3',
    'lin_api_docs',
    'HRKU-short',
    'AGE-SECRET-KEY-1 is the prefix of an age key',
    'com.google.android.gms.measurement.AppMeasurementService',
    'a.bcdefg.h',
    'build.v1.2.3-us1',
    'region eu-west-1 / us-east-1',
    '00000000000000000000000000000000-us14',
    'access_token$production$',
    'ATATT3 is an Atlassian prefix',
  ])('keeps %s', (text) => {
    scan.kept(text);
  });

  it('keeps a dotted name of three parts that is not random (Discord layout, one case, no digit)', () => {
    fc.assert(
      fc.property(chars(LOWER, 23), chars(LOWER, 6), chars(LOWER, 27), (a, b, c) => {
        scan.kept(`M${a}.${b}.${c}`);
        scan.kept(`N${a.toUpperCase()}.${b.toUpperCase()}.${c.toUpperCase()}`);
      }),
      { numRuns: 10 },
    );
  });

  it('an UPPER-case hex run after EAA (a digest) is kept', () => {
    fc.assert(
      fc.property(chars('0123456789ABCDEF', 61), (h) => {
        scan.kept(`sha256 EAA${h}`);
      }),
      { numRuns: 10 },
    );
  });
});

// A Go `database/sql` MySQL DSN (`user:password@tcp(host:port)/db`) has no `://`: its credentials are still masked
// (`url-credentials`); without a password, or a `tcp(` without credentials, it stays.
describe('url-credentials: Go MySQL DSNs', () => {
  const dsn = edgeScanners(['url-credentials']);
  it('masks user:password before @tcp(, @tcp6(, @udp(, @unix(, in every wrapper', () => {
    fc.assert(
      fc.property(
        chars(LOWER, 1, 12),
        mixed(ALNUM + '-_!', 12),
        fc.constantFrom('tcp(db:3306)', 'tcp6([::1]:3306)', 'udp(db:3306)', 'unix(/var/run/mysqld.sock)'),
        wrap,
        (user, pw, net, w) => {
          dsn.found(w(`${user}:${pw}@${net}/app?parseTime=true`), pw, 'url-credentials');
          dsn.marked(`«${user}:${pw}»@${net}/app`);
        },
      ),
      { numRuns: 30 },
    );
  });

  it.each([
    'dial tcp(db:3306): connection refused',
    'jane@tcp(db:3306)/app',
    'error: refused @tcp(db:3306)',
    'see user@unix(/tmp/sock) for details',
  ])('keeps %s', (text) => {
    dsn.kept(text);
  });
});
