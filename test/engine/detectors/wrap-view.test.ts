import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { outsideAttack, withoutIdsAndTimes } from '../../assurance/helpers/outside-attack';

// A line break inside an identifier, as a hard-wrapped log line (`fold -w N`), a mail body or a terminal writes it:
// before the wrap view, `jane.doe@exa` + line break + `mple.com`, `ghp_FAKE` + line break + `a1b2…` and a card cut
// inside a group were exported whole (found by an outside attacker at every fold width from 20 to 76). Scanner with
// the pre-filter on and off, and real SDK providers with the default policy.
const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0, prefilter }),
);
const attack = outsideAttack();

const CANARIES: readonly [string, string][] = [
  ['jane.doe@example.com', 'email'],
  ['4111 1111 1111 1111', 'payment-card'],
  ['+1 202-555-0143', 'phone'],
  ['ssn 123-45-6789', 'us-ssn'],
  ['192.0.2.44', 'ipv4'],
  ['ghp_FAKEa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6', 'api-token'],
  ['password=hunter2-Fake-9x', 'labeled-secret'],
];
const BREAKS = ['\n', '\r\n', '\r', '\n  ', '\u2028', '\u0085', '\n\n'];

describe('wrap view: a line break inside an identifier', () => {
  it('cuts no finding: each canary broken at any position inside it is masked (pre-filter on and off)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CANARIES),
        fc.nat(),
        fc.constantFrom(...BREAKS),
        fc.constantFrom('', 'note: ', 'user '),
        ([canary, type], at, br, before) => {
          // a break right after a blank or before one is a line of its own (`… 1111` + line break + `1111 …`)
          const cut = 1 + (at % (canary.length - 1));
          fc.pre(canary[cut - 1] !== ' ' && canary[cut] !== ' ');
          const text = `${before}${canary.slice(0, cut)}${br}${canary.slice(cut)} ok`;
          for (const s of scanners) {
            const r = s.scan(text);
            expect(r.types, JSON.stringify(text)).toContain(type);
            expect(r.value, JSON.stringify(text)).not.toContain(canary.slice(0, cut) + br + canary.slice(cut));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a hard-wrapped log line at every width: nothing exported through real SDK providers', async () => {
    const line =
      'Customer record updated for jane.doe@example.com ssn 123-45-6789 card 4111 1111 1111 1111 from 192.0.2.44 ' +
      'using ghp_FAKEa1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6 phone +1 202-555-0143';
    for (let width = 16; width <= 80; width += 4) {
      const folded = line.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
      const json = withoutIdsAndTimes(
        await attack.exported(() => attack.loggerProvider.getLogger('wrap').emit({ body: folded })),
      ).replace(/\\n/g, '');
      for (const needle of ['jane.doe', 'example.com', '6789', '41111111', 'a1b2c3d4e5f6', '555-0143', '192.0.2'])
        expect(json, `width ${width}`).not.toContain(needle);
    }
  });

  it('prose, numbers on their own lines and stack traces stay as written', () => {
    for (const text of [
      'line one\nline two',
      'id 12345\n67890 items',
      'Error: boom\n    at main (app.js:12:3)\n    at run (app.js:40:9)',
      '2026-12-07 10:00 ok\n2026-12-07 10:01 done',
      'total\n42',
      'user_id\n4111 ok',
    ])
      for (const s of scanners) expect(s.scan(text).value).toBe(text);
  });
});
