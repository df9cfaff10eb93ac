import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { fuzzParameters } from '../../assurance/fuzz-runs';

// A `Cookie:` header whose last cookie has no value (`Cookie: lang=en; theme`) runs into the next header's label when
// nothing ends the name in between (`theme; Cookie: sid=…`, `theme_Cookie: sid=…`), also when that label starts
// where the first header's 4 KiB bound cuts the name: the next header's session cookie must still be masked.

const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 });

/** The characters of the first header up to its bound: `Cookie: ` and 4096 more. */
const BOUND = 'Cookie: '.length + 4096;

const pair = fc.constantFrom('lang=en-US', 'theme=dark', 'tz=UTC', 'consent=yes', '_ga=GA1');
const name = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,7}$/);
const joiner = fc.constantFrom('; ', ';', '_', '-', '.', ';  ');
const label = fc.constantFrom('Cookie: ', 'cookie=', 'cookie:', 'Set-Cookie: ', 'COOKIE:');
const session = fc.constantFrom('sid', 'JSESSIONID', 'session', 'PHPSESSID');
const secret = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/);
/** Where the second label starts: anywhere in a short header, or a few characters around the first header's bound. */
const place = fc.oneof(fc.constant(undefined), fc.integer({ min: -12, max: 3 }));

describe('a cookie header label after a cookie name with no value', () => {
  it('masks the session cookie of the second header, also at the first header 4 KiB bound', () => {
    fc.assert(
      fc.property(
        fc.array(pair, { maxLength: 4 }),
        name,
        joiner,
        label,
        session,
        secret,
        place,
        (pairs, last, join, second, sid, value, at) => {
          const head = `Cookie: ${pairs.map((p) => `${p}; `).join('')}`;
          // pad the valueless name so that the second label starts `at` characters from the bound
          const pad = at === undefined ? '' : 'x'.repeat(BOUND + at - head.length - last.length - join.length);
          const text = `${head}${last}${pad}${join}${second}${sid}=${value}`;
          const out = scanner.scan(text).value;
          expect(out, `${at} ${JSON.stringify(text.slice(-80))}`).not.toContain(value);
        },
      ),
      fuzzParameters(300),
    );
  });
});
