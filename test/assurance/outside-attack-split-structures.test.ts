import type { AnyValue } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { pieces, privacyPipelines } from './helpers/outside-attack';
import { corpus } from '../engine/detectors/testdata/corpus';
import { generateNegatives } from '../engine/detectors/testdata/generate';

// An outside tester splits an identifier across the entries of a map (a log body's or a log attribute's key-value
// list: `{ a: 'jane.doe@', b: 'example.com' }`), or writes it as character codes (an array of numbers, a `Uint16Array`,
// UTF-16 bytes). Real SDK providers with the privacy processors; the exported OTLP/JSON requests are read, and every
// exported value is looked at the way a reader of the export would put it back together: a map's string values
// joined, an array's elements joined, integer arrays and maps of integers read as character codes, bytes as UTF-8 and
// UTF-16. No run of the identifier's letters and digits may be left. Look-alikes (maps of ordinary fields, host
// lists, arrays of small numbers, the labeled corpora's negatives side by side) must be exported as written.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.**'] },
  logs: { attributes: { allow: ['log.body', 'log.body.**', 'app.**'] } },
  values: { detectors: 'all' },
});
const { loggerProvider, tracerProvider, exportedJson } = privacyPipelines(policy);
const logger = loggerProvider.getLogger('split');

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

/** Readings of one OTLP/JSON AnyValue: its text, its parts' texts joined, character codes, bytes decoded. */
function readings(v: unknown, out: string[]): string {
  if (v === null || typeof v !== 'object') return String(v ?? '');
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return String(o.stringValue);
  if ('intValue' in o) return String(o.intValue);
  if ('doubleValue' in o) return String(o.doubleValue);
  if ('boolValue' in o) return String(o.boolValue);
  if ('bytesValue' in o) {
    const bytes = Buffer.from(String(o.bytesValue), 'base64');
    out.push(bytes.toString('utf8'), bytes.toString('utf16le'), bytes.subarray(1).toString('utf16le'));
    return bytes.toString('latin1');
  }
  const parts: unknown[] =
    'arrayValue' in o
      ? ((o.arrayValue as { values?: unknown[] }).values ?? [])
      : 'kvlistValue' in o
        ? ((o.kvlistValue as { values?: { value?: unknown }[] }).values ?? []).map((kv) => kv.value)
        : [];
  const texts = parts.map((p) => readings(p, out));
  out.push(texts.join(''), texts.join(' '));
  const codes = texts.map(Number);
  if (codes.length > 0 && codes.every((c) => Number.isInteger(c) && c >= 0 && c <= 0x10ffff))
    out.push(String.fromCodePoint(...codes));
  return texts.join(' ');
}

/** Every reading of every exported log body and attribute value, and span attribute value. */
function exportedReadings(): string[] {
  const out: string[] = [];
  for (const line of exportedJson().split('\n'))
    JSON.parse(line, (key, value: unknown) => {
      if (key === 'body' && value !== null && typeof value === 'object') out.push(readings(value, out));
      const kv = value as { key?: unknown; value?: unknown } | null;
      if (kv !== null && typeof kv === 'object' && typeof kv.key === 'string' && kv.key.startsWith('app.'))
        out.push(readings(kv.value, out));
      return value;
    });
  return out;
}

function expectGone(canary: string, label: string): void {
  const out = exportedReadings();
  expect(out.length, label).toBeGreaterThan(0);
  for (const v of out) expect(alnum(v), `${label} → ${JSON.stringify(v)}`).not.toContain(alnum(canary));
}

const CANARIES = [
  'jane.doe@example.com',
  'j.smith@mail.example.org',
  '4111 1111 1111 1111',
  '5555-5555-5555-4444',
  'GB82 WEST 1234 5698 7654 32',
  '+1 202 555 0143',
  '123-45-6789',
  '203.0.113.7',
];
const canary = fc.constantFrom(...CANARIES);

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/**
 * `s` cut into 2-4 non-empty pieces. A canary with blanks is not cut between two letters: that still gets through
 * (`GB82 WES` | `T 1234 …`; docs/detectors.md).
 */
const splitPieces = (s: string) => pieces(s, 3, (c) => !(s.includes(' ') && isLetter(s[c - 1]) && isLetter(s[c])));

const keyName = fc.stringMatching(/^[a-z][a-z_]{0,7}$/);
/** The pieces as the values of a map with drawn keys, with ordinary entries around them. */
const splitMap = canary.chain((c) =>
  fc
    .record({
      parts: splitPieces(c),
      keys: fc.uniqueArray(keyName, { minLength: 8, maxLength: 8 }),
      // (a piece glued to a neighbour's letters, `info` | `G` | `B82 WEST …`, still gets through: docs/detectors.md)
      before: fc.constantFrom({}, { level: 'info:' }, { count: 3, ok: true }),
      after: fc.constantFrom({}, { service: 'checkout' }, { elapsed_ms: 12 }),
    })
    .map(({ parts, keys, before, after }) => {
      const map: Record<string, AnyValue> = { ...before };
      parts.forEach((p, i) => (map[`p_${keys[i]}`] = p));
      return { canary: c, map: { ...map, ...after } };
    }),
);

describe('an identifier split across the values of a map', () => {
  it('a log body map and a log attribute map (property)', () => {
    fc.assert(
      fc.property(splitMap, ({ canary: c, map }) => {
        logger.emit({ body: map, attributes: { 'app.detail': map } });
        expectGone(c, JSON.stringify(map));
      }),
      { numRuns: 150 },
    );
  });

  it('one level down, inside a nested map of a body', () => {
    logger.emit({ body: { request: { user: { local: 'jane.doe@', domain: 'example.com' } } } });
    expectGone('jane.doe@example.com', 'nested');
  });
});

