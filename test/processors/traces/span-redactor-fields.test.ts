import { SpanKind, SpanStatusCode, TraceFlags, context, createTraceState, trace } from '@opentelemetry/api';
import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { withoutOnEnding } from './without-on-ending';

// Every field of a span is a place a raw value could leave: the name, the attributes, each event's name, time and
// attributes, each link's ids, trace state and attributes, the status code and message, the kind, the start and end
// times, the parent's trace state, the resource and the tracer's scope. Each is written here through a real
// `TracerProvider` (the way an application can, including writes into the span's own fields before `end()`), on both
// end paths of `PrivacySpanProcessor` (in place at `onEnding`, a copy at `onEnd`), and the exported span is checked:
// what the policy keeps, what it masks, what it drops, what it counts.

const EMAIL = 'jane.doe@example.com';
const CARD = '4111111111111111';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function fieldsPolicy(extra: Record<string, unknown> = {}): Policy {
  return definePolicy({
    version: 1,
    attributes: { allow: ['app.*', 'otel.status_description'] },
    resource: { allow: ['service.name'] },
    values: { detectors: 'all' },
    ...extra,
  } as Parameters<typeof definePolicy>[0]);
}

function pipeline(policy: Policy, onEnding: boolean) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.owner': EMAIL }),
    spanProcessors: [
      withoutOnEnding(new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) }), onEnding),
    ],
  });
  return { exporter, provider };
}

/** Runs `write` on a fresh span of a fresh pipeline, ends it, and returns the one span exported and the counters. */
async function exportedSpan(
  policy: Policy,
  onEnding: boolean,
  write: (span: Loose) => void,
  options: { name?: string; startTime?: HrTime; end?: HrTime; parent?: SpanContext; links?: Link[] } = {},
  scope: [string, string?, string?] = ['redactor-fields', '1.0.0'],
): Promise<ReadableSpan> {
  const { exporter, provider } = pipeline(policy, onEnding);
  const tracer = provider.getTracer(scope[0], scope[1], scope[2] === undefined ? undefined : { schemaUrl: scope[2] });
  const ctx = options.parent ? trace.setSpanContext(context.active(), options.parent) : context.active();
  const span = tracer.startSpan(
    options.name ?? 'op',
    { attributes: { 'app.kept': 'ok' }, startTime: options.startTime, links: options.links },
    ctx,
  ) as Loose;
  write(span);
  span.end(options.end);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  await provider.shutdown();
  return spans[0]!;
}

