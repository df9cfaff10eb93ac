import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import type { FindingTally } from '../../engine/detectors/value-scanner';
import { maskHomeDirectories } from '../../engine/home-directory';
import { MAX_REMEMBERED_REWRITE, rewriteScan } from '../../engine/rewrite-scan';

// `rewriteScan` remembers per key the last rewrite that came out clean and scans an equal rewrite as that string. The
// full path (`before` over both values, then `redactTransformed`, every call) is the oracle: the same calls through
// both must give the same values, the same findings record and the same tally, whatever the rewrites hold (home
// directories `before` rewrites, findings, a raw finding that stands in the rewrite, rewrites over the length bound),
// with equal rewrites built anew (new string objects) and keys alternating.

const scannerWith = (tally: FindingTally) =>
  createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[REDACTED:{type}]',
    tally,
    findings: Object.create(null) as Record<string, number>,
  });

// Pieces of rewrites and raw values: route words and placeholders, a home directory, findings (an address, a labeled
// secret, a card), and text a raw finding leaves in the rewrite.
const piece = fc.constantFrom(
  '/users/',
  '{id}',
  '/orders',
  '?page=REDACTED',
  '&token=REDACTED',
  ' /home/jane/app.js',
  'fake.person0042@example.com',
  'token=Zq8fake0042xxWq',
  '4111 1111 1111 1111',
  'fake.person0042',
  'x'.repeat(MAX_REMEMBERED_REWRITE - 20),
  '',
);
const text = fc.array(piece, { minLength: 1, maxLength: 4 });
const call = fc.record({ key: fc.constantFrom('url.full', 'url.path', 'db.query.text'), raw: text, rewrite: text });

describe('rewriteScan', () => {
  it('gives what the full path gives on every call: values, findings and tally (generated call sequences)', () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 12 }), fc.nat(3), (calls, repeats) => {
        const tallyA: FindingTally = { total: 0 };
        const tallyB: FindingTally = { total: 0 };
        const full = scannerWith(tallyA);
        const memo = scannerWith(tallyB);
        const scan = rewriteScan(memo, maskHomeDirectories, tallyB);
        for (let r = 0; r <= repeats; r++)
          for (const c of calls) {
            // Built anew each time (concatenated: a new string object, as a sanitizer returns one).
            const raw = 'raw ' + c.raw.join('');
            const rewrite = c.rewrite.reduce((s, p) => s + p, '');
            const expected = full.redactTransformed(maskHomeDirectories(raw), maskHomeDirectories(rewrite));
            expect(scan(raw, rewrite, c.key)).toBe(expected);
          }
        expect({ ...memo.findings }).toEqual({ ...full.findings });
        expect(tallyB.total).toBe(tallyA.total);
      }),
      { numRuns: 400 },
    );
  });

  it('scans an equal rewrite as the remembered string, and a changed one as itself', () => {
    const tally: FindingTally = { total: 0 };
    const scanner = scannerWith(tally);
    const scan = rewriteScan(scanner, maskHomeDirectories, tally);
    const rewrite = () => ['/users/', '{id}', '/orders'].join('');
    expect(scan('/users/4711/orders', rewrite(), 'url.path')).toBe('/users/{id}/orders');
    expect(scan('/users/4712/orders', rewrite(), 'url.path')).toBe('/users/{id}/orders');
    // A rewrite holding a finding is never remembered: it is masked and counted on every call.
    for (let i = 0; i < 3; i++)
      expect(scan('/u/fake.person0042@example.com', '/u/fake.person0042@example.com', 'url.path')).toBe(
        '/u/[REDACTED:email]',
      );
    expect(scanner.findings.email).toBe(3);
  });
});
