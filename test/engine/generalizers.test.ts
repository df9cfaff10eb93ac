import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import { ipPrefix } from '../../engine/generalizers';
import { definePolicy } from '../../index';
import { privacyPipelines } from '../assurance/helpers/outside-attack';

describe('ip-prefix', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    [' 198.51.100.9 ', '198.51.100.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8::'],
    ['[2001:db8:1:2::3]', '2001:db8:1::'],
    ['fe80::1%eth0', 'fe80::'],
    // IPv4 inside IPv6: the embedded address's /24, in the same form.
    ['::ffff:203.0.113.7', '::ffff:203.0.113.0'],
    ['::FFFF:cb00:7107', '::ffff:203.0.113.0'],
    ['::203.0.113.7', '::203.0.113.0'],
    ['64:ff9b::203.0.113.7', '64:ff9b::203.0.113.0'],
    ['64:ff9b::cb00:7107', '64:ff9b::203.0.113.0'],
    ['2002:cb00:7107::1', '2002:cb00:7100::'],
    ['2002:cb00:7107:1:2:3:4:5', '2002:cb00:7100::'],
    // Teredo: server 65.54.227.120 → 65.54.227.0; client 192.0.2.45 (stored inverted) → 192.0.2.0.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:0:4136:e300::3fff:fdff'],
    // Loopback and unspecified identify nobody and stay readable.
    ['::1', '::1'],
    ['::', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
  ])('%s → %s', (input, expected) => {
    expect(ipPrefix(input)).toBe(expected);
  });

  it('returns undefined for values that are not IP addresses', () => {
    for (const v of ['host.example', '', '1.2.3', ':::', 42, null]) expect(ipPrefix(v)).toBeUndefined();
  });

  it('writes what the ipv6/ipv4 detectors leave alone, while the raw forms are found', () => {
    const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]' });
    for (const raw of [
      '::ffff:203.0.113.7',
      '64:ff9b::203.0.113.7',
      '2002:cb00:7107::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '2001:db8:85a3:8d3:1319:8a2e:370:7348',
    ]) {
      expect(scanner.redact(raw), raw).not.toBe(raw);
      const generalized = ipPrefix(raw)!;
      expect(scanner.redact(generalized), generalized).toBe(generalized);
    }
  });
});

describe('ip-prefix of IPv6 forms that carry an IPv4 address, through a span processor', () => {
  const policy = definePolicy({ version: 1, attributes: { generalize: { 'client.address': 'ip-prefix' } } });
  const { spans, tracerProvider } = privacyPipelines(policy);
  /** Octets with 0 and 255 drawn often: `0.0.x.x` (this network) and other edges, which a uniform draw almost never makes. */
  const octet = fc.oneof(fc.constantFrom(0, 0, 1, 255), fc.integer({ min: 0, max: 255 }));
  const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

  it('exports the embedded address’s /24 in the same form for every IPv4 address (0.0.x.x too), and returns', () => {
    fc.assert(
      fc.property(v4, fc.constantFrom('::ffff:', '64:ff9b::', '::FFFF:'), (address, prefix) => {
        tracerProvider
          .getTracer('generalize')
          .startSpan('GET', { attributes: { 'client.address': `${prefix}${address}` } })
          .end();
        const [span] = spans.getFinishedSpans();
        spans.reset();
        expect(span!.attributes['client.address']).toBe(`${prefix.toLowerCase()}${ipPrefix(address)}`);
      }),
      { numRuns: 200 },
    );
    for (const [raw, expected] of [
      ['::ffff:0.0.1.2', '::ffff:0.0.1.0'],
      ['64:ff9b::0.0.2.3', '64:ff9b::0.0.2.0'],
      ['::0.0.1.2', '::0.0.1.0'],
    ])
      expect(ipPrefix(raw)).toBe(expected);
  });
});
