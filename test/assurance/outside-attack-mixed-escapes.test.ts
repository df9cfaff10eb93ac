import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';
import { prng } from '../engine/detectors/testdata/generate';
import { canaryOfKind } from './canaries';

// Escapes of every kind the outside attack used, per character, mixed character by character, nested up to three
// layers deep (each layer escaping the previous one's output, all of it or only its punctuation: `%3D40`, `=2540`),
// with base64 (also written in separated groups) and hex between the layers. Each generated value goes through real
// SDK providers with the privacy processors into in-memory exporters; no canary may be in the exported OTLP/JSON,
// neither as written nor after the receiver undoes every escape (`undoEscapes`), and the encoded value itself may not
// be exported as it was.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'] },
  logs: { attributes: { allow: ['app.*'] } },
  values: { detectors: 'all', action: 'mask' },
});
const { spans, logs, tracerProvider, loggerProvider } = privacyPipelines(policy);

/** Exports `value` as a span attribute, an event attribute, a log body and a log attribute; the exported values. */
function exportEverywhere(value: string): string[] {
  const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': value } });
  span.addEvent('note', { 'app.detail': value });
  span.end();
  loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'app.note': value } });
  const json =
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString() +
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString();
  const out = [
    String(spans.getFinishedSpans()[0].attributes['app.note']),
    String(spans.getFinishedSpans()[0].events[0].attributes!['app.detail']),
    String(logs.getFinishedLogRecords()[0].body),
    String(logs.getFinishedLogRecords()[0].attributes['app.note']),
    json,
  ];
  spans.reset();
  logs.reset();
  return out;
}

const utf8 = (ch: string) => [...Buffer.from(ch)];
const hex2 = (b: number) => b.toString(16).padStart(2, '0');
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

