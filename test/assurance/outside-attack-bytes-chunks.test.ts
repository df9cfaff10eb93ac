import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appValuesPolicy, defaultPolicyPipelines, pieces, privacyPipelines } from './helpers/outside-attack';

// The fifth outside attack round's chunked bytes, through real SDK providers with the privacy processors and the
// DEFAULT policy: an identifier cut into pieces at any points, each piece a `Uint8Array` (a stream's `Buffer` chunks
// logged as they arrived) or a string, as an array log body or the array value of a kept log attribute
// (`error.type`); and as the values of a map (under a policy that keeps `app.*` maps entry by entry). The pieces
// exported, decoded and put back together in order, must not spell the identifier; ordinary chunks are exported as
// they were.
const { loggerProvider, exportedJson } = defaultPolicyPipelines();
const app = privacyPipelines(appValuesPolicy());

interface AnyValue {
  stringValue?: string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: { key: string; value: AnyValue }[] };
}
interface LogRecord {
  body?: AnyValue;
  attributes?: { key: string; value: AnyValue }[];
}

/** The text of an exported value: strings and decoded bytes, in order, through arrays. */
function textOf(v: AnyValue | undefined): string {
  if (v === undefined) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.bytesValue !== undefined) return Buffer.from(v.bytesValue, 'base64').toString('utf8');
  if (v.kvlistValue !== undefined) return (v.kvlistValue.values ?? []).map((e) => textOf(e.value)).join('');
  return (v.arrayValue?.values ?? []).map(textOf).join('');
}

/** Emits a map of `value`'s pieces (keys in order) as the `app.chunks` attribute under `appValuesPolicy`. */
function mapRoundTrip(value: unknown[]): string {
  const map = Object.fromEntries(value.map((v, i) => [`p${i}`, v]));
  app.loggerProvider.getLogger('attack').emit({ body: 'x', attributes: { 'app.chunks': map as never } });
  const logs = JSON.parse(app.exportedJson().split('\n')[1]) as {
    resourceLogs: { scopeLogs: { logRecords: LogRecord[] }[] }[];
  };
  const records = logs.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
  expect(records).toHaveLength(1);
  return textOf(records[0].attributes?.find((a) => a.key === 'app.chunks')?.value);
}

/** Emits `value` as a log body and as the `error.type` attribute; returns the exported texts of both. */
function roundTrip(value: unknown[]): string[] {
  loggerProvider.getLogger('attack').emit({ body: value as never, attributes: { 'error.type': value as never } });
  const logs = JSON.parse(exportedJson().split('\n')[1]) as {
    resourceLogs: { scopeLogs: { logRecords: LogRecord[] }[] }[];
  };
  const records = logs.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
  expect(records).toHaveLength(1);
  return [textOf(records[0].body), textOf(records[0].attributes?.find((a) => a.key === 'error.type')?.value)];
}

const canaries = fc.constantFrom(
  'jane.doe@example.com',
  '4111 1111 1111 1111',
  'GB82 WEST 1234 5698 7654 32',
  '+1 202 555 0143',
  '123-45-6789',
  'AKIAIOSFODNN7EXAMPLE',
);

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

describe('outside attack round 5: an identifier cut into byte chunks', () => {
  it('is masked when its pieces are Uint8Array elements of an array or values of a map (also mixed with strings)', () => {
    fc.assert(
      fc.property(
        canaries.chain((c) => fc.tuple(fc.constant(c), pieces(c, 4), fc.array(fc.boolean(), { minLength: 5 }))),
        ([canary, parts, asBytes]) => {
          // At least one piece is bytes (all strings is the join the scanner already read).
          const value = parts.map((p, i) => (asBytes[i] || i === 0 ? Buffer.from(p, 'utf8') : p));
          // A map's join puts a blank where two letters meet and one piece has a blank (it keeps sentences apart): a
          // spaced identifier cut between two letters there is a known gap of maps of strings too (docs/detectors.md).
          const letterCut = parts.some(
            (p, i) => i > 0 && /[A-Za-z]$/.test(parts[i - 1]) && /^[A-Za-z]/.test(p) && canary.includes(' '),
          );
          const texts = letterCut ? roundTrip(value) : [...roundTrip(value), mapRoundTrip(value)];
          for (const text of texts)
            expect(alnum(text), `${JSON.stringify(parts)} → ${JSON.stringify(text)}`).not.toContain(alnum(canary));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ordinary chunks are exported as they were', () => {
    for (const parts of [
      ['GET /health ', 'HTTP/1.1 200 OK'],
      ['{"status":"ok",', '"items":42}'],
      ['chunk 1 of 3, ', 'chunk 2 of 3'],
    ]) {
      const [body, attribute] = roundTrip(parts.map((p) => Buffer.from(p, 'utf8')));
      expect(body).toBe(parts.join(''));
      expect(attribute).toBe(parts.join(''));
      expect(mapRoundTrip(parts.map((p) => Buffer.from(p, 'utf8')))).toBe(parts.join(''));
    }
  });
});