/** Character codes of a canary: UTF-16 code units. */
const codes = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

describe('an identifier written as character codes', () => {
  it('an array of numbers: a log body, a log attribute, a span attribute (property)', () => {
    fc.assert(
      fc.property(canary, fc.constantFrom('', ' '), (c, pad) => {
        const value = codes(pad + c + pad);
        logger.emit({ body: value, attributes: { 'app.codes': value } });
        tracerProvider
          .getTracer('split')
          .startSpan('codes', { attributes: { 'app.codes': value } })
          .end();
        expectGone(c, `codes ${c}`);
      }),
      { numRuns: 40 },
    );
  });

  it('a Uint16Array, and UTF-16 bytes (little and big endian) in a log body (property)', () => {
    fc.assert(
      fc.property(canary, fc.constantFrom('u16', 'le', 'be'), (c, form) => {
        let value: unknown;
        if (form === 'u16') value = Uint16Array.from(codes(c));
        else {
          const le = Buffer.from(c, 'utf16le');
          value = new Uint8Array(form === 'le' ? le : le.swap16());
        }
        logger.emit({ body: value as AnyValue, attributes: { 'app.codes': value as AnyValue } });
        expectGone(c, `${form} ${c}`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('an identifier written as character codes with elements that are no character around it', () => {
  // A C string's terminating 0, a leading 1, -1, a lone surrogate, a number out of range: one such element made the
  // whole typed array unread (exported as a map of its numbers).
  const junk = fc.constantFrom(0, 1, 7, 27, 0xd800, 0xdfff);
  const kind = fc.constantFrom('u16', 'u32', 'i32', 'f64');
  it('a typed array with such elements before and after the codes (property)', () => {
    fc.assert(
      fc.property(
        canary,
        kind,
        fc.array(junk, { maxLength: 3 }),
        fc.array(junk, { maxLength: 3 }),
        (c, k, before, after) => {
          fc.pre(before.length + after.length > 0);
          const units = [...before, ...codes(c), ...after];
          const value =
            k === 'u16'
              ? Uint16Array.from(units)
              : k === 'u32'
                ? Uint32Array.from(units)
                : k === 'i32'
                  ? Int32Array.from(units)
                  : Float64Array.from(units);
          logger.emit({
            body: value as unknown as AnyValue,
            attributes: { 'app.codes': value as unknown as AnyValue },
          });
          expectGone(c, `${k} ${JSON.stringify(units)}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('look-alikes are exported as written', () => {
  it('maps of ordinary fields, host lists, arrays of small numbers', () => {
    const values: AnyValue[] = [
      { level: 'info', msg: 'user signed in', service: 'checkout', region: 'eu-west-1' },
      { primary: 'db1.example.com', replica: 'db2.example.com', port: '5432' },
      { user: 'jane', host: 'example.com' },
      { major: '10', minor: '0', patch: '5', build: '17' },
      { from: '2024-01-01', to: '2024-12-31' },
      { a: '4111', b: '1111' },
      [12, 40, 33, 8, 120, 64],
      [200, 404, 500, 503],
      [104, 105],
    ];
    for (const value of values) {
      logger.emit({ body: value });
      const json = exportedJson();
      expect(json, JSON.stringify(value)).not.toContain('REDACTED');
    }
  });

  it('the labeled corpora: negatives side by side in one map (false positives of the join, measured)', () => {
    const negatives = [...corpus.filter((x) => x.types.length === 0), ...generateNegatives(20)].map((x) => x.text);
    /** Each body's string values as exported (one batch: emitted in order, read back in order). */
    const exportedBodies = (bodies: Record<string, string>[]): string[][] => {
      for (const body of bodies) logger.emit({ body });
      const out: string[][] = [];
      const json = exportedJson().split('\n')[1]!;
      const request = JSON.parse(json) as {
        resourceLogs: {
          scopeLogs: { logRecords: { body?: { kvlistValue?: { values?: { value: unknown }[] } } }[] }[];
        }[];
      };
      for (const rl of request.resourceLogs)
        for (const sl of rl.scopeLogs)
          for (const r of sl.logRecords)
            out.push(
              (r.body?.kvlistValue?.values ?? []).map((kv) =>
                String((kv.value as { stringValue?: unknown }).stringValue),
              ),
            );
      return out;
    };
    const alone = exportedBodies(negatives.map((a) => ({ a })));
    // only pairs whose values each come out as written (the per-value scanner's own false positives aside)
    const clean = negatives.filter((a, i) => alone[i]?.[0] === a);
    const pairs = clean.length - 1;
    const joined = exportedBodies(clean.slice(1).map((b, i) => ({ a: clean[i]!, b })));
    let changed = 0;
    const examples: string[] = [];
    joined.forEach((out, i) => {
      const [a, b] = [clean[i]!, clean[i + 1]!];
      if (out.length !== 2 || out[0] !== a || out[1] !== b) {
        changed++;
        if (examples.length < 12) examples.push(JSON.stringify([a, b]));
      }
    });
    console.log(`labeled negatives side by side in a map: ${changed} of ${pairs} pairs changed by the join`);
    console.log(examples.join('\n'));
    expect(pairs).toBeGreaterThan(1500);
    expect(changed / pairs).toBeLessThan(0.01);
  });
});
