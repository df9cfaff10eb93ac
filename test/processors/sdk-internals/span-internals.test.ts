import type { ReadableSpan, Span } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import {
  replaceSpanAttributes,
  spanHasNoAttributes,
  writableSpan,
} from '../../../processors/sdk-internals/span-internals';
import { SDK_LINES, sdkTraceVersion } from './sdk-lines';

describe.each(SDK_LINES)('span internals on $name', (line) => {
  function setup(attributeCountLimit = 128) {
    const { TracerProvider } = line.trace();
    // What every later processor and exporter receives: the span the SDK hands to onEnd.
    const ended: ReadableSpan[] = [];
    const provider = new TracerProvider({
      spanLimits: { attributeCountLimit },
      resource: line.resources().resourceFromAttributes({ 'host.name': 'raw-host' }),
      spanProcessors: [
        {
          onStart: () => {},
          onEnd: (span: ReadableSpan) => void ended.push(span),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    const tracer = provider.getTracer('sdk-internals-test');
    return { ended, tracer };
  }

  it('runs on the line it names', () => {
    expect(Number(sdkTraceVersion(line).split('.')[0])).toBe(line.major);
  });

  it('sees whether a span has attributes', () => {
    const { tracer } = setup();
    expect(spanHasNoAttributes(tracer.startSpan('empty') as unknown as Span)).toBe(true);
    expect(spanHasNoAttributes(tracer.startSpan('full', { attributes: { a: 1 } }) as unknown as Span)).toBe(false);
  });

  it('replaces attributes, and later setAttribute calls are limited by the new count', () => {
    const { ended, tracer } = setup(3);
    const span = tracer.startSpan('s', { attributes: { a: 1, secret: 's', other: 'o' } }) as unknown as Span;
    replaceSpanAttributes(span, { a: 1 }, 1);
    // With the SDK still counting 3 attributes, both of these would be dropped by the limit.
    span.setAttribute('x', 2);
    span.setAttribute('y', 3);
    span.setAttribute('z', 4); // the fourth: over the limit
    span.end();
    const [exported] = ended;
    expect(exported.attributes).toEqual({ a: 1, x: 2, y: 3 });
    expect(exported.droppedAttributesCount).toBe(1);
  });

  it('writes name, events, links, status and resource that the exporter then reads', () => {
    const { ended, tracer } = setup();
    const span = tracer.startSpan('GET /users/42') as unknown as Span;
    span.addEvent('raw event', { email: 'a@example.com' });
    span.setStatus({ code: 2, message: 'raw message' });
    const w = writableSpan(span);
    w.name = 'GET /users/{id}';
    w.events[0] = { ...w.events[0], name: 'clean event', attributes: {} };
    w.status = { code: 2 };
    w.resource = line.resources().resourceFromAttributes({ 'host.name': 'k0:pseudonym' });
    span.end();
    const [exported] = ended;
    expect(exported.name).toBe('GET /users/{id}');
    expect(exported.events.map((e) => [e.name, e.attributes])).toEqual([['clean event', {}]]);
    expect(exported.status).toEqual({ code: 2 });
    expect(exported.resource.attributes).toEqual({ 'host.name': 'k0:pseudonym' });
  });
});