const json = (s: ReadableSpan): string => Buffer.from(JsonTraceSerializer.serializeRequest([s])!).toString();
const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe.each([true, false])('span fields, onEnding %s', (onEnding) => {
  describe('status', () => {
    it('a message the policy allows is exported as written, with its code', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, (span) =>
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' }),
      );
      expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
      expect(p.counters.invalidFields.traces).toBe(0);
    });

    it('a message holding an e-mail address is exported masked, never raw', async () => {
      const s = await exportedSpan(fieldsPolicy(), onEnding, (span) =>
        span.setStatus({ code: SpanStatusCode.ERROR, message: `declined for ${EMAIL}` }),
      );
      expect(s.status.code).toBe(SpanStatusCode.ERROR);
      expect(typeof s.status.message).toBe('string');
      expect(s.status.message).toContain('declined for');
      expect(s.status.message).not.toContain(EMAIL);
    });

    it('a message the policy does not allow leaves no message field; the code stays', async () => {
      const p = fieldsPolicy({ attributes: { allow: ['app.*'] } });
      const s = await exportedSpan(p, onEnding, (span) =>
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' }),
      );
      expect(s.status).toEqual({ code: SpanStatusCode.ERROR });
      expect(Object.keys(s.status)).toEqual(['code']);
    });

    it('a status code that is no status code is exported as UNSET and counted; the message stays', async () => {
      for (const code of [7, -1, 1.5, '2', null]) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, (span) => {
          span.status = { code, message: 'upstream timeout' };
        });
        expect(s.status).toEqual({ code: SpanStatusCode.UNSET, message: 'upstream timeout' });
        expect(p.counters.invalidFields.traces).toBe(1);
      }
    });

    it('a status code that is no status code, without a message: UNSET, counted, no message field', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, (span) => {
        span.status = { code: 9 };
      });
      expect(s.status).toEqual({ code: SpanStatusCode.UNSET });
      expect(p.counters.invalidFields.traces).toBe(1);
    });

    it('a message written as a number is counted and scanned as its text (a card number is not exported)', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, (span) => {
        span.status = { code: SpanStatusCode.ERROR, message: Number(CARD) };
      });
      expect(p.counters.invalidFields.traces).toBe(1);
      expect(s.status.code).toBe(SpanStatusCode.ERROR);
      expect(typeof s.status.message).toBe('string');
      expect(json(s)).not.toContain(CARD);
    });

    it('a message written as an object is counted and dropped; the code stays', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, (span) => {
        span.status = { code: SpanStatusCode.ERROR, message: { toString: () => EMAIL } };
      });
      expect(p.counters.invalidFields.traces).toBe(1);
      expect(s.status).toEqual({ code: SpanStatusCode.ERROR });
      expect(json(s)).not.toContain(EMAIL);
    });
  });

  describe('kind', () => {
    it('a kind that is no SpanKind is exported as INTERNAL and counted; a real kind is kept', async () => {
      for (const kind of [5, -1, 2.5, '3', undefined]) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, (span) => {
          span.kind = kind;
        });
        expect(s.kind).toBe(SpanKind.INTERNAL);
        expect(p.counters.invalidFields.traces).toBe(1);
      }
      for (const kind of [SpanKind.SERVER, SpanKind.CONSUMER]) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, (span) => {
          span.kind = kind;
        });
        expect(s.kind).toBe(kind);
        expect(p.counters.invalidFields.traces).toBe(0);
      }
    });
  });

  describe('events', () => {
    it('an event name holding an e-mail address is masked; its attributes follow the rules', async () => {
      const s = await exportedSpan(fieldsPolicy(), onEnding, (span) =>
        span.addEvent(`mail to ${EMAIL}`, { 'app.to': EMAIL, 'secret.note': 'x', 'app.ok': 'fine' }),
      );
      expect(s.events).toHaveLength(1);
      const e = s.events[0]!;
      expect(e.name).toContain('mail to');
      expect(e.name).not.toContain(EMAIL);
      expect(Object.keys(e.attributes!).sort()).toEqual(['app.ok', 'app.to']);
      expect(e.attributes!['app.ok']).toBe('fine');
      expect(String(e.attributes!['app.to'])).not.toContain(EMAIL);
    });

    it('an event name written as a number is counted and scanned as text; as an object it is a mask', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, (span) => {
        span.addEvent('a');
        span.addEvent('b');
        span.events[0].name = Number(CARD);
        span.events[1].name = { toString: () => EMAIL };
      });
      expect(p.counters.invalidFields.traces).toBe(2);
      expect(s.events.map((e) => typeof e.name)).toEqual(['string', 'string']);
      expect(json(s)).not.toContain(CARD);
      expect(json(s)).not.toContain(EMAIL);
      expect(s.events[1]!.name).not.toBe('');
    });

    it('an event with a clean name, no attributes and a real time is exported as it was', async () => {
      const p = fieldsPolicy();
      const t: HrTime = [nowSeconds() - 5, 123_456_789];
      const s = await exportedSpan(p, onEnding, (span) => span.addEvent('cache miss', t));
      expect(s.events).toHaveLength(1);
      expect(s.events[0]!.name).toBe('cache miss');
      expect(s.events[0]!.time).toEqual(t);
      expect(s.events[0]!.attributes ?? {}).toEqual({});
      expect(p.counters.implausibleTimes.traces).toBe(0);
    });

    it('an event time that is no time of this telemetry becomes the span end time, counted', async () => {
      for (const t of [[4111111111, 0] as HrTime, [1, 0] as HrTime, [Number(CARD), 0] as HrTime]) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, (span) => span.addEvent('retry', t));
        expect(s.events[0]!.time).toEqual(s.endTime);
        expect(p.counters.implausibleTimes.traces).toBe(1);
        expect(json(s)).not.toContain(String(nanos(t)));
      }
    });

    it('traces.eventTimestampPrecision rounds event times down; span times are kept', async () => {
      const p = fieldsPolicy({ traces: { eventTimestampPrecision: '1s' } });
      const t: HrTime = [nowSeconds() - 5, 987_654_321];
      const start: HrTime = [nowSeconds() - 9, 555_014_300];
      const s = await exportedSpan(p, onEnding, (span) => span.addEvent('cache miss', t), { startTime: start });
      expect(s.events[0]!.time).toEqual([t[0], 0]);
      expect(s.events[0]!.name).toBe('cache miss');
      expect(s.startTime).toEqual(start);
    });
  });

  describe('links', () => {
    const ctx = (traceId: string, spanId: string, traceState?: string): SpanContext => ({
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      ...(traceState === undefined ? {} : { traceState: createTraceState(traceState) }),
    });

    it('link attributes follow the rules; its dropped-attributes count and trace state filter are kept', async () => {
      const p = fieldsPolicy();
      const links: Link[] = [
        {
          context: ctx('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', `ot=th:8,evil=${'x'.repeat(3)}`),
          attributes: { 'app.to': EMAIL, 'secret.note': 'x', 'app.ok': 'fine' },
        },
        { context: ctx('0af7651916cd43dd8448eb211c80319d', 'b7ad6b7169203332') },
      ];
      // the SDK counts what its limits dropped; an application (or a span limit) can leave another count there
      const s = await exportedSpan(p, onEnding, (span) => (span.links[0].droppedAttributesCount = 3), { links });
      expect(s.links).toHaveLength(2);
      const [a, b] = s.links;
      expect(a!.context.spanId).toBe('b7ad6b7169203331');
      expect(a!.context.traceState?.serialize()).toBe('ot=th:8');
      expect(Object.keys(a!.attributes!).sort()).toEqual(['app.ok', 'app.to']);
      expect(String(a!.attributes!['app.to'])).not.toContain(EMAIL);
      expect(a!.droppedAttributesCount).toBe(3);
      expect(b!.context.traceId).toBe('0af7651916cd43dd8448eb211c80319d');
      expect(b!.attributes ?? {}).toEqual({});
      expect(p.counters.invalidFields.traces).toBe(0);
    });

    it('a link whose ids are not hex ids is dropped and counted; all-zero ids are kept', async () => {
      const bad = [
        ctx('0af7651916cd43dd8448eb211c80319g', 'b7ad6b7169203331'),
        ctx('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333'),
        ctx('0af7651916cd43dd8448eb211c80319', 'b7ad6b7169203331'),
        ctx('0af7651916cd43dd8448eb211c80319c', 'jane.doe@exampl'),
      ];
      for (const c of bad) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, () => {}, {
          links: [{ context: c }, { context: ctx('1'.repeat(31) + 'a', 'b7ad6b7169203339') }],
        });
        expect(s.links.map((l) => l.context.traceId)).toEqual(['1'.repeat(31) + 'a']);
        expect(p.counters.invalidFields.traces).toBe(1);
      }
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, () => {}, {
        links: [{ context: ctx('0'.repeat(32), '0'.repeat(16)) }],
      });
      expect(s.links).toHaveLength(1);
      expect(p.counters.invalidFields.traces).toBe(0);
    });

    it('a link id made of decimal digits that spells an identifier is dropped and counted; other digit ids are kept', async () => {
      const cases: [string, string, boolean][] = [
        ['0af7651916cd43dd8448eb211c80319c', CARD, false],
        ['0af7651916cd43dd8448eb211c80319c', '5555555555554444', false],
        ['41111111111111110000000000000001', 'b7ad6b7169203331', false],
        ['00000000000000000000000000000001', 'b7ad6b7169203331', false],
        ['0af7651916cd43dd8448eb211c80319c', '4111111111111112', true], // Luhn fails
        ['0af7651916cd43dd8448eb211c80319c', '1234567890123452', true], // no issuer prefix
        ['0af7651916cd43dd8448eb211c80319c', '0000000000000000', true],
        ['00000000000000000000000000000000', 'b7ad6b7169203331', true],
        ['0af7651916cd43dd8448eb211c80319c', '411111111111111a', true],
      ];
      for (const [traceId, spanId, kept] of cases) {
        const p = fieldsPolicy();
        const s = await exportedSpan(p, onEnding, () => {}, { links: [{ context: ctx(traceId, spanId) }] });
        expect(s.links.length === 1, `${traceId} ${spanId}`).toBe(kept);
        expect(p.counters.invalidFields.traces, `${traceId} ${spanId}`).toBe(kept ? 0 : 1);
      }
    });
  });

  describe('times', () => {
    it('a start time that is no time of this telemetry becomes the clock, counted; the end is never before it', async () => {
      for (const start of [[1, 0] as HrTime, [Number(CARD), 0] as HrTime, [nowSeconds() + 3 * 86400, 0] as HrTime]) {
        const p = fieldsPolicy();
        const before = BigInt(Date.now() - 1000) * 1_000_000n;
        const s = await exportedSpan(p, onEnding, () => {}, { startTime: start });
        expect(nanos(s.startTime) >= before).toBe(true);
        expect(nanos(s.endTime) >= nanos(s.startTime)).toBe(true);
        expect(p.counters.implausibleTimes.traces).toBe(1);
        expect(json(s)).not.toContain(String(nanos(start)));
      }
    });

    it('a start time replaced by the clock is the clock when the span started: its duration is the time it ran', async () => {
      const p = fieldsPolicy();
      const { exporter, provider } = pipeline(p, onEnding);
      const before = BigInt(Date.now()) * 1_000_000n;
      const span = provider.getTracer('t').startSpan('op', { startTime: [1, 0] });
      const started = BigInt(Date.now()) * 1_000_000n;
      await new Promise((r) => setTimeout(r, 40));
      span.end();
      await provider.forceFlush();
      const s = exporter.getFinishedSpans()[0]!;
      expect(nanos(s.startTime) >= before && nanos(s.startTime) <= started + 999_999n).toBe(true);
      expect(nanos(s.duration) >= 30_000_000n).toBe(true);
      expect(nanos(s.endTime) - nanos(s.startTime)).toBe(nanos(s.duration));
      expect(p.counters.implausibleTimes.traces).toBe(1);
      await provider.shutdown();
    });

    it('an end time that is no time of this telemetry becomes the clock (never before the start), counted', async () => {
      // (an end before the start, such as [1, 0], the SDK itself sets to the start)
      for (const end of [[2025550143, 0] as HrTime, [nowSeconds() + 3 * 86400, 0] as HrTime]) {
        const p = fieldsPolicy();
        const start: HrTime = [nowSeconds() - 2, 0];
        const s = await exportedSpan(p, onEnding, () => {}, { startTime: start, end });
        expect(s.startTime).toEqual(start);
        expect(nanos(s.endTime) >= nanos(start)).toBe(true);
        expect(nanos(s.endTime) <= BigInt(Date.now() + 1000) * 1_000_000n).toBe(true);
        expect(nanos(s.duration)).toBe(nanos(s.endTime) - nanos(s.startTime));
        expect(p.counters.implausibleTimes.traces).toBe(1);
      }
    });

    it('a start time written into the span after its start is checked again at the end (the clock instead, counted)', async () => {
      const p = fieldsPolicy();
      const before = BigInt(Date.now() - 1000) * 1_000_000n;
      const s = await exportedSpan(p, onEnding, (span) => {
        span.startTime = [Number(CARD), 0];
      });
      expect(nanos(s.startTime) >= before).toBe(true);
      expect(nanos(s.endTime) >= nanos(s.startTime)).toBe(true);
      expect(json(s)).not.toContain(CARD);
      // (the SDK computes the end from the start it holds: that end is replaced too)
      expect(p.counters.implausibleTimes.traces).toBeGreaterThanOrEqual(1);
    });

    it('real start and end times are exported exactly, with their duration', async () => {
      const p = fieldsPolicy();
      const start: HrTime = [nowSeconds() - 3, 123_456_789];
      const end: HrTime = [nowSeconds() - 1, 987_654_321];
      const s = await exportedSpan(p, onEnding, () => {}, { startTime: start, end });
      expect(s.startTime).toEqual(start);
      expect(s.endTime).toEqual(end);
      expect(nanos(s.duration)).toBe(nanos(end) - nanos(start));
      expect(p.counters.implausibleTimes.traces).toBe(0);
    });
  });

  describe('name, parent, resource and scope', () => {
    it('a span name with an e-mail address is masked; one written as a number is counted', async () => {
      const p = fieldsPolicy();
      const s = await exportedSpan(p, onEnding, () => {}, { name: `notify ${EMAIL}` });
      expect(s.name).toContain('notify');
      expect(s.name).not.toContain(EMAIL);
      const q = fieldsPolicy();
      const t = await exportedSpan(q, onEnding, (span) => {
        span.name = Number(CARD);
      });
      expect(typeof t.name).toBe('string');
      expect(t.name).not.toContain(CARD);
      expect(q.counters.invalidFields.traces).toBeGreaterThanOrEqual(1);
    });

    it("the remote parent's trace state keeps only the members the policy keeps", async () => {
      const parent: SpanContext = {
        traceId: 'c'.repeat(32),
        spanId: 'd'.repeat(16),
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
        traceState: createTraceState('ot=th:8,vendor=jane'),
      };
      const s = await exportedSpan(fieldsPolicy(), onEnding, () => {}, { parent });
      expect(s.parentSpanContext?.spanId).toBe('d'.repeat(16));
      expect(s.parentSpanContext?.traceState?.serialize()).toBe('ot=th:8');
      expect(s.spanContext().traceId).toBe('c'.repeat(32));
      expect(s.spanContext().traceState?.serialize()).toBe('ot=th:8');
    });

    it('resource and scope: only allowed resource keys; the scope name, version and schema URL scanned', async () => {
      const s = await exportedSpan(fieldsPolicy(), onEnding, () => {}, {}, [
        `lib-${EMAIL}`,
        CARD,
        `https://example.com/${EMAIL}`,
      ]);
      expect(s.resource.attributes['service.name']).toBe('checkout');
      expect(s.resource.attributes).not.toHaveProperty('host.owner');
      const text = json(s);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(CARD);
      expect(s.instrumentationScope.name).toMatch(/REDACTED/);
      expect(s.instrumentationScope.version).toMatch(/REDACTED/);
      expect(s.instrumentationScope.schemaUrl).toBe('https://example.com/[REDACTED:email]');
    });

    it('the counts the SDK kept (dropped attributes, events, links) are exported as the SDK had them', async () => {
      const exporter = new InMemorySpanExporter();
      const provider = new TracerProvider({
        spanLimits: { attributeCountLimit: 2, eventCountLimit: 1, linkCountLimit: 1 },
        spanProcessors: [
          withoutOnEnding(
            new PrivacySpanProcessor({ policy: fieldsPolicy(), next: new SimpleSpanProcessor({ exporter }) }),
            onEnding,
          ),
        ],
      });
      const span = provider.getTracer('t').startSpan('op');
      span.setAttributes({ 'app.a': '1', 'app.b': '2', 'app.c': '3', 'app.d': '4' });
      span.addEvent('e1');
      span.addEvent('e2');
      span.addEvent('e3');
      span.addLink({ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 } });
      span.addLink({ context: { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), traceFlags: 1 } });
      span.end();
      await provider.forceFlush();
      const s = exporter.getFinishedSpans()[0]!;
      expect(s.droppedAttributesCount).toBe(2);
      expect(s.droppedEventsCount).toBe(2);
      expect(s.droppedLinksCount).toBe(1);
      expect(s.ended).toBe(true);
      await provider.shutdown();
    });
  });

  it('property: no field of an exported span carries an e-mail address written into it', async () => {
    const field = fc.constantFrom(
      'name',
      'attribute',
      'event name',
      'event attribute',
      'link attribute',
      'status message',
      'scope name',
      'set after start',
    );
    const around = fc.tuple(
      fc.constantFrom('', ' ', 'x=', '<', '"', '\n', 'mailto:'),
      fc.constantFrom('', ' ', '>', ';'),
    );
    await fc.assert(
      fc.asyncProperty(field, around, fc.boolean(), async (f, [pre, post], upper) => {
        const value = `${pre}${upper ? EMAIL.toUpperCase() : EMAIL}${post}`;
        const links: Link[] =
          f === 'link attribute'
            ? [
                {
                  context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
                  attributes: { 'app.x': value },
                },
              ]
            : [];
        const s = await exportedSpan(
          fieldsPolicy(),
          onEnding,
          (span) => {
            if (f === 'attribute' || f === 'set after start') span.setAttribute('app.x', value);
            if (f === 'event name') span.addEvent(value);
            if (f === 'event attribute') span.addEvent('e', { 'app.x': value });
            if (f === 'status message') span.setStatus({ code: SpanStatusCode.ERROR, message: value });
          },
          { name: f === 'name' ? value : 'op', links },
          [f === 'scope name' ? value : 'redactor-fields'],
        );
        expect(json(s).toLowerCase()).not.toContain(EMAIL);
      }),
      { numRuns: 60 },
    );
  });
});

