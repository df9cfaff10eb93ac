import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy } from '../../index';
import type { Policy } from '../../index';
import { templateNameTokens } from '../../engine/sanitizers/name-tokens';

// Vendor tokens, an Authorization `Token` scheme, a JWT split across two values and IP addresses embedded in host
// names, all of which an outside-style attack found leaving the process under the DEFAULT policy. Each goes through
// real SDK providers: span name, an allowed span attribute, a log body, an allowed log attribute. Every token is fake
// (made-up characters in the vendor's published format); addresses are from the documentation ranges.

let hmacBefore: string | undefined;
beforeAll(() => {
  hmacBefore = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-token-host-tests-0123456789';
});
afterAll(() => {
  if (hmacBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacBefore;
});

/** [name, value, what must not appear in the exported text, the mask type expected]. */
const cases: readonly [string, string, string, string][] = [
  [
    'OpenAI project key',
    'calling LLM with key sk-proj-4fGh7JkL9mNpQrStUvWxYz0123456789AbCdEfGhIjKlMn',
    '4fGh7JkL9m',
    'api-token',
  ],
  [
    'OpenAI legacy key',
    'OPENAI_API_KEY=sk-FAKEboY6jw1erF9mz4huEcpX7kx2fsAanZ5iv0dqW8ly3gtK',
    'FAKEboY6jw1e',
    'api-token',
  ],
  [
    'Anthropic key',
    'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH-AbCdEfAA',
    'AbCdEfGhIjKl',
    'api-token',
  ],
  ['Hugging Face token', 'hf token hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567', 'AbCdEfGhIjKl', 'api-token'],
  ['Docker Hub PAT', 'docker login -p dckr_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0', 'AbCdEfGhIjKl', 'api-token'],
  ['Shopify admin token', 'shpat_0123456789abcdef0123456789abcdef', '0123456789abcdef', 'api-token'],
  ['Shopify shared secret', 'secret=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', 'fedcba9876543210', 'api-token'],
  [
    'PyPI token',
    'pypi-AgEIcHlwaS5vcmcCJDAxMjM0NTY3LTg5YWItY2RlZi0wMTIzLTQ1Njc4OWFiY2RlZgACKlszLCJhYmMiXQAABiA',
    'CJDAxMjM0NTY3',
    'api-token',
  ],
  ['Twilio API key SID (whole value)', 'SK0123456789abcdef0123456789abcdef', '0123456789abcdef', 'api-token'],
  [
    'Twilio API key SID after a label',
    'twilio key SKfedcba9876543210fedcba9876543210',
    'fedcba9876543210',
    'api-token',
  ],
  [
    'Authorization Token scheme',
    'Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
    '9944b091',
    'bearer-token',
  ],
  [
    'URL-encoded Token scheme',
    'authorization=token%209944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
    '9944b091',
    'bearer-token',
  ],
  ['JWT payload and signature', 'eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlc2lnbmF0dXJl', 'c2lnbmF0dXJl', 'jwt'],
  [
    'AWS secret after "aws secret"',
    'aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'wJalrXUtnFEMI',
    'aws-access-key',
  ],
  ['EC2 public host name', 'from ec2-203-0-113-7.compute-1.amazonaws.com', '203-0-113-7', 'ipv4'],
  ['EC2 private host name', 'node ip-10-0-0-5.ec2.internal ready', '10-0-0-5', 'ipv4'],
  ['dashed address host', '203-0-113-7.example.net', '203-0-113-7', 'ipv4'],
  ['underscored address', 'peer 203_0_113_7', '203_0_113_7', 'ipv4'],
  ['zero-padded address', 'client 203.000.113.007', '203.000.113.007', 'ipv4'],
  ['IPv6 literal host name', 'smb://2001-db8-85a3--7348.ipv6-literal.net/share', '2001-db8-85a3', 'ipv6'],
  ['IBAN with dots', 'iban DE89.3704.0044.0532.0130.00', '3704.0044', 'iban'],
  ['IBAN with underscores', 'DE89_3704_0044_0532_0130_00', '3704_0044', 'iban'],
];

async function throughSpans(policy: Policy, value: string): Promise<unknown[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider
    .getTracer('evasions')
    .startSpan(value, { attributes: { 'error.type': value } })
    .end();
  await provider.forceFlush();
  const out = exporter.getFinishedSpans().map((s) => [s.name, s.attributes['error.type']]);
  await provider.shutdown();
  return out.flat();
}

async function throughLogs(policy: Policy, value: string): Promise<unknown[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
  });
  provider.getLogger('evasions').emit({ body: value, attributes: { 'error.type': value } });
  await provider.forceFlush();
  const out = exporter.getFinishedLogRecords().map((r) => [r.body, r.attributes['error.type']]);
  await provider.shutdown();
  return out.flat();
}

describe('tokens, split JWTs and addresses in host names under the default policy, through real providers', () => {
  it.each(cases)('%s is masked in span names and attributes, log bodies and attributes', async (_n, v, bad, type) => {
    const policy = defaultPolicy();
    const exported = [...(await throughSpans(policy, v)), ...(await throughLogs(policy, v))];
    expect(exported).toHaveLength(4);
    for (const out of exported) {
      expect(typeof out).toBe('string');
      expect(out).toContain(`[REDACTED:${type}]`);
      expect(out).not.toContain(bad);
    }
  });

  it('keeps the host name around a masked address (service maps still see the provider)', async () => {
    const [name] = await throughSpans(defaultPolicy(), 'ec2-203-0-113-7.compute-1.amazonaws.com');
    expect(name).toBe('ec2-[REDACTED:ipv4].compute-1.amazonaws.com');
  });

  it('keeps look-alikes unchanged', async () => {
    const clean = [
      'Authorization token expired',
      'token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b rotated',
      'image node-18-20-4-1 pulled',
      'release-1-22-3-4',
      'sk-learn model loaded',
      'TASK0123456789abcdef0123456789abcdef',
      'eyJhbGciOiJIUzI1NiJ9',
      'ip-10-0-0-0.ec2.internal',
    ];
    for (const v of clean) {
      const exported = [...(await throughSpans(defaultPolicy(), v)), ...(await throughLogs(defaultPolicy(), v))];
      // a span name also has its identifier tokens templated (span names are low-cardinality): `{id}` there
      expect(exported, v).toEqual([templateNameTokens(v), v, v, v]);
    }
  });
});
