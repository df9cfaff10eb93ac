import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../cli/commands/scan';
import { CliFailure } from '../../cli/cli-command';
import { fuzzParameters } from './fuzz-runs';

// `otel-privacy scan` on random bytes and on truncated or garbled OTLP/JSON: a clear one-line error (a CliFailure, which
// the CLI prints as one line with exit code 1) or valid OTLP/JSON output, never an internal exception.
let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-scan-fuzz-'));
  process.env.ASSURANCE_SCAN_FUZZ_KEY = 'fake-hmac-key-for-scan-fuzzing-0123456789abc';
  writeFileSync(
    join(dir, 'policy.yaml'),
    [
      'version: 1',
      'keys: { hmac: { id: k1, env: ASSURANCE_SCAN_FUZZ_KEY } }',
      'attributes: { allow: ["http.*", "app.*"], hash: ["user.id"], drop: ["*secret*"], default: mask }',
      'values: { detectors: all }',
      'sanitizers: { spanName: true }',
    ].join('\n'),
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.ASSURANCE_SCAN_FUZZ_KEY;
});

/** Runs `scan` in process on `input`; returns what happened, or throws when an internal exception escaped. */
async function scan(input: string | Buffer): Promise<'output' | 'error'> {
  const n = counter++;
  const inPath = join(dir, `in-${n}.json`);
  const outPath = join(dir, `out-${n}.jsonl`);
  writeFileSync(inPath, input);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdout.resume();
  try {
    const code = await scanCommand.run(
      ['--policy', join(dir, 'policy.yaml'), '--in', inPath, '--out', outPath, '--json'],
      { stdin: new PassThrough(), stdout, stderr },
    );
    expect([0, 1]).toContain(code);
    if (existsSync(outPath)) {
      for (const line of readFileSync(outPath, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')) {
        const request = JSON.parse(line) as Record<string, unknown>;
        expect(['resourceSpans', 'resourceMetrics', 'resourceLogs'].some((key) => key in request)).toBe(true);
      }
      return 'output';
    }
    expect(err.trim().length).toBeGreaterThan(0);
    return 'error';
  } catch (error) {
    if (error instanceof CliFailure) {
      expect(error.message).not.toMatch(/\n\s+at /);
      expect(existsSync(outPath)).toBe(false);
      return 'error';
    }
    throw new Error(`scan threw ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
  } finally {
    rmSync(inPath, { force: true });
    rmSync(outPath, { force: true });
  }
}

// Valid-looking OTLP/JSON export requests with random content in every field.
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.record({ stringValue: fc.string({ unit: 'binary', maxLength: 20 }) }),
    fc.record({ intValue: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 5 }), fc.integer()) }),
    fc.record({ doubleValue: fc.oneof(fc.double(), fc.string({ maxLength: 5 })) }),
    fc.record({ boolValue: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })) }),
    fc.record({ bytesValue: fc.string({ maxLength: 12 }) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('v'), { maxLength: 3 }) }) }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: tie('v') }), { maxLength: 3 }),
      }),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
})).v;
const attributes = fc.array(
  fc.record({
    key: fc.oneof(
      fc.constantFrom('http.route', 'user.id', 'db.secret', 'app.note', '__proto__', 'constructor'),
      fc.string({ maxLength: 8 }),
    ),
    value: anyValue,
  }),
  { maxLength: 4 },
);
const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const resource = fc.record({ attributes });
const span = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  name: fc.string({ unit: 'binary', maxLength: 20 }),
  kind: fc.nat({ max: 5 }),
  startTimeUnixNano: fc.nat().map(String),
  attributes,
  events: fc.array(fc.record({ name: fc.string(), attributes }), { maxLength: 2 }),
  status: fc.record({ code: fc.nat({ max: 2 }), message: fc.string() }),
});
const logRecord = fc.record({
  timeUnixNano: fc.nat().map(String),
  severityNumber: fc.nat({ max: 24 }),
  severityText: fc.string({ maxLength: 5 }),
  body: anyValue,
  attributes,
});
const metric = fc.record({
  name: fc.string({ maxLength: 10 }),
  sum: fc.record({
    dataPoints: fc.array(fc.record({ asInt: fc.nat().map(String), attributes }), { maxLength: 2 }),
    isMonotonic: fc.boolean(),
    aggregationTemporality: fc.nat({ max: 2 }),
  }),
});
const request = fc.oneof(
  fc.record({
    resourceSpans: fc.array(
      fc.record({
        resource,
        scopeSpans: fc.array(
          fc.record({ scope: fc.record({ name: fc.string() }), spans: fc.array(span, { maxLength: 3 }) }),
          { maxLength: 2 },
        ),
      }),
      { maxLength: 2 },
    ),
  }),
  fc.record({
    resourceLogs: fc.array(
      fc.record({
        resource,
        scopeLogs: fc.array(
          fc.record({ scope: fc.record({ name: fc.string() }), logRecords: fc.array(logRecord, { maxLength: 3 }) }),
          { maxLength: 2 },
        ),
      }),
      { maxLength: 2 },
    ),
  }),
  fc.record({
    resourceMetrics: fc.array(
      fc.record({
        resource,
        scopeMetrics: fc.array(fc.record({ metrics: fc.array(metric, { maxLength: 2 }) }), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
);
const document = fc
  .array(request, { minLength: 1, maxLength: 3 })
  .map((requests) => requests.map((r) => JSON.stringify(r)).join('\n'));

const garbled = document.chain((text) =>
  fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }))
      .map(([n, s]) => text.slice(0, n) + s + text.slice(n)),
    fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 6 })).map(([n, k]) => text.slice(0, n) + text.slice(n + k)),
  ),
);

describe('fuzz: otel-privacy scan on random and broken OTLP/JSON', () => {
  it('well-formed requests with random content: valid output or a clear error', async () => {
    const seen = { output: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(document, async (text) => void seen[await scan(text)]++),
      fuzzParameters(100),
    );
    expect(seen.output).toBeGreaterThan(0);
  });

  it('truncated and garbled requests: valid output or a clear error, never an internal exception', async () => {
    await fc.assert(
      fc.asyncProperty(garbled, async (text) => void (await scan(text))),
      fuzzParameters(150),
    );
  });

  it('random bytes and random JSON: a clear error, never an internal exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
        ),
        async (input) => void (await scan(input)),
      ),
      fuzzParameters(150),
    );
  });
});
