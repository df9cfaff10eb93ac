import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';
import { fuzzParameters } from './fuzz-runs';

// Inputs an outside tester sizes to the work a new matcher does per character, through real SDK providers with the
// privacy processors (no timing in the assertions: what is exported is checked; the file's test timeout is the only
// clock). Before the fixes both ran quadratic in the input: the home-directory regex's `~<user>/` form read from every
// `=~`, `,~`, `(~`… to the value's end (a 128 KB log body of `=~a` took minutes), and the map join's word check read
// from every start of a long word to its end (4 096 letters cost 68 ms per map, per join).
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.**'] },
  logs: { attributes: { allow: ['log.body', 'log.body.**', 'app.**'] } },
  values: { detectors: 'all' },
});
const { loggerProvider, exportedJson } = privacyPipelines(policy);
const logger = loggerProvider.getLogger('adversarial-size');

const name = fc.stringMatching(/^[a-z][a-z0-9._-]{2,11}$/);
const punct = fc.constantFrom('=', ',', ';', '(', '[', '{');

describe('adversarial sizes: new matchers stay linear in the input', () => {
  it("a home directory '~<user>/' before 128 KB of '<punct>~<letters>' without a separator", () => {
    fc.assert(
      fc.property(name, punct, fc.stringMatching(/^[a-z]{1,3}$/), (user, p, filler) => {
        const unit = `${p}~${filler}`;
        const body = `${p}~${user}/notes.txt` + unit.repeat(Math.ceil((128 * 1024) / unit.length));
        logger.emit({ body });
        const out = exportedJson();
        expect(out).toContain(`${p}~{user}/notes.txt`);
        expect(out).not.toContain(`~${user}/`);
      }),
      fuzzParameters(3),
    );
  });

  it('maps whose first value ends a 4 000-letter word with a blank before it, next to a word (a map join)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3_000, max: 4_000 }), fc.stringMatching(/^[a-z]{1,8}$/), (n, word) => {
        const long = 'x'.repeat(n) + ' tail';
        const body = Array.from({ length: 400 }, () => ({ a: long, b: word, c: '123-45-6789' }));
        logger.emit({ body });
        const out = exportedJson();
        // each map kept as written, its SSN masked
        expect(out.split(long).length - 1).toBe(400);
        expect(out).not.toContain('123-45-6789');
      }),
      fuzzParameters(2),
    );
  });
});
