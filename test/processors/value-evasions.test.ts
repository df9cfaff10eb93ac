import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy, definePolicy } from '../../index';
import type { Policy } from '../../index';
import { templateNameTokens } from '../../engine/sanitizers/name-tokens';

// Value evasions an outside-style attack found leaving the process under the DEFAULT policy, each sent
// through real SDK providers (span name, an allowed span attribute, a log body, an allowed log attribute).
// Every sample is fake: issuer test cards, a made-up SSN, AWS's documented example key id, example.com.

let hmacBefore: string | undefined;
beforeAll(() => {
  hmacBefore = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-value-evasion-tests-0123456789';
});
afterAll(() => {
  if (hmacBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacBefore;
});

const CARD = '4111111111111111';
const base32 = (s: string): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of Buffer.from(s)) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
};
/** base64 wrapped at 76 columns with CRLF, as MIME writes it; the address straddles a line break. */
const mime = (s: string) =>
  Buffer.from(s)
    .toString('base64')
    .replace(/(.{76})(?=.)/g, '$1\r\n');
const MIME_TEXT =
  'Dear customer, thanks. Please write to jane.doe@example.com for help with your order and its delivery.';

/** [name, value, what must not appear in the exported text (digits compared without separators)]. */
const textCases: readonly [string, string, readonly string[]][] = [
  ['card with commas', 'card 4111,1111,1111,1111 ok', [CARD]],
  ['card with x', 'card 4111x1111x1111x1111 ok', [CARD]],
  ['card with newlines', 'card 4111\n1111\n1111\n1111 ok', [CARD]],
  ['card with two spaces', 'card 4111  1111  1111  1111 ok', [CARD]],
  ['card with mixed separators', 'card 4111-1111 1111.1111 ok', [CARD]],
  ['card glued to letters', 'abc4111111111111111xyz', [CARD]],
  ['card with cents', 'paid 4111111111111111.00 ok', [CARD]],
  ['bigint-like card string', 'pan=4111111111111111n', [CARD]],
  ['SSN with dots', 'ssn 123.45.6789', ['123456789']],
  ['SSN with underscores', 'id 123_45_6789', ['123456789']],
  ['AWS key id in lower case', 'key akiaiosfodnn7example', ['iosfodnn7']],
  ['AWS key id with spaces', 'key AKIA IOSF ODNN 7EXA MPLE', ['IOSF ODNN']],
  ['short bearer token', 'Authorization: Bearer abc123', ['abc123']],
  ['quoted e-mail local part', 'from "john.doe"@example.com', ['john.doe']],
  ['(at) e-mail', 'write to john.doe(at)example.com', ['john.doe']],
  ['[at] e-mail', 'write to john.doe [at] example [dot] com', ['john.doe']],
  ['at/dot e-mail', 'write to john.doe at example dot com', ['john.doe']],
  ['ideographic full stop e-mail', 'john.doe@example\u3002com', ['john.doe']],
  ['spaces around @', 'write to john.doe @ example.com', ['john.doe']],
  ['hex-encoded e-mail', Buffer.from('jane.doe@example.com').toString('hex'), ['6a616e652e646f65']],
  ['base32-encoded e-mail', base32('jane.doe@example.com'), ['NJQW4ZJOMRXWK']],
  ['MIME-wrapped base64', mime(MIME_TEXT), ['\r\n']],
  // A run longer than the 64 characters a local part may have, glued to an address: once skipped as "not an address".
  ['e-mail after a 60-letter run', `${'a'.repeat(60)}.jane.roe@example.com`, ['jane.roe@']],
  ['e-mail after a 64-hex id', `trace-${'f'.repeat(64)}.jane.roe@example.com`, ['jane.roe@']],
  ['e-mail after an underscore run', `${'x_'.repeat(40)}jane.roe@example.com`, ['jane.roe@']],
];

const digitsOf = (s: string) => s.replace(/\D/g, '');

function policies(): [string, Policy][] {
  return [['default', defaultPolicy()]];
}

async function throughSpans(policy: Policy, name: string, value: unknown): Promise<unknown[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider
    .getTracer('evasions')
    .startSpan(name, { attributes: { 'error.type': value as never } })
    .end();
  await provider.forceFlush();
  const out = exporter.getFinishedSpans().map((s) => [s.name, s.attributes['error.type']]);
  await provider.shutdown();
  return out.flat();
}

