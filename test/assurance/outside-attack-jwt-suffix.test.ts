import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { logsAndMetrics } from './helpers/logs-and-metrics';

// An outside tester's suffix operator under the DEFAULT policy, through real SDK providers: a fake signed JWT followed
// by a dot and more characters (`….sig.json`, `….sig.v2`, a metric named `app.<token>.count`). Three parts and a
// fourth that is not empty used to read as no token at all, so the whole token was exported in log bodies, log
// attributes, metric attribute values and metric names.
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4b).toString('base64')}`; // fake test key
const { loggerProvider, meterProvider, exported } = logsAndMetrics(defaultPolicy());

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** A fake token: a real header, a generated subject, a generated signature (no key signs it). */
const token = fc
  .tuple(fc.stringMatching(/^[a-z]{3,12}$/), fc.uint8Array({ minLength: 16, maxLength: 48 }))
  .map(
    ([sub, sig]) =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${sub}"}`)}.${Buffer.from(sig).toString('base64url')}`,
  );
/** What follows the signature: a dot and a word, an extension, a version, an index, punctuation. */
const suffix = fc.oneof(
  fc.stringMatching(/^\.[A-Za-z0-9_-]{1,12}$/),
  fc.constantFrom('.json', '.count', '.v2', '.1', '._', '.-x', '.sig2', '.0.1'),
);

describe('a JWT followed by a dot and more characters (default policy)', () => {
  it('no part of the token after its header reaches the exported logs or metrics', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(token, suffix, fc.constantFrom('', 'token ', 'auth='), async (jwt, tail, before) => {
        const text = `${before}${jwt}${tail}`;
        const out = await exported(() => {
          loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'error.type': text } });
          const meter = meterProvider.getMeter('attack');
          meter.createCounter(`app.${jwt}${tail}.n${n++}`).add(1, { 'error.type': text });
        });
        const [, payload, signature] = jwt.split('.');
        const leaked = out.filter((s) => s.includes(signature) || s.includes(payload));
        expect(leaked, text).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('dotted names that only start like a token stay readable', async () => {
    const out = await exported(() => {
      loggerProvider.getLogger('attack').emit({ body: 'eyJhbGciOi.json' });
    });
    expect(out).toContain('eyJhbGciOi.json');
  });
});