/** A span started under `before`, then `after` swapped in (a hot reload), `write` run, then ended. */
async function straddling(
  before: Policy,
  after: Policy,
  onEnding: boolean,
  name: string,
  attributes: Record<string, string>,
  write: (span: Loose) => void = () => {},
): Promise<ReadableSpan> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      withoutOnEnding(
        new PrivacySpanProcessor({ policy: before, next: new SimpleSpanProcessor({ exporter }) }),
        onEnding,
      ),
    ],
  });
  const span = provider.getTracer('reload').startSpan(name, { attributes }) as Loose;
  before.replaceWith(after);
  write(span);
  span.end();
  await provider.forceFlush();
  const [s] = exporter.getFinishedSpans();
  await provider.shutdown();
  return s!;
}

const lax = () => fieldsPolicy({ values: { detectors: [] } });

describe.each([true, false])('a span straddling a hot reload, onEnding %s', (onEnding) => {
  it('its name is decided again from the raw name under the new rules (stricter: masked)', async () => {
    const s = await straddling(lax(), fieldsPolicy(), onEnding, `notify ${EMAIL}`, { 'app.a': 'x' });
    expect(s.name).toContain('notify');
    expect(s.name).not.toContain(EMAIL);
  });

  it('its name is decided again from the raw name under the new rules (laxer: kept as given)', async () => {
    const s = await straddling(fieldsPolicy(), lax(), onEnding, `notify ${EMAIL}`, { 'app.a': 'x' });
    expect(s.name).toBe(`notify ${EMAIL}`);
    const t = await straddling(fieldsPolicy(), lax(), onEnding, `notify ${EMAIL}`, {});
    expect(t.name).toBe(`notify ${EMAIL}`);
  });

  it('a name given after the start is the one decided, not the start name', async () => {
    const s = await straddling(fieldsPolicy(), lax(), onEnding, `notify ${EMAIL}`, { 'app.a': 'x' }, (span) =>
      span.updateName('renamed'),
    );
    expect(s.name).toBe('renamed');
    const t = await straddling(lax(), fieldsPolicy(), onEnding, 'plain', { 'app.a': 'x' }, (span) =>
      span.updateName(`renamed ${EMAIL}`),
    );
    expect(t.name).toContain('renamed');
    expect(t.name).not.toContain(EMAIL);
  });

  it('start attributes are decided again from their raw values (stricter: masked; laxer: as given)', async () => {
    const s = await straddling(lax(), fieldsPolicy(), onEnding, 'op', { 'app.to': EMAIL, 'app.ok': 'fine' });
    expect(s.attributes['app.ok']).toBe('fine');
    expect(String(s.attributes['app.to'])).not.toContain(EMAIL);
    const t = await straddling(fieldsPolicy(), lax(), onEnding, 'op', { 'app.to': EMAIL, 'app.ok': 'fine' });
    expect(t.attributes).toEqual({ 'app.to': EMAIL, 'app.ok': 'fine' });
  });
});

