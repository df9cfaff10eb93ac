import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// Separators and the `@` written as escapes a consumer decodes, sent by an outside tester through real SDK providers
// with the real privacy processors and the default policy (log body, log attribute, span attribute, event attribute):
// before, these were exported as written:
// - the UTF-8 bytes of a non-ASCII separator as `\xHH` escapes, as Python's `b''` repr and Go's `%q` write them
//   (`4111\xc2\xa01111…`: the bytes were read one by one as Latin-1, `Â` and a no-break space);
// - two-hex-digit escapes as LDAP filters and distinguished names write them (`jane.doe\40example.com`, `123\2d45`),
//   where a CSS escape reads on into the hex letters after them;
// - a backslash before a blank or `:` as shells and Lucene/Elasticsearch query strings escape them
//   (`4111\ 1111\ …`, `2001\:db8\:…`).
const pipelines = defaultPolicyPipelines();

/** Canaries as groups; the separator between the groups is what the escapes write. */
const CANARIES: readonly (readonly string[])[] = [
  ['4111', '1111', '1111', '1111'],
  ['+1', '202', '555', '0143'],
  ['DE89', '3704', '0044', '0532', '0130', '00'],
  ['ssn 123', '45', '6789'],
];
const utf8Escaped = (ch: string, upper: boolean): string =>
  [...Buffer.from(ch, 'utf8')]
    .map((b) => `\\x${b.toString(16).padStart(2, '0')}`)
    .map((e) => (upper ? e.toUpperCase().replace('\\X', '\\x') : e))
    .join('');
/** Separators other than ASCII a writer puts between groups: no-break, narrow, thin, figure, ideographic spaces, dashes. */
const WIDE = ['\u00a0', '\u202f', '\u2009', '\u2007', '\u3000', '\u2011', '\u2013', '-', ' '];
const ALNUM = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

function assertHidden(value: string, canary: string): void {
  for (const out of pipelines.roundTrip(value)) expect(ALNUM(out), value).not.toContain(ALNUM(canary));
}

describe('escaped separators and @', () => {
  it('UTF-8 bytes of a separator written as \\xHH (any hex case) between the groups: masked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CANARIES),
        fc.constantFrom(...WIDE),
        fc.boolean(),
        fc.constantFrom('', "b'", 'value '),
        (groups, sep, upper, before) => {
          const written = groups.join(utf8Escaped(sep, upper));
          // the escapes' letters stand between the digits: the canary as written must not be exported
          for (const out of pipelines.roundTrip(`${before}${written} ok`)) expect(out).not.toContain(written);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an address whose @ or dots are written \\xHH UTF-8 of a look-alike, or as LDAP \\HH escapes: masked', () => {
    const at = fc.constantFrom(utf8Escaped('\uff20', false), '\\40', '\\40', '\\x40');
    const dot = fc.constantFrom('.', '\\2e', '\\2E', utf8Escaped('\uff0e', false));
    fc.assert(
      fc.property(at, dot, fc.constantFrom('', '(mail=', 'cn=x,mail='), (a, d, before) => {
        const value = `${before}jane${d}doe${a}example${d}com)`;
        for (const out of pipelines.roundTrip(value)) expect(out, value).not.toMatch(/jane.{0,8}doe/);
      }),
      { numRuns: 40 },
    );
  });

  it('LDAP \\HH escapes of a separator between digit groups, and a backslash before a blank or `:`: masked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CANARIES),
        fc.constantFrom('\\20', '\\2d', '\\2D', '\\ ', '\\-'),
        (groups, sep) => {
          const written = groups.join(sep);
          for (const out of pipelines.roundTrip(`x ${written} ok`)) expect(out).not.toContain(written);
        },
      ),
      { numRuns: 40 },
    );
    for (const [v, canary] of [
      ['2001\\:db8\\:85a3\\:\\:8a2e\\:370\\:7334', '2001db885a38a2e3707334'],
      ['ip 192\\2e0\\2e2\\2e44', '1920244'],
      ['ghp\\5fFAKEa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6', 'FAKEa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6'],
    ] as const)
      assertHidden(v, canary);
  });

  it('Latin-1 bytes and Windows paths stay as written', () => {
    for (const v of ['caf\\xe9 ok', 'C:\\2024\\report.txt', 'path C:\\Program Files\\App\\bin', 'regex \\d+\\.\\d+'])
      expect(pipelines.roundTrip(v).filter((out) => out === v).length, v).toBeGreaterThanOrEqual(1);
  });
});

// Defanged addresses, as threat reports and tickets write them so that they do not link: before, only an address with
// an obfuscated `(at)` was read with `[.]` dots; with a plain `@`, and IP addresses, they were exported as written.
describe('defanged dots, colons and @', () => {
  const dot = fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '(DOT)', '.');
  it('an e-mail or IP address with any of its dots (or its @) defanged is masked', () => {
    fc.assert(
      fc.property(
        dot,
        dot,
        fc.constantFrom('@', '[@]', '(@)'),
        fc.constantFrom('', 'ioc: ', 'mail '),
        (d1, d2, at, before) => {
          const mail = `${before}jane${d1}doe${at}example${d2}com ok`;
          for (const out of pipelines.roundTrip(mail)) expect(out, mail).not.toMatch(/jane.{0,6}doe/);
          const ip = `${before}192${d1}0${d2}2${d1}44 ok`;
          for (const out of pipelines.roundTrip(ip)) expect(out, ip).not.toContain(`192${d1}0${d2}2${d1}44`);
        },
      ),
      { numRuns: 60 },
    );
  });

  // (`[:]` is not read as a defanged colon: in a URL it is a bracketed host, `http://[:]:8443/`; ip-oracles.test.ts)
  it('brackets around other text stay', () => {
    for (const v of ['f(.) and a[.] array', 'see [docs](.)', 'x {dot} y', 'call f(x) [ok]'])
      expect(pipelines.roundTrip(v).filter((out) => out === v).length, v).toBeGreaterThanOrEqual(1);
  });
});
