import { deflateSync, gzipSync } from 'node:zlib';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UTF7_SEGMENT } from '../../engine/detectors/encoded-forms';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';
import { canaryOfKind } from './canaries';
import type { PiiCanary } from './canaries';

// Encoded forms of secrets outside testers got exported unredacted: quoted-printable, octal and CSS escapes,
// `%uXXXX`, UTF-7, gzip/zlib inside base64, lower-cased and reversed base64, hex with separators, decimal byte
// lists, UTF-16 of text starting in another script. Each property takes a canary of each detector kind (obviously
// fake values), applies one encoder or two (the outer one wrapping the inner one's output), writes the result into
// a span attribute, a span event attribute, a log body and a log attribute through real SDK providers with the real
// privacy processors and in-memory exporters, and searches the exported OTLP/JSON for the canary and its encoded
// form.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'] },
  logs: { attributes: { allow: ['app.*'] } },
  values: { detectors: 'all', action: 'mask' },
});
const { spans, logs, tracerProvider, loggerProvider } = privacyPipelines(policy);

/** Exports `value` through every field and returns the exported requests as OTLP/JSON text. */
function exportEverywhere(value: string): string {
  const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': value } });
  span.addEvent('note', { 'app.detail': value });
  span.end();
  loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'app.note': value } });
  const text =
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString() +
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString();
  spans.reset();
  logs.reset();
  return text;
}

const bytesOf = (s: string) => [...Buffer.from(s)];
const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const isAlnum = (ch: string) => /^[A-Za-z0-9]$/.test(ch);
/** Encodes the characters that are not letters or digits with `f` (how the forms hide `@`, `.`, spaces, dashes). */
const punct = (s: string, f: (ch: string) => string) => [...s].map((ch) => (isAlnum(ch) ? ch : f(ch))).join('');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** UTF-7 (RFC 2152) of one character: `+`, base64 of its UTF-16BE units without padding, `-`. */
function utf7(ch: string): string {
  if (ch === '+') return '+-';
  const units = Buffer.alloc(ch.length * 2);
  for (let k = 0; k < ch.length; k++) units.writeUInt16BE(ch.charCodeAt(k), 2 * k);
  return `+${units.toString('base64').replace(/=+$/, '')}-`;
}

/** The encoders: each takes text and returns its encoded form. */
const encoders: Record<string, (s: string) => string> = {
  'quoted-printable (every byte)': (s) =>
    bytesOf(s)
      .map((b) => `=${hex2(b).toUpperCase()}`)
      .join(''),
  'quoted-printable (punctuation)': (s) =>
    punct(s, (ch) =>
      bytesOf(ch)
        .map((b) => `=${hex2(b).toUpperCase()}`)
        .join(''),
    ),
  'quoted-printable soft line break': (s) => `${s.slice(0, s.length >> 1)}=\r\n${s.slice(s.length >> 1)}`,
  'octal escapes': (s) =>
    punct(s, (ch) =>
      bytesOf(ch)
        .map((b) => `\\${b.toString(8).padStart(3, '0')}`)
        .join(''),
    ),
  'CSS escapes': (s) => punct(s, (ch) => `\\${ch.charCodeAt(0).toString(16)} `),
  '%uXXXX': (s) => punct(s, (ch) => `%u${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`),
  'UTF-7': (s) => punct(s, utf7),
  'gzip in base64': (s) => b64(gzipSync(`note ${s}`)),
  'zlib in base64': (s) => b64(deflateSync(`note ${s}`)),
  'lower-cased base64': (s) => b64(`note ${s}`).toLowerCase(),
  'reversed base64': (s) => [...b64(`note ${s}`)].reverse().join(''),
  'spaced hex': (s) => bytesOf(s).map(hex2).join(' '),
  'colon hex': (s) => bytesOf(s).map(hex2).join(':'),
  '0x hex list': (s) =>
    bytesOf(s)
      .map((b) => `0x${hex2(b)}`)
      .join(', '),
  'decimal byte list': (s) => `[${bytesOf(s).join(',')}]`,
  'decimal bytes spaced': (s) => bytesOf(s).join(' '),
  'UTF-16 (Cyrillic first) in base64': (s) => b64(Buffer.from(`Клиент ${s}`, 'utf16le')),
  'UTF-16 (Cyrillic first) in hex': (s) => Buffer.from(`Клиент ${s}`, 'utf16le').toString('hex'),
  'UTF-16 (CJK first) in base64': (s) => b64(Buffer.from(`客户 ${s}`, 'utf16le')),
  'UTF-16 (Latin Extended first) in base64': (s) => b64(Buffer.from(`Łukasz ${s}`, 'utf16le')),
  'UTF-16 (Glagolitic first) in hex': (s) => Buffer.from(`Ⰰ ${s}`, 'utf16le').toString('hex'),
  'UTF-16 (Yi first) in base64': (s) => b64(Buffer.from(`ꀀ ${s}`, 'utf16le')),
};

/** Encoders that wrap any text (the outer one of a combination). */
const wrappers = [
  'quoted-printable (every byte)',
  'gzip in base64',
  'spaced hex',
  'decimal byte list',
  'UTF-16 (Cyrillic first) in base64',
];
const plainBase64 = (s: string) => b64(s);

const KINDS = 9;
const contexts = ['%s', 'note %s', '{"v":"%s"}', 'msg="%s" level=info'];