describe.each([true, false])('attributes written into the span object itself, onEnding %s', (onEnding) => {
  it('a key swapped for another with the same value is decided again (a dropped key is not exported)', async () => {
    const p = fieldsPolicy();
    const s = await exportedSpan(p, onEnding, (span) => {
      delete span.attributes['app.kept'];
      span.attributes['secret.key'] = 'ok';
    });
    expect(s.attributes).not.toHaveProperty('secret.key');
  });

  it('a value replaced in the object is decided again', async () => {
    const p = fieldsPolicy();
    const s = await exportedSpan(p, onEnding, (span) => {
      span.attributes['app.kept'] = EMAIL;
    });
    expect(String(s.attributes['app.kept'])).not.toContain(EMAIL);
  });
});

describe.each([true, false])('a user group named after the start, onEnding %s', (onEnding) => {
  it('the start attributes are decided again under the stricter group (a key it drops is not exported)', async () => {
    const policy = definePolicy({
      version: 1,
      userGroups: { attribute: 'app.tier', order: ['strict', 'base'] },
      attributes: { allow: ['app.note', 'app.tier'] },
      values: { detectors: 'all' },
      when: [{ userGroup: 'strict', attributes: { drop: ['app.note'] } }],
    });
    const s = await exportedSpan(
      policy,
      onEnding,
      (span) => {
        span.setAttribute('app.note', 'n');
        span.setAttribute('app.tier', 'strict');
      },
      { name: 'late' },
    );
    expect(s.attributes).toEqual({ 'app.tier': 'strict' });
    const { exporter, provider } = pipeline(policy, onEnding);
    const span = provider.getTracer('t').startSpan('late', { attributes: { 'app.note': 'n' } });
    span.setAttribute('app.tier', 'strict');
    span.end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()[0]!.attributes).toEqual({ 'app.tier': 'strict' });
    await provider.shutdown();
  });
});

describe.each([true, false])('retention labels, onEnding %s', (onEnding) => {
  it('privacy.retention is added by the class the rules give the span', async () => {
    const policy = fieldsPolicy({
      retention: { default: 'standard', rules: [{ class: 'debug', signals: ['traces'], scopes: ['debug.*'] }] },
    });
    const plain = await exportedSpan(policy, onEnding, () => {});
    expect(plain.attributes).toEqual({ 'app.kept': 'ok', 'privacy.retention': 'standard' });
    const debug = await exportedSpan(policy, onEnding, () => {}, {}, ['debug.cache']);
    expect(debug.attributes).toEqual({ 'app.kept': 'ok', 'privacy.retention': 'debug' });
    const none = await exportedSpan(fieldsPolicy(), onEnding, () => {});
    expect(none.attributes).toEqual({ 'app.kept': 'ok' });
  });
});
