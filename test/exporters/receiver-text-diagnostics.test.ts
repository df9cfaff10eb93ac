import { status } from '@grpc/grpc-js';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecureExporters } from '../../exporters/secure-exporters';
import { canaryOfKind, leakedNeedles } from '../assurance/canaries';
import { CapturingLogger } from '../helpers/capturing-logger';
import type { ReceiverAnswer } from '../helpers/otlp-test-receiver';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';

// The exporters print what the receiver answers (gRPC error details, a partial success's error message): text from
// outside, which can quote what it refused or a credential. Every line goes through the library's diagnostic text,
// whatever logger the application passed.

let suite: TlsReceiverSuite;
beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-receiver-text-');
});
afterAll(() => stopTlsReceiverSuite(suite));

/** A receiver's answer text quoting `canary`, and how the receiver answers. */
const answers = fc
  .tuple(
    fc.nat(),
    fc.constantFrom('refused', 'unavailable', 'partial'),
    fc.constantFrom('invalid value ', 'rejected: ', 'attribute user.email="', 'auth failed for '),
    fc.string({ maxLength: 16 }).map((s) => s.replace(/[^ -~]/g, '')),
  )
  .map(([kind, how, lead, tail]) => {
    const canary = canaryOfKind(kind);
    const text = `${lead}${canary.text} ${tail}`;
    const answer: ReceiverAnswer =
      how === 'refused'
        ? { code: status.INVALID_ARGUMENT, details: text }
        : how === 'unavailable'
          ? { code: status.UNAVAILABLE, details: text }
          : { rejected: 1, message: text };
    return { canary, how, answer };
  });

describe("a receiver's answer printed by the secure exporters", () => {
  it('names the outcome and never prints a raw value the answer quotes', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async ({ canary, how, answer }) => {
        const logger = new CapturingLogger();
        const { pki, receiver } = suite;
        const exporters = createSecureExporters({
          endpoint: receiver.url,
          tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
          logger,
          retry: { initialMillis: 5, maxMillis: 10, maxElapsedMillis: 60 },
        });
        try {
          receiver.respond = () => answer;
          const provider = new TracerProvider({
            spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })],
          });
          provider.getTracer('t').startSpan('work').end();
          await exporters.traces.forceFlush();
          const printed = logger.lines.map((l) => l.message).join('\n');
          expect(printed).toMatch(
            how === 'partial'
              ? /receiver rejected 1 traces item/
              : how === 'refused'
                ? /refused a traces batch with INVALID_ARGUMENT/
                : /export failed with UNAVAILABLE/,
          );
          expect(leakedNeedles(printed, [canary])).toEqual([]);
        } finally {
          await resetTlsReceiverSuite(suite, [exporters]);
        }
      }),
      { numRuns: 18 },
    );
  });
});
