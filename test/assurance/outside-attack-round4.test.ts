import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideAttack } from './helpers/outside-attack';

// Fourth outside attack round (default policy, real SDK 3.x providers, OTLP/JSON as an exporter sends it).

const attack = outsideAttack();

/** A public-looking IPv4 address: first octet 100-223 but 127 (so no version rule applies), last not 0 or 255. */
const address = fc
  .tuple(fc.integer({ min: 100, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
  .filter(([a]) => a !== 127)
  .map((o) => o.join('.'));

describe('an IPv4 address after a hyphen (property)', () => {
  // `svc-203.0.113.7`, `from host-203.0.113.7 ok`, `-203.0.113.7`: the dotted-quad reader took any `-` before the
  // first octet as glue (a number run going on), so a host or service name with a hyphen before the address
  // exported it as written.
  it('is not exported from a log body, a kept attribute or a span name', async () => {
    await fc.assert(
      fc.asyncProperty(
        address,
        fc.constantFrom('', 'connect ', 'peer=', 'upstream "'),
        fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/)),
        fc.constantFrom('', ' ok', ':443', '"', '-svc'),
        async (ip, before, word, after) => {
          const value = `${before}${word}-${ip}${after}`;
          const out = await attack.exported(() => {
            attack.loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'error.type': value } });
            attack.tracerProvider
              .getTracer('attack')
              .startSpan(value, { attributes: { 'peer.service': value, 'error.type': value } })
              .end();
          });
          expect(out).not.toContain(ip);
        },
      ),
      { numRuns: 60 },
    );
  });
});
