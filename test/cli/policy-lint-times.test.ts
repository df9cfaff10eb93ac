import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../cli/policy-lint';
import { definePolicy } from '../../policy/load-policy';
import { inCodeSource } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';

const lint = (doc: PolicyDocument) =>
  lintPolicy(doc, inCodeSource, definePolicy(doc), process.cwd()).map((f) => `${f.path}: ${f.message}`);

// otel-privacy validate on the time shapes values.timestamps: coarsen reads: keys named like times (the extended
// words: last_login, t0, deadline, iat), keys that only sound like times (start, end, …), and allowed texts.
describe('otel-privacy validate: timestamps', () => {
  const allow = ['app.last_login', 'app.t0', 'app.deadline', 'jwt.iat', 'app.start', 'app.end', 'app.plan', 'order.id'];

  it('without coarsen: every allowed key that holds or may hold a time is named', () => {
    const out = lint({ version: 1, attributes: { allow }, values: { detectors: 'all' } });
    expect(out.map((l) => l.split(':')[0])).toEqual([0, 1, 2, 3, 4, 5].map((i) => `attributes.allow[${i}]`));
    expect(out[0]).toMatch(/"app\.last_login" looks like a time/);
    expect(out[4]).toMatch(/"app\.start" may hold a time \(an epoch number, an HrTime pair, a date in text\)/);
  });

  it('with coarsen: keys that only sound like times are told what is kept; allowed texts with a fine time too', () => {
    const out = lint({
      version: 1,
      attributes: { allow },
      values: {
        detectors: 'all',
        timestamps: 'coarsen',
        allow: ['build 2026-12-05T10:11:12.345Z', '2026-12-05T10:11:00Z', 'plain text'],
      },
    });
    expect(out).toEqual([
      expect.stringMatching(/^attributes\.allow\[4\]: "app\.start" is not named like a time.*whole seconds/),
      expect.stringMatching(/^attributes\.allow\[5\]: "app\.end" is not named like a time/),
      expect.stringMatching(/^values\.allow\[0\]: .*holds a date-time finer than a second/),
    ]);
  });
});
