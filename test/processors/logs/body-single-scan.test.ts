import fc from 'fast-check';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DROPPED } from '../../../engine/attribute-redactor';
import type * as ValueScannerModule from '../../../engine/detectors/value-scanner';
import { defaultPolicy, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { PrivacyLogRecordProcessor } from '../../../processors/logs/privacy-log-record-processor';
import { seedValues } from '../../engine/detectors/testdata/corpus';
import { generatePositives, prng } from '../../engine/detectors/testdata/generate';

// A string log body whose URL-like words the URL rules rewrite is scanned with its raw text; the result is scanned
// again only when that scan masked something (it can then reveal a finding that overlapped a masked one), not when it
// came out clean. The oracle is the old path (`rewriteTextUrls`, then `sanitizeKept` on its output, always) run on an
// independent instance of the same policy: the exported body, the findings counted and the findings attributed to the
// leak alarm must be the same.

// Every text a value scanner's `redact` is given (the engine's scans of kept strings), to see which texts were scanned.
const redacted = vi.hoisted(() => [] as string[]);
vi.mock('../../../engine/detectors/value-scanner', async (importOriginal) => {
  const mod = await importOriginal<typeof ValueScannerModule>();
  return {
    ...mod,
    createValueScanner: (...args: Parameters<typeof mod.createValueScanner>) => {
      const scanner = mod.createValueScanner(...args);
      return {
        ...scanner,
        redact: (value: string) => {
          redacted.push(value);
          return scanner.redact(value);
        },
      };
    },
  };
});

const HMAC = 'fake-body-scan-hmac-key-0123456789abcdef';
beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = HMAC;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

type Doc = Parameters<typeof definePolicy>[0];
const VARIANTS: Record<string, () => Policy> = {
  default: () => defaultPolicy(),
  'leak alarm, coarsened times': () =>
    definePolicy({
      version: 1,
      extends: 'default',
      alarms: { leak: { window: '10s', factor: 4, minCount: 3 } },
      values: { timestamps: 'coarsen' },
    } as Doc),
  'values.action: drop': () => definePolicy({ version: 1, extends: 'default', values: { action: 'drop' } } as Doc),
  'values.masks': () =>
    definePolicy({ version: 1, extends: 'default', values: { masks: { email: '<email>' } } } as Doc),
};

/** Every finding the policy's leak-alarm log attributes, as `signal key type` lines (none without `alarms.leak`). */
function attributed(policy: Policy): string[] {
  const out: string[] = [];
  const log = policy.compiled.tools.findingLog;
  if (log !== undefined) {
    const sink = log.sink;
    log.sink = (signal, key, type) => {
      out.push(`${signal} ${key} ${type}`);
      sink?.(signal, key, type);
    };
  }
  return out;
}

/** The old path: URL rules and a scan of the rewritten and the raw text, then the result scanned again. */
function oracle(policy: Policy): (body: string) => string | undefined {
  const compiled = policy.compiled;
  const s = compiled.sanitizer('logs', 'body-scan');
  return (body) => {
    const rewritten = compiled.rewriteTextUrls(body);
    if (rewritten === undefined) return undefined;
    const v = s.sanitizeKept('log.body', rewritten);
    return v === DROPPED ? undefined : (v as string);
  };
}

/** A real provider with the processor; `next` keeps the body it is handed (synchronously, as an exporter reads it). */
function pipeline(policy: Policy) {
  let body: unknown = 'nothing handed on';
  const next: LogRecordProcessor = {
    onEmit: (record) => {
      body = record.body;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new LoggerProvider({ processors: [new PrivacyLogRecordProcessor({ policy, next })] });
  const logger = provider.getLogger('body-scan');
  return (text: string): string | undefined => {
    body = 'nothing handed on';
    logger.emit({ body: text, severityNumber: 17 });
    return body as string | undefined;
  };
}

/** Bodies: labeled secrets written the ways an adversary writes them, inside and beside URL paths and queries. */
function bodies(): string[] {
  const rnd = prng(18);
  const out: string[] = [];
  const contexts = [
    (v: string, u: number) => `GET /users/${u}/orders?note=${v} failed`,
    (v: string, u: number) => `${v} at https://shop.example/api/v1/users/${u}/${encodeURIComponent(v)}`,
    (v: string, u: number) => `redirect to /u/${v}/profile/${u}?next=/orders/${u}`,
    (v: string) => `${v}/orders/${Math.floor(rnd() * 1e9)}`,
    (v: string, u: number) => `POST /v2/accounts/${u.toString(16).padStart(24, '0')}/tokens ${v}`,
    (v: string) => v,
  ];
  let u = 0;
  // every second sample (half the corpus keeps every kind and writing, and the test well inside its time limit on a
  // loaded machine) in one of the contexts, in turn
  let k = 0;
  let i = 0;
  for (const sample of generatePositives(seedValues))
    if (i++ % 2 === 0) out.push(contexts[k++ % contexts.length](sample.text.slice(0, 300), u++ % 1000));
  return out;
}

describe('log body: a rewritten string body is scanned again only when its scan masked something', () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`${name}: exports and counts what the old three-scan path did, on generated bodies`, () => {
      const a = make();
      const b = make();
      const emit = pipeline(a);
      const old = oracle(b);
      const logA = attributed(a);
      const logB = attributed(b);
      const inputs = bodies();
      expect(inputs.length).toBeGreaterThan(1500);
      let rewritten = 0;
      for (const body of inputs) {
        const before = logA.length;
        const want = old(body);
        expect(emit(body), body).toBe(want);
        expect(logA.slice(before), body).toEqual(logB.slice(before));
        if (b.compiled.tools.textUrls?.(body) !== body) rewritten++;
      }
      // most bodies went through the URL rules (the case the change is about)
      expect(rewritten).toBeGreaterThan(inputs.length / 2);
      expect(a.counters.findings).toEqual(b.counters.findings);
    });
  }

  it('matches the old path on arbitrary URL-like text (fast-check)', () => {
    const a = defaultPolicy();
    const b = defaultPolicy();
    const emit = pipeline(a);
    const old = oracle(b);
    const piece = fc.constantFrom(
      '/',
      '/users/',
      '4711',
      '?',
      '&',
      '=',
      'token=',
      'email=',
      'https://',
      'shop.example',
      'jane.doe@example.com',
      '4111 1111 1111 1111',
      '%40',
      '%2F',
      ' ',
      '{id}',
      '[REDACTED:email]',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      'AKIAIOSFODNN7EXAMPLE',
      '550e8400-e29b-41d4-a716-446655440000',
      'DE89370400440532013000',
      '192.168.1.1',
      '+1 (555) 123-4567',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 24 }), (parts) => {
        const body = parts.join('');
        expect(emit(body)).toBe(old(body));
      }),
      { numRuns: 3000, seed: 18 },
    );
    expect(a.counters.findings).toEqual(b.counters.findings);
  });

  it('does not scan a rewritten body again when the scan of it and its raw text found nothing', () => {
    const emit = pipeline(defaultPolicy());
    redacted.length = 0;
    const out = emit('GET /users/4711/orders?page=2 failed after 12 ms');
    expect(out).toContain('{id}');
    expect(redacted).not.toContain(out);
  });

  it('scans a rewritten body again when the scan masked something: a finding hidden behind a masked one is found', () => {
    const emit = pipeline(defaultPolicy());
    redacted.length = 0;
    // the card number and the address overlap (`1111jane.doe@…`): one scan masks the card and leaves the address
    const out = emit('GET /users/4711/orders 4111 1111 1111 1111jane.doe@example.com');
    expect(out).toContain('{id}');
    expect(out).not.toContain('jane.doe');
    expect(redacted.some((text) => text.includes('[REDACTED:payment-card]'))).toBe(true);
  });
});