async function throughLogs(policy: Policy, value: unknown): Promise<unknown[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
  });
  provider.getLogger('evasions').emit({ body: value as never, attributes: { 'error.type': value as never } });
  await provider.forceFlush();
  const out = exporter.getFinishedLogRecords().map((r) => [r.body, r.attributes['error.type']]);
  await provider.shutdown();
  return out.flat();
}

const serialize = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

describe('value evasions under the default policy, through real providers', () => {
  it.each(textCases)(
    '%s is masked in span names, span attributes, log bodies and log attributes',
    async (_n, v, bad) => {
      const [, policy] = policies()[0];
      const exported = [...(await throughSpans(policy, v, v)), ...(await throughLogs(policy, v))];
      expect(exported).toHaveLength(4);
      for (const out of exported) {
        expect(typeof out).toBe('string');
        const s = out as string;
        expect(s).toContain('[REDACTED:');
        for (const b of bad) {
          if (/^\d+$/.test(b)) expect(digitsOf(s)).not.toContain(b);
          else expect(s).not.toContain(b);
        }
      }
    },
  );

  it('keeps look-alike prose and identifiers unchanged (the same fixes do not mask these)', async () => {
    const [, policy] = policies()[0];
    const clean = [
      'deployed 1.2.3 at api.example.com',
      'meet at the office at 10:30',
      'Bearer token expired',
      'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
      'sha256:9f86d081884c7d659a2feaf0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'order ORD-20240501 total 1234.56 EUR',
      'ASIA PACIFIC region, 4 zones',
    ];
    for (const v of clean) {
      const exported = [...(await throughSpans(policy, v, v)), ...(await throughLogs(policy, v))];
      // a span name also has its identifier tokens templated (span names are low-cardinality): `{id}` there
      expect(exported, v).toEqual([templateNameTokens(v), v, v, v]);
    }
  });
});

describe('numbers and nested arrays under the default policy, through real providers', () => {
  it.each([
    ['a double whose digits are a card', 0.4111111111111111],
    ['a card scaled into a double', 41111111.11111111],
    ['a card scaled beyond 1e21', 4111111111111111e6],
    ['a card times 1000', 4111111111111111000],
  ])('%s is masked', async (_n, n) => {
    const [, policy] = policies()[0];
    const [, spanAttr] = await throughSpans(policy, 'op', n);
    const [body, logAttr] = await throughLogs(policy, n);
    for (const out of [spanAttr, body, logAttr]) expect(out).toBe('[REDACTED:payment-card]');
  });

  it('keeps ordinary doubles', async () => {
    const [, policy] = policies()[0];
    for (const n of [0.1, 12.5, 1234.5678, 0.30000000000000004, 1e-7]) {
      const [, spanAttr] = await throughSpans(policy, 'op', n);
      expect(spanAttr).toBe(n);
    }
  });

  const permissive = () =>
    definePolicy({ version: 1, attributes: { allow: ['log.body', 'log.body.*', 'error.type'] }, values: {} });

  it.each([
    ['array of arrays', [['jane.doe@'], ['example.com']], 'jane.doe'],
    ['string beside an array', ['jane.doe@', ['example.com']], 'jane.doe'],
    [
      'card split over nested arrays',
      [
        ['4111', '1111'],
        ['1111', '1111'],
      ],
      CARD,
    ],
    [
      'card split over nested number arrays',
      [
        [4111, 1111],
        [1111, 1111],
      ],
      CARD,
    ],
    ['maps inside an array', [{ a: 'jane.doe@' }, { a: 'example.com' }], 'jane.doe'],
    ['a map and a boolean between the halves', ['x', { a: 1 }, true, 'jane.doe@', 'example.com'], 'jane.doe'],
  ])('a value split across %s in a log body is found', async (_n, body, secret) => {
    for (const policy of [defaultPolicy(), permissive()]) {
      const exported = serialize(await throughLogs(policy, body));
      if (/^\d+$/.test(secret)) expect(digitsOf(exported)).not.toContain(secret);
      else expect(exported).not.toContain(secret);
    }
    // The permissive policy keeps the body: the finding is masked, not dropped.
    expect(serialize(await throughLogs(permissive(), body))).toContain('[REDACTED:');
  });
});