/** One escape per kind: how each writes one character (`ch` is one UTF-16 code unit of ASCII or Latin-1 text). */
const escapes: Record<string, (ch: string) => string> = {
  percent: (ch) =>
    utf8(ch)
      .map((b) => `%${hex2(b).toUpperCase()}`)
      .join(''),
  'percent (lower-case hex)': (ch) =>
    utf8(ch)
      .map((b) => `%${hex2(b)}`)
      .join(''),
  'quoted-printable': (ch) =>
    utf8(ch)
      .map((b) => `=${hex2(b).toUpperCase()}`)
      .join(''),
  'quoted-printable (lower-case hex)': (ch) =>
    utf8(ch)
      .map((b) => `=${hex2(b)}`)
      .join(''),
  '\\x': (ch) => `\\x${hex2(ch.charCodeAt(0))}`,
  '\\u': (ch) => `\\u${hex4(ch.charCodeAt(0))}`,
  '\\u{}': (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`,
  '&#NN;': (ch) => `&#${ch.charCodeAt(0)};`,
  '&#xNN;': (ch) => `&#x${ch.charCodeAt(0).toString(16)};`,
  octal: (ch) =>
    utf8(ch)
      .map((b) => `\\${b.toString(8).padStart(3, '0')}`)
      .join(''),
  'CSS (with its blank)': (ch) => `\\${ch.charCodeAt(0).toString(16)} `,
  '%uXXXX': (ch) => `%u${hex4(ch.charCodeAt(0)).toUpperCase()}`,
};
const ESCAPE_NAMES = Object.keys(escapes);

/** One layer of the attack. */
type Layer =
  | {
      readonly op: 'escape';
      readonly kinds: readonly number[];
      readonly which: 'all' | 'punctuation' | 'some';
      readonly seed: number;
    }
  | { readonly op: 'base64' | 'grouped base64' | 'hex' };

const INTRODUCERS = '%=\\&';
const isAlnum = (ch: string) => /^[A-Za-z0-9]$/.test(ch);

/** Applies `layer` to `s`: per character with one of `kinds` (chosen per character), or a wrapping. */
function apply(layer: Layer, s: string): string {
  if (layer.op !== 'escape') {
    const b64 = Buffer.from(s).toString('base64');
    if (layer.op === 'base64') return b64;
    return layer.op === 'hex' ? Buffer.from(s).toString('hex') : (b64.match(/.{1,4}/g) ?? []).join(' ');
  }
  const next = prng(layer.seed);
  let out = '';
  for (const ch of s) {
    const pick = layer.kinds[Math.floor(next() * layer.kinds.length)];
    // The characters that start an escape are always escaped (as any escaper does: a `\` left as written before
    // `\x75` would change what the text says).
    const encode =
      layer.which === 'all' ||
      INTRODUCERS.includes(ch) ||
      (layer.which === 'punctuation' ? !isAlnum(ch) : next() < 0.5);
    out += encode ? escapes[ESCAPE_NAMES[pick]](ch) : ch;
  }
  return out;
}

/**
 * What a receiver recovers by undoing every escape kind, everywhere, as often as it changes something (no context
 * rules: the most a reader could get back from the exported text).
 */
function undoEscapes(s: string): string {
  const utf8Of = (hex: string[]) => Buffer.from(hex.map((h) => parseInt(h, 16))).toString('latin1');
  for (let k = 0; k < 8; k++) {
    const next = s
      .replace(/\\u\{([0-9a-f]{1,6})\}/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
      .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/%u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\([0-3][0-7]{2})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
      .replace(/\\([0-9a-f]{1,6}) ?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
      .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
      .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Math.min(Number(d), 0x10ffff)))
      .replace(/%([0-9a-f]{2})/gi, (_, h: string) => utf8Of([h]))
      .replace(/=([0-9a-f]{2})/gi, (_, h: string) => utf8Of([h]));
    if (next === s) break;
    s = next;
  }
  return s;
}

const escapeLayer = fc.record({
  op: fc.constant('escape' as const),
  kinds: fc.array(fc.integer({ min: 0, max: ESCAPE_NAMES.length - 1 }), { minLength: 1, maxLength: 4 }),
  which: fc.constantFrom('all' as const, 'punctuation' as const, 'some' as const),
  seed: fc.integer(),
});
const wrapLayer = fc.record({ op: fc.constantFrom('base64' as const, 'grouped base64' as const, 'hex' as const) });
/** One to three layers; a wrapping between escape layers at most once (base64 of base64 is decoded two deep). */
const layers = fc
  .array(fc.oneof({ weight: 3, arbitrary: escapeLayer }, { weight: 1, arbitrary: wrapLayer }), {
    minLength: 1,
    maxLength: 3,
  })
  .filter((ls) => ls.filter((l) => l.op !== 'escape').length <= 1);

const KINDS = 9;
const contexts = ['%s', 'note %s', '{"v":"%s"}', 'msg="%s" level=info'];

function describeLayers(ls: readonly Layer[]): string {
  return ls
    .map((l) => (l.op === 'escape' ? `${l.which}:${l.kinds.map((k) => ESCAPE_NAMES[k]).join('|')}` : l.op))
    .join(' ∘ ');
}

describe('outside attack: mixed, per-character and nested escapes through real SDK providers', () => {
  it('no canary of any kind is exported under one to three layers of escapes, base64 (grouped too) and hex', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: KINDS - 1 }), layers, fc.constantFrom(...contexts), (kind, ls, context) => {
        const canary = canaryOfKind(kind);
        let encoded = canary.text;
        for (const layer of ls) encoded = apply(layer, encoded);
        const value = context.replace('%s', encoded);
        const label = `${describeLayers(ls)}: ${value}`;
        for (const out of exportEverywhere(value)) {
          const recovered = undoEscapes(out);
          expect(
            canary.needles.filter((n) => out.includes(n) || recovered.includes(n)),
            label,
          ).toEqual([]);
          if (encoded !== canary.text) expect(out.includes(encoded), label).toBe(false);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('each escape kind alone, on every character and alternating with every other kind', () => {
    for (let a = 0; a < ESCAPE_NAMES.length; a++)
      for (let b = 0; b < ESCAPE_NAMES.length; b++)
        for (let kind = 0; kind < KINDS; kind++) {
          const canary = canaryOfKind(kind);
          const value = [...canary.text].map((ch, i) => escapes[ESCAPE_NAMES[i % 2 === 0 ? a : b]](ch)).join('');
          const label = `${ESCAPE_NAMES[a]} / ${ESCAPE_NAMES[b]}: ${value}`;
          for (const out of exportEverywhere(value))
            expect(
              canary.needles.filter((n) => out.includes(n) || undoEscapes(out).includes(n)),
              label,
            ).toEqual([]);
        }
  });
});

describe('the writings the last outside attack got through, and their look-alikes', () => {
  const card = '4111111111111111';
  it('finds a lone triplet in a number or key, lower-case hex, nested escapes and grouped base64', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const grouped = (s: string, sep: string) => (b64(s).match(/.{1,4}/g) ?? []).join(sep);
    const found: [string, string][] = [
      [`4111=31${card.slice(5)}`, card.slice(5)],
      [`card ${card.slice(0, 7)}=31${card.slice(8)} ok`, card.slice(8)],
      ['AKIA=49OSFODNN7EXAMPLE', 'IOSFODNN7EXAMPLE'],
      ['id AKIAIOSF=4FDNN7EXAMPLE', 'FDNN7EXAMPLE'],
      ['=6aane=2edoe=40example=2ecom', 'example'],
      ['jane.doe%3D40example.com', 'doe%3D40example'],
      ['jane.doe=2540example.com', 'doe=2540example'],
      ['jane.doe%253D40example.com', 'doe%253D40example'],
      [`ssn 219=2D09=2D9998`, '219=2D09'],
      [`note ${grouped('jane.doe@example.com', ' ')}`, grouped('jane.doe@example.com', ' ')],
      [grouped(`card ${card}`, '.'), grouped(`card ${card}`, '.')],
      [b64(`v jane.doe=2540example.com`), b64(`v jane.doe=2540example.com`)],
      [encodeURIComponent(b64(`v jane.doe@example.com!`)), encodeURIComponent(b64(`v jane.doe@example.com!`))],
    ];
    for (const [value, needle] of found)
      for (const out of exportEverywhere(value)) {
        expect(out, value).toContain('[REDACTED:');
        expect(out.includes(needle), value).toBe(false);
      }
  });

  it('keeps query strings, key=value lines, four-letter words, routes and base64 ids as written', () => {
    for (const value of [
      '/search?q=red%20shoes&user_id=5123&limit=40&page=2',
      'sort=DESC&limit=10&offset=40&id=4111',
      'level=info code=204 size=4096 dur=12ms',
      'Then this GET path took 12 ms from node with TLS data over HTTP',
      'GET /api/v1/users/1234/orders 200',
      'id dGVzdC1pZC0xMjM0NTY3ODkw',
      "SELECT * FROM t WHERE a = 'x' AND b = 42",
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'AAAA BBBB CCCC DDDD',
    ])
      for (const out of exportEverywhere(value).slice(0, 4)) expect(out, value).toBe(value);
  });
});
