import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUNS, defaultPolicyExport, edges } from './helpers';

// Rule edges of engine/detectors/ipv6.ts against docs/detectors.md (`ipv6` row), with random groups of the
// documentation prefix 2001:db8::/32.

const ip6 = edges('ipv6');
/** A group of 1-4 hex digits that holds a digit and is not 0. */
const group = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 4 })
  .filter((g) => /[1-9]/.test(g));
const six = fc.array(group, { minLength: 6, maxLength: 6 });

describe('ipv6: groups and compression', () => {
  it('eight groups of 1-4 hex digits; seven or nine, or a group of five, are none', () => {
    fc.assert(
      fc.property(six, (g) => {
        ip6.masks('x ', `2001:db8:${g.join(':')}`, ' y');
        ip6.masks('x ', `2001:DB8:${g.join(':').toUpperCase()}`, ' y');
        ip6.keeps(`x 2001:db8:${g.slice(1).join(':')} y`);
        ip6.keeps(`x 2001:db8:${g.join(':')}:1 y`);
        ip6.keeps(`x 2001:db8:${g.slice(1).join(':')}:12345 y`);
      }),
      RUNS,
    );
  });

  it('one :: stands for one or more zero groups; two :: are none', () => {
    fc.assert(
      fc.property(six, fc.integer({ min: 1, max: 5 }), (g, k) => {
        ip6.masks('x ', `2001:db8::${g.slice(0, k).join(':')}`, ' y');
        ip6.masks('x ', `2001:db8:${g.slice(0, Math.min(k, 4)).join(':')}::${g[5]}`, ' y'); // at most seven groups beside ::
        ip6.keeps(`x 2001:db8:${g.slice(0, 5).join(':')}::${g[5]} y`);
        ip6.keeps(`x 2001:db8::${g[0]}::${g[1]} y`);
      }),
      RUNS,
    );
  });

  it('an IPv4 tail, a zone, brackets and a port', () => {
    ip6.masks('x ', '::ffff:203.0.113.7', ' y');
    ip6.masks('x ', '2001:db8::1:203.0.113.7', ' y');
    ip6.masks('x ', '2001:db8::1%eth0', ' y');
    ip6.masks('x [', '2001:db8::1', ']:8080 y');
  });
});

describe('ipv6: what is no address', () => {
  it('::1, ::, what ip-prefix writes, MAC addresses, clock times, std::vector', () => {
    for (const t of [
      '::1',
      '::',
      '2001:db8:1::',
      '::ffff:203.0.113.0',
      '2002:cb00:7100::',
      '00:1a:2b:3c:4d:5e',
      '12:34:56',
      '2023-08-18T07:35:55',
      'std::vector<int>',
      'a::b',
    ])
      ip6.keeps(`x ${t} y`);
  });

  it('glued to a word or digit on the right is none; `_` on the right ends it', () => {
    fc.assert(
      fc.property(six, fc.constantFrom('x', 'g'), (g, after) => {
        ip6.keeps(`x 2001:db8:${g.join(':')}${after} y`);
        ip6.masks('x ', `2001:db8:${g.join(':')}`, `_${after} y`);
      }),
      RUNS,
    );
  });
});

describe('ipv6: before and after it', () => {
  it('after a key and a colon, after a word or number and a dot, at a sentence end', () => {
    fc.assert(
      fc.property(
        six,
        // A key ending in `_`, a blank or punctuation before its colon (`peer_:…`, `ip :…`, `=:…`) too.
        fc.constantFrom(
          'value:',
          'addr=',
          'host.',
          'x.',
          '1.',
          'cafe.',
          'host.abcde:',
          '(',
          '"',
          'peer_:',
          'ip :',
          '=:',
          '_:',
        ),
        fc.constantFrom('', '.', ' y', ')', ','),
        (g, before, after) => {
          ip6.masks(before, `2001:db8:${g.join(':')}`, after);
        },
      ),
      RUNS,
    );
  });

  it('Windows literal host names: the address label is masked', () => {
    ip6.masks('x ', '2001-db8-85a3--7348', '.ipv6-literal.net y');
    ip6.masks('x ', 'fe80--1s4', '.ipv6-literal.net y');
    ip6.keeps('x 2001-db8-85a3-7348.ipv6-literal.net y');
  });
});

describe('ipv6: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('an address at each edge is not exported; what ip-prefix writes is exported as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        six,
        fc.constantFrom(['value:', ''], ['host.', '.'], ['[', ']:443'], ['peer_:', ''], ['ip :', '_eth0']),
        async (g, [before, after]) => {
          const a = `2001:db8:${g.join(':')}`;
          expect(await exported(`${before}${a}${after}`)).not.toContain(a);
          expect(await exported('net 2001:db8:1::')).toContain('net 2001:db8:1::');
        },
      ),
      { numRuns: 10 },
    );
  });
});
