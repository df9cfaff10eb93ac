import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';
import { RUNS, defaultPolicyExport } from './helpers';

// A UPS tracking number as UPS prints it (`1Z 999 AA1 01 2345 6784`: `1Z`, six letters or digits of the shipper, two
// digits of the service, seven of the package and a check digit) ended in `01 2345 6784`, which reads as a
// trunk-prefixed national number: it was masked as a phone (a false positive the outside attack of round 18 listed).
// Its last groups are no phone when the whole number is there, its check digit is right and nothing is glued to it;
// anything else is read as before.

const phone = edgeScanners(['phone']);

/** The UPS check digit of the 15 characters after `1Z`: letters as ((code - 63) mod 10), even places doubled. */
function upsCheck(body: string): number {
  let sum = 0;
  for (let p = 1; p <= 15; p++) {
    const c = body.charCodeAt(p - 1);
    const v = c >= 65 ? (c - 63) % 10 : c - 48;
    sum += v * (p % 2 === 0 ? 2 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = LETTERS + '0123456789';
const str = (alphabet: string, n: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n });
/** A group of three of the shipper's characters with a letter in it (no run of digits longer than the number's). */
const shipperGroup = fc.tuple(fc.constantFrom(...LETTERS), str(ALNUM, 2), fc.nat(2)).map(([l, r, at]) => {
  const s = r.split('');
  s.splice(at, 0, l);
  return s.join('');
});
/** A UPS tracking number with a trunk-like service code (`0x`), printed as UPS prints it. */
const tracking = fc
  .tuple(shipperGroup, shipperGroup, str('0123456789', 1), str('0123456789', 7))
  .map(([a, b, service, pkg]) => {
    const body = `${a}${b}0${service}${pkg}`;
    const check = String(upsCheck(body));
    return { printed: `1Z ${a} ${b} 0${service} ${pkg.slice(0, 4)} ${pkg.slice(4)}${check}`, check };
  });

describe('phone: the last groups of a UPS tracking number', () => {
  it('the check digit of the documented example is right', () => {
    expect(upsCheck('999AA1012345678')).toBe(4);
  });

  it('a whole UPS number with its check digit is exported as written, in prose and after a label', () => {
    fc.assert(
      fc.property(tracking, fc.constantFrom('', 'UPS ', 'tracking: ', 'shipped via UPS, '), (t, before) => {
        phone.marked(`${before}${t.printed}`);
        phone.marked(`${before}${t.printed} delivered`);
      }),
      RUNS,
    );
    phone.marked('UPS 1Z 999 AA1 01 2345 6784');
  });

  it('a wrong check digit, a letter or digit glued before `1Z`, or a phone after a shorter prefix is a phone', () => {
    phone.marked('UPS 1Z 999 AA1 «01 2345 6785»');
    phone.marked('x1Z 999 AA1 «01 2345 6784»');
    phone.marked('call «01 2345 6784»');
    phone.marked('1Z 999 «01 2345 6784»');
    phone.marked('ref 1Z 999 AA1 «+44 20 7946 0958»');
  });
});

describe('phone: UPS numbers through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('the example is exported as written; a phone number beside it is not', async () => {
    expect(await exported('shipped UPS 1Z 999 AA1 01 2345 6784')).toContain('1Z 999 AA1 01 2345 6784');
    expect(await exported('UPS 1Z 999 AA1 01 2345 6784, call 01 2345 6785')).not.toContain('2345 6785');
  });
});
