// The register-hook field-canary app: no OpenTelemetry set-up of its own. register-field-canaries.test.ts runs it with
// `node --import otel-privacy/register --import tsx`; the consumer tests bundle it (esbuild) and run it on the packed
// package with OpenTelemetry JS 2.x and 3.x. Through the global OpenTelemetry API only (what the register hook
// installed), it writes a canary into every inventory field an application can reach (field-canary-writer.ts, the
// same writer the SDK-path suite uses), and sends canaries through the global propagator: tracestate and baggage
// received in headers, and its own baggage and trace state on the way out. It prints one JSON line, `FIELD-CANARIES
// {...}`, with the fields it wrote (ids and signals, no canary text), what the propagator let through, and the
// headers it injected; then exits (the register hook flushes everything on beforeExit).
import * as api from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api';
import { canaryIds, canaryOf, canaryRecorder, textOf, writeFieldCanaries } from '../field-canary-writer';

const { ROOT_CONTEXT, context, createTraceState, metrics, propagation, trace } = api;
// The logs API is in @opentelemetry/api from 1.10 (SDK 3.x), in @opentelemetry/api-logs before (SDK 2.x).
type LogsApi = { getLoggerProvider(): LoggerProvider };
const logs: LogsApi =
  (api as { logs?: LogsApi }).logs ??
  ((await import(String('@opentelemetry/api-logs'))) as { logs: LogsApi }).logs;
const { written, text } = canaryRecorder();

writeFieldCanaries(
  {
    // `trace.getTracer` takes no options: the provider's `getTracer` does (the scope's schema URL)
    tracer: (name, version, options) => trace.getTracerProvider().getTracer(name, version, options),
    logger: (name, version, options) => logs.getLoggerProvider().getLogger(name, version, options),
    meter: (name, version, options) => metrics.getMeter(name, version, options),
    createTraceState,
    withSpanContext: (spanContext) => trace.setSpanContext(context.active(), spanContext),
    exponentialHistograms: false,
  },
  text,
);

// Incoming headers with canaries in tracestate and baggage, extracted by the global propagator.
const incoming = canaryIds();
const extracted = propagation.extract(ROOT_CONTEXT, {
  traceparent: `00-${incoming.trace}-${incoming.span}-01`,
  tracestate: `ot=th:8,vendor=${canaryOf('propagation.incoming-tracestate')}`,
  baggage: `app.note=${encodeURIComponent(textOf('propagation.incoming-baggage'))}`,
});
const seen = {
  traceState: trace.getSpanContext(extracted)?.traceState?.serialize(),
  baggage: propagation.getBaggage(extracted)?.getAllEntries() ?? [],
};
trace.getTracer('field-canaries').startSpan('canary.extracted', {}, extracted).end();

// Outgoing: the application's own baggage and a trace state with a vendor member, injected by the global propagator.
const outgoing = canaryIds();
const injected: Record<string, string> = {};
propagation.inject(
  trace.setSpanContext(
    propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ 'app.note': { value: textOf('propagation.outgoing-baggage') } }),
    ),
    {
      traceId: outgoing.trace,
      spanId: outgoing.span,
      traceFlags: 1,
      traceState: createTraceState(`ot=th:8,vendor=${canaryOf('propagation.outgoing-tracestate')}`),
    },
  ),
  injected,
);

process.stdout.write(`FIELD-CANARIES ${JSON.stringify({ written: [...written], seen, injected })}\n`);
