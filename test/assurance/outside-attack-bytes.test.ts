import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy } from '../../index';
import type { Policy } from '../../index';

// An outside attacker's view of bytes values: the default policy, a real SDK 3.x provider and the exported OTLP/JSON
// request read whole. A bytes value that scanned clean was kept as the application's own object, so what the
// application wrote into that memory afterwards (a pooled `Buffer` reused for the next request, a reused
// `Uint8Array`) was exported unscanned: after start the end pass trusted the value it had written (same object),
// and after the end the exporter read the memory as it was then.
const EMAIL = 'jane.doe@example.com';
const CLEAN = 'status report for the nightly batch job, nothing personal in here';
const KEYS = ['http.request.method', 'code.function.name'];

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5d).toString('base64')}`; // fake test key
  policy = defaultPolicy();
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** The memory an application reuses: clean text first, overwritten with an e-mail address. */
function overwrite(bytes: Uint8Array): void {
  bytes.fill(0x20);
  bytes.set(Buffer.from(`mail ${EMAIL}`));
}

type When = 'after start' | 'after setAttribute' | 'after end';

/** One span through a real provider (simple or batch export); returns the exported request as OTLP/JSON text. */
async function exported(key: string, when: When, batch: boolean, make: () => Uint8Array): Promise<string> {
  const spans = new InMemorySpanExporter();
  const next: SpanProcessor = batch
    ? new BatchSpanProcessor({ exporter: spans, scheduledDelayMillis: 60_000 })
    : new SimpleSpanProcessor({ exporter: spans });
  const provider = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next })] });
  const bytes = make();
  const span = provider
    .getTracer('bytes')
    .startSpan('work', { attributes: when === 'after setAttribute' ? {} : { [key]: bytes } });
  if (when === 'after setAttribute') span.setAttribute(key, bytes);
  if (when !== 'after end') overwrite(bytes);
  span.end();
  if (when === 'after end') overwrite(bytes);
  await provider.forceFlush();
  const out = Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()) as Uint8Array).toString();
  await provider.shutdown();
  return out;
}

/** The exported request with every base64 bytes value decoded, so text inside bytes is read too. */
function decoded(json: string): string {
  return json.replace(/"bytesValue":"([^"]*)"/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('latin1'));
}

describe('bytes values the application overwrites after handing them over', () => {
  const makers: [string, () => Uint8Array][] = [
    ['Uint8Array', () => new TextEncoder().encode(CLEAN)],
    ['pooled Buffer', () => Buffer.from(CLEAN)],
  ];
  for (const key of KEYS)
    for (const [kind, make] of makers)
      for (const when of ['after start', 'after setAttribute', 'after end'] as const)
        for (const batch of [false, true])
          it(`${key}, ${kind}, overwritten ${when} (${batch ? 'batch' : 'simple'} export)`, async () => {
            const out = decoded(await exported(key, when, batch, make));
            expect(out).not.toContain(EMAIL);
            if (when === 'after end') expect(out).toContain(CLEAN); // clean bytes are still kept
          });
});
