import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's separator and boundary tricks, through real SDK providers with the real privacy processors and
// in-memory exporters; the exported OTLP/JSON requests are read whole. Fake canaries of each class are joined with a
// generated separator (ASCII and Unicode dashes, spaces, slashes, asterisks, tildes, commas, ` -- `), glued to a word,
// letter or digit on either side where the class allows it, and wrapped in markup, JSON or a URL query (session cookies
// with short letters-only values, folded or in JSON, too); no canary's
// letters and digits may survive in any exported string. Look-alikes (times, versions, OIDs, ids) must be exported
// as written.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'] },
  logs: { attributes: { allow: ['log.body', 'app.*'] } },
  values: { detectors: 'all' },
});
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(policy);

/** Every string value in the exported OTLP/JSON requests (attribute values, event attributes, log bodies). */
function exportedStrings(): string[] {
  const out: string[] = [];
  for (const line of exportedJson().split('\n'))
    JSON.parse(line, (key, value: unknown) => {
      if (key === 'stringValue' && typeof value === 'string') out.push(value);
      return value;
    });
  return out;
}

/** Sends `text` through a span attribute, a span event, a log body and a log attribute; returns what was exported. */
function roundTrip(text: string): string[] {
  const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': text } });
  span.addEvent('note', { 'app.note': text });
  span.end();
  loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'app.note': text } });
  return exportedStrings();
}

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

const separator = fc.constantFrom(
  '*',
  '~',
  '\u060c',
  '\u3001',
  ' -- ',
  ' - ',
  '\u2044',
  '\u2215',
  '\u2217',
  '\u2009',
  '\u3000',
  '\u2013',
  ' \u2014 ',
  '\u00b7',
  '\uff0c',
  '\u00a0',
  ' ',
);
const group4 = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);
const word = fc.stringMatching(/^[a-z]{1,8}$/);

/** One attack: the text written and the canary whose letters and digits must not be exported. */
interface Attack {
  text: string;
  canary: string;
}

const attacks: fc.Arbitrary<Attack> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('4111111111111111', '5555555555554444', '6011111111111117'),
      separator,
      fc.oneof(fc.constantFrom('', 'x-', 'card-', 'cc-'), word),
    )
    .map(([c, s, l]) => ({ text: l + group4(c, s), canary: c })),
  fc
    .tuple(fc.constantFrom('GB82WEST12345698765432', 'DE89370400440532013000', 'NL91ABNA0417164300'), separator)
    .map(([c, s]) => ({ text: group4(c, s), canary: c })),
  fc.constant({ text: 'FR14 20041 01005 0500013M026 06', canary: 'FR1420041010050500013M02606' }),
  fc
    .constantFrom('/', '\u2044', '\u2215', '\u29f8')
    .map((s) => ({ text: ['123', '45', '6789'].join(s), canary: '123456789' })),
  fc
    .tuple(
      fc.constantFrom('203.0.113.7', '198.51.100.23'),
      fc.constantFrom(
        (ip: string) => ip.split('.').join(' . '),
        (ip: string) => `ip=${ip.split('.').join(',')}`,
        (ip: string) =>
          ip
            .split('.')
            .map((o) => `0x${Number(o).toString(16).padStart(2, '0')}`)
            .join('.'),
      ),
    )
    .map(([ip, f]) => ({ text: f(ip), canary: f(ip) })),
  fc
    .tuple(fc.constantFrom('203.0.113.7', '198.51.100.23'), word, fc.boolean())
    .map(([ip, w, left]) => ({ text: left ? `${w}.${ip}` : `${ip}${w}`, canary: ip })),
  fc
    .constantFrom('+12025550143ext', '+12025550143ext12', 'tel:+1(202)555-0143')
    .map((t) => ({ text: t, canary: '2025550143' })),
  fc.tuple(fc.constantFrom('key', '9', 'awsKey', 'x'), fc.boolean()).map(([g, lower]) => ({
    text: lower ? `${g}akiaiosfodnn7example`.toLowerCase() : `${g}AKIAIOSFODNN7EXAMPLE`,
    canary: 'iosfodnn7example',
  })),
  fc.constantFrom(' . ', '. ', ' .').map((dot) => ({
    text: [
      'eyJhbGciOiJIUzI1NiJ9',
      'eyJzdWIiOiJmYWtlLXVzZXIiLCJuYW1lIjoiRmFrZSJ9',
      'c2lnbmF0dXJlLW9mLWEtZmFrZS10b2tlbg',
    ].join(dot),
    canary: 'c2lnbmF0dXJlLW9mLWEtZmFrZS10b2tlbg',
  })),
  fc
    .constantFrom(
      (v: string) => `Cookie: sid=${v}`,
      (v: string) => `Cookie: theme=dark;\r\n PHPSESSID=${v}`,
      (v: string) => JSON.stringify({ cookie: `session=${v}` }),
    )
    .map((f) => ({ text: f('qzkxvw'), canary: 'qzkxvw' })),
  fc
    .constantFrom('<br>', '<br/>', '&nbsp;')
    .map((s) => ({ text: `Authorization: Bearer${s}fakeToken0123456789abcdef`, canary: 'fakeToken0123456789abcdef' })),
);

const wrappers = fc.constantFrom(
  (s: string) => s,
  (s: string) => `note ${s} end`,
  (s: string) => JSON.stringify({ v: s }),
  (s: string) => `<td>${s}</td>`,
  (s: string) => `https://shop.example.com/pay?ref=${encodeURIComponent(s)}&step=2`,
);

describe('outside attack: separator and boundary tricks through the SDK', () => {
  it('no canary letters and digits survive in any exported string', () => {
    fc.assert(
      fc.property(attacks, wrappers, (attack, wrap) => {
        const text = wrap(attack.text);
        const exported = roundTrip(text);
        expect(exported.length, text).toBeGreaterThanOrEqual(4);
        for (const value of exported)
          if (value !== 'work' && value !== 'note')
            expect(alnum(value), `${JSON.stringify(text)} → ${JSON.stringify(value)}`).not.toContain(
              alnum(attack.canary),
            );
      }),
      { numRuns: 200 },
    );
  });

  it('look-alikes are exported as written', () => {
    for (const text of [
      '2026-12-06T00:53:27.123Z',
      'v1.2.3.4',
      'oid 1.3.6.1.4.1.311.21.8',
      'trace 4bf92f3577b34da6a3ce929d0e0e4736',
      'ORD-4111111111111111',
      'buckets=100,200,250,5',
      'took 1,234,567 ms',
      'duration 00:01:23.456',
      'lib.so.1.2.3.4',
      '/users/123/45/6789',
    ]) {
      const exported = roundTrip(text);
      expect(exported.filter((v) => v === text).length, text).toBe(4);
    }
  });
});
