import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Attributes } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy } from '../../index';

// Keys the default policy treated unlike their siblings (an outside-style attack found them): source and artifact
// paths kept while file.path is dropped, a query summary kept raw while the query text is sanitized. Real SDK provider.

let hmacBefore: string | undefined;
beforeAll(() => {
  hmacBefore = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-path-summary-tests-0123456789';
});
afterAll(() => {
  if (hmacBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacBefore;
});

async function exported(attributes: Attributes): Promise<Attributes> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      new PrivacySpanProcessor({ policy: defaultPolicy(), next: new SimpleSpanProcessor({ exporter }) }),
    ],
  });
  provider.getTracer('keys').startSpan('op', { attributes }).end();
  await provider.forceFlush();
  const [span] = exporter.getFinishedSpans();
  await provider.shutdown();
  return span.attributes;
}

describe('default policy: paths and query summaries like their siblings', () => {
  it.each(['code.file.path', 'code.filepath', 'artifact.filename', 'artifact.attestation.filename', 'file.path'])(
    '%s (a path through a home directory) is dropped like file.path',
    async (key) => {
      const out = await exported({ [key]: '/home/jane.doe/app/index.js', 'code.function.name': 'handle' });
      expect(out[key]).toBeUndefined();
      expect(out['code.function.name']).toBe('handle');
    },
  );

  it('db.query.summary goes through the statement sanitizer: literals become ?', async () => {
    const out = await exported({
      'db.system.name': 'postgresql',
      'db.query.summary': "SELECT users WHERE name = 'Jane Doe' AND id = 4711",
    });
    expect(out['db.query.summary']).toBe('SELECT users WHERE name = ? AND id = ?');
  });

  it.each([
    ['postgresql', 'SELECT orders JOIN customers'],
    ['mongodb', 'find orders'],
    ['redis', 'HGETALL'],
    [undefined, 'INSERT shipping_details SELECT orders'],
  ])('db.query.summary of %s keeps operation and target words: %s', async (system, summary) => {
    const attrs: Attributes = { 'db.query.summary': summary };
    if (system !== undefined) attrs['db.system.name'] = system;
    expect((await exported(attrs))['db.query.summary']).toBe(summary);
  });
});