/** Asserts that neither the canary nor its encoded form leaves the process. */
function expectNotExported(canary: PiiCanary, encoded: string, context: string): void {
  const value = context.replace('%s', encoded);
  const out = exportEverywhere(value);
  const leaked = canary.needles.filter((n) => out.includes(n));
  expect(leaked, value).toEqual([]);
  expect(out.includes(JSON.stringify(encoded).slice(1, -1)), value).toBe(false);
  expect(out, value).toContain('[REDACTED:');
}

/**
 * Kinds (`canaryOfKind`) whose canaries survive lower-casing: e-mail, card, IBAN, SSN, phone, IPv4 (a lower-cased
 * base64 run's case is restored per quad to the most text-like letters, so a JWT, a mixed-case `Bearer` token or
 * an AWS key id comes back in other letters: documented as not caught).
 */
const CASE_FREE_KINDS = 6;
const kindsFor = (name: string) => (name.includes('lower-cased') ? CASE_FREE_KINDS : KINDS);

describe('outside attack: encoded forms of secrets through real SDK providers', () => {
  for (const name of Object.keys(encoders))
    it(`${name}: no canary of any kind is exported`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: kindsFor(name) - 1 }), fc.constantFrom(...contexts), (kind, context) => {
          const canary = canaryOfKind(kind);
          expectNotExported(canary, encoders[name](canary.text), context);
        }),
        { numRuns: 3 * KINDS },
      );
    });

  it('two encoders combined (base64, gzip, hex, byte lists, UTF-16 around each form)', () => {
    const names = Object.keys(encoders);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: KINDS - 1 }),
        fc.constantFrom(...names),
        fc.constantFrom(...wrappers, 'base64'),
        (kind, inner, outer) => {
          fc.pre(kind < kindsFor(inner));
          const canary = canaryOfKind(kind);
          const wrap = outer === 'base64' ? plainBase64 : encoders[outer];
          expectNotExported(canary, wrap(`v ${encoders[inner](canary.text)}`), 'note %s');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('outside attack: UTF-7 segments holding characters outside the BMP', () => {
  // An encoder may write a whole phrase as one segment; an emoji or a musical symbol in it is a surrogate pair.
  it('a segment with an emoji and the canary decodes whole: no canary of any kind is exported', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: KINDS - 1 }),
        fc.constantFrom('\u{1F4DE}', '\u{1F4E7}', '\u{1F600}', '\u{1D11E}'),
        fc.boolean(),
        fc.constantFrom(...contexts),
        (kind, astral, after, context) => {
          const canary = canaryOfKind(kind);
          const phrase = after ? `${canary.text} ${astral}` : `${astral} ${canary.text}`;
          const segment = utf7(phrase);
          fc.pre(segment.length <= MAX_UTF7_SEGMENT + 2);
          expectNotExported(canary, segment, context);
        },
      ),
      { numRuns: 3 * KINDS },
    );
  });
});

describe('encoded forms: bounds and the quoted-printable view', () => {
  it('a gzip bomb in base64 is masked whole as unscanned (decompression stops at 64 KiB), not exported', () => {
    const bomb = b64(gzipSync(Buffer.alloc(4 * 1024 * 1024, 'a')));
    const out = exportEverywhere(`blob ${bomb}`);
    expect(out).not.toContain(bomb.slice(0, 40));
    expect(out).toContain('[REDACTED:unscanned]');
  });

  it('a truncated gzip stream still gives what it holds', () => {
    const canary = canaryOfKind(0);
    const full = gzipSync(`note ${canary.text} ${'x'.repeat(200)}`);
    const cut = b64(full.subarray(0, full.length - 12));
    const out = exportEverywhere(`blob ${cut}`);
    expect(out).not.toContain(cut);
    expect(out).toContain('[REDACTED:email]');
  });

  it('key=value pairs keep their values for the other views (`card=4111…` is not read as `cardA11…`)', () => {
    for (const value of ['card=4111111111111111', 'card=4111%201111%201111%201111', 'card=&#52;111111111111111']) {
      const out = exportEverywhere(value);
      expect(out, value).toContain('[REDACTED:payment-card]');
      expect(out, value).not.toContain('111111111111');
    }
  });
});

describe('encoded forms: look-alikes stay as they are', () => {
  it('hex ids, digests, UUIDs, MAC addresses, byte lists of numbers, base64 of non-text, query strings', () => {
    const clean = [
      'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'id 123e4567-e89b-12d3-a456-426614174000',
      'mac 00:1a:2b:3c:4d:5e and 3c-22-fb-01-aa-07',
      'ports [80,443,8080] weights [1,2,3,4,5,6,7,8]',
      'http_request_duration_seconds_bucket{le="0.5"} 1 2 3 4 5 6 7',
      `thumbnail ${b64(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]))}`,
      'GET /api/v2/tenants/t17/orders/4411?page=2&sort=DESC&limit=100&offset=40',
      'color=FF0000 hash=AB12CD k=v a=20 b=30',
      'path C:\\Users\\dev\\abc\\file.txt regex \\d{3}-\\d{4}',
      'sum a+b+c = 3, 1+AB',
      `gzip of a plain log line ${b64(gzipSync('request handled in 12 ms for tenant t1'))}`,
    ];
    for (const value of clean) {
      const out = exportEverywhere(value);
      expect(out, value).not.toContain('[REDACTED');
    }
  });
});
