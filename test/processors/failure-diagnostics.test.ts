import { DiagLogLevel, diag } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { canaryOfKind, leakedNeedles } from '../assurance/canaries';
import type { PiiCanary } from '../assurance/canaries';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy, privacyResourceDetector } from '../../index';

// An application's value that throws while it is sanitized (a proxy, a getter) fails the item closed and is reported
// once through `diag`. The error's text is the application's: it can hold the very value being sanitized. The line
// must say what happened without printing it.

/** Every `diag` line written while `run` runs (all levels). */
function diagLines(run: () => void): string[] {
  const lines: string[] = [];
  const log = (...args: unknown[]): void => void lines.push(args.map(String).join(' '));
  diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, DiagLogLevel.ALL);
  try {
    run();
  } finally {
    diag.disable();
  }
  return lines;
}

/** A proxy whose every read throws an error carrying `text`. */
function throwingProxy(text: string): object {
  const fail = (): never => {
    throw new Error(text);
  };
  return new Proxy({}, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, has: fail });
}

/** A map whose one entry is a getter throwing an error carrying `text`. */
function throwingGetter(text: string): object {
  const out = {};
  Object.defineProperty(out, 'note', {
    enumerable: true,
    get() {
      throw new TypeError(text);
    },
  });
  return out;
}

/** An error text holding `canary` among other words, as an application might write it. */
const errorText = fc
  .tuple(fc.nat(), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.constantFrom(' ', ': ', ' for '))
  .map(([kind, before, after, glue]) => {
    const canary = canaryOfKind(kind);
    return { canary, text: `${before.replace(/[^ -~]/g, '')}${glue}${canary.text} ${after.replace(/[^ -~]/g, '')}` };
  });

function policy() {
  return definePolicy({ version: 1, attributes: { allow: ['app.*'] }, logs: { body: 'scan' } });
}

function expectNoLeak(lines: readonly string[], canary: PiiCanary): void {
  expect(leakedNeedles(lines.join('\n'), [canary])).toEqual([]);
}

afterEach(() => diag.disable());

describe('a failure while sanitizing is reported without the text of the error the application threw', () => {
  it('a span whose attribute value throws: the span is dropped, the one diag line names no value', () => {
    fc.assert(
      fc.property(errorText, ({ canary, text }) => {
        const exporter = new InMemorySpanExporter();
        const provider = new TracerProvider({
          spanProcessors: [new PrivacySpanProcessor({ policy: policy(), next: new SimpleSpanProcessor({ exporter }) })],
        });
        const lines = diagLines(() => {
          const span = provider.getTracer('t').startSpan('work');
          (span as unknown as { attributes: Record<string, unknown> }).attributes['app.v'] = throwingProxy(text);
          span.end();
        });
        expect(lines.some((l) => l.includes('a span was dropped because sanitizing failed'))).toBe(true);
        expectNoLeak(lines, canary);
        expect(leakedNeedles(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes)), [canary])).toEqual(
          [],
        );
      }),
      { numRuns: 40 },
    );
  });

  it('a log record whose body throws: the record is dropped, the one diag line names no value', () => {
    fc.assert(
      fc.property(errorText, fc.boolean(), ({ canary, text }, proxy) => {
        const exporter = new InMemoryLogRecordExporter();
        const provider = new LoggerProvider({
          processors: [
            new PrivacyLogRecordProcessor({ policy: policy(), next: new SimpleLogRecordProcessor({ exporter }) }),
          ],
        });
        const lines = diagLines(() =>
          provider.getLogger('l').emit({ body: (proxy ? throwingProxy(text) : throwingGetter(text)) as never }),
        );
        expect(lines.some((l) => l.includes('a log record was dropped because sanitizing failed'))).toBe(true);
        expectNoLeak(lines, canary);
        expect(exporter.getFinishedLogRecords()).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("a name in a route of the error's text is not printed (`GET /users/janedoe failed`)", () => {
    for (const text of ['GET /users/janedoe failed', 'fetch https://api.example/staff/jane.doe/profile: 404']) {
      const provider = new TracerProvider({
        spanProcessors: [
          new PrivacySpanProcessor({
            policy: policy(),
            next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
          }),
        ],
      });
      const lines = diagLines(() => {
        const span = provider.getTracer('t').startSpan('work');
        (span as unknown as { attributes: Record<string, unknown> }).attributes['app.v'] = throwingProxy(text);
        span.end();
      });
      const line = lines.find((l) => l.includes('a span was dropped because sanitizing failed'));
      expect(line).toBeDefined();
      expect(line).not.toMatch(/jane/);
    }
  });

  it('a resource detector that throws: the debug line names no value', () => {
    fc.assert(
      fc.property(errorText, ({ canary, text }) => {
        const detector = privacyResourceDetector(definePolicy({ version: 1, resource: { allow: ['service.name'] } }), [
          {
            detect() {
              throw new Error(text);
            },
          },
        ]);
        const lines = diagLines(() => detector.detect());
        expect(lines.some((l) => l.includes('resource detector failed'))).toBe(true);
        expectNoLeak(lines, canary);
      }),
      { numRuns: 30 },
    );
  });

  it('an error text holding the text of a key the process read prints the key as not shown', () => {
    const keyText = `base64:${Buffer.from('fake-hmac-key-for-a-test-only-32b').toString('base64')}`;
    process.env.FAILURE_DIAG_HMAC = keyText;
    try {
      const hashing = definePolicy({
        version: 1,
        keys: { hmac: { id: 'k1', env: 'FAILURE_DIAG_HMAC' } },
        attributes: { allow: ['app.*'], hash: ['user.id'] },
      });
      const provider = new TracerProvider({
        spanProcessors: [
          new PrivacySpanProcessor({
            policy: hashing,
            next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
          }),
        ],
      });
      const lines = diagLines(() => {
        const span = provider.getTracer('t').startSpan('work');
        (span as unknown as { attributes: Record<string, unknown> }).attributes['app.v'] = throwingProxy(
          `configured with ${keyText.slice(7)} and fakekey-${keyText}`,
        );
        span.end();
      });
      expect(lines.join('\n')).toContain('[key material not shown]');
      expect(lines.join('\n')).not.toContain(keyText.slice(7, 30));
    } finally {
      delete process.env.FAILURE_DIAG_HMAC;
    }
  });
  it('an error that itself throws when read: the report never throws into the application', () => {
    // what the application's value throws is a proxy too: reading its name or message, or printing it, throws
    const hostile: object = new Proxy(
      {},
      {
        get: () => {
          throw hostile;
        },
        getPrototypeOf: () => {
          throw hostile;
        },
      },
    );
    const valuePolicy = policy();
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy: valuePolicy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    let threw = false;
    const lines = diagLines(() => {
      const span = provider.getTracer('t').startSpan('work');
      (span as unknown as { attributes: Record<string, unknown> }).attributes['app.v'] = new Proxy(
        {},
        {
          ownKeys: () => {
            throw hostile;
          },
          get: () => {
            throw hostile;
          },
        },
      );
      try {
        span.end();
      } catch {
        threw = true; // not the hostile value itself: a test runner cannot print it either
      }
    });
    expect(threw).toBe(false);
    expect(lines.some((l) => l.includes('a span was dropped because sanitizing failed'))).toBe(true);
    expect(valuePolicy.counters.dropped.traces.failed).toBe(1);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
