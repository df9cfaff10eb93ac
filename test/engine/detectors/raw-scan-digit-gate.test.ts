import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../index';
import { createValueScanner, hasLeftover, holdsDigit, replaceWords } from '../../../engine/detectors/value-scanner';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';

// `redactTransformed` scans a rewritten value's raw text too and masks a raw finding where it is still in the output:
// whole, by its words of 8+ characters with a digit (`replaceWords`), or the whole value when a short run with a digit
// is left (`hasLeftover`). The last two reads are skipped when the output holds no ASCII digit (`holdsDigit`), as the
// URL and statement rewrites of fresh requests do (`/users/{id}/orders?page=REDACTED`, `… WHERE id = ?`).

// Characters of every class the word and run reads distinguish, digits of other scripts (not ASCII digits) included.
const unit = fc.oneof(
  fc.constantFrom(...'0123456789'),
  fc.constantFrom(...'abcXYZ+/=_~-'),
  fc.constantFrom(...' .@:%?&#;,!{}[]'),
  fc.constantFrom('é', '０', '٣', '۵', '\u00a0', '😀', '\ud800'),
);
const word = fc.string({ unit, minLength: 0, maxLength: 16 });

describe('the digit gate of redactTransformed', () => {
  it('skips only where the full path finds nothing: an output without a digit holds no word and no leftover', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(4), { maxLength: 4 }),
        word,
        fc.constantFrom<string | undefined>('[REDACTED:email]', '0', undefined),
        (parts, keep, noise, mask) => {
          // The finding's text, and an output that holds some of its parts (as a rewrite leaves them) and other text.
          const secret = parts.join('');
          const out = keep.map((k) => (parts[k % parts.length] ?? '') + noise).join('/');
          if (holdsDigit(out)) return;
          expect(replaceWords(out, secret, mask, (t) => `h${t.length}`)).toBeUndefined();
          expect(hasLeftover(out, secret)).toBe(false);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('reads every ASCII digit, and no digit of another script', () => {
    for (const d of '0123456789') expect(holdsDigit(`{id}/x${d}?`)).toBe(true);
    for (const d of ['０', '٣', '۵', '²', '']) expect(holdsDigit(`{id}/x${d}?`)).toBe(false);
  });

  it('reads the output again after a finding changed it (a mask may bring a digit; custom patterns, counted)', () => {
    // `C` is not in the output (the gate reads it: no digit, words skipped), `A` is found only in the raw context
    // (`key=`) and stands whole in the output: its mask `q12345678` brings digits, and then the word `q12345678` of `B`
    // is in the output: it is masked (again) and `B` is counted.
    const scanner = createValueScanner({
      detectors: [],
      custom: [
        { name: 'c-thing', pattern: 'CCCC' },
        { name: 'a-thing', pattern: '(?<=key=)AAAA' },
        { name: 'b-thing', pattern: 'zz\\.q[0-9]{8}' },
      ],
      action: 'mask',
      mask: 'q12345678',
    });
    const out = scanner.redactTransformed('x=CCCC key=AAAA zz.q12345678', 'x=REDACTED k AAAA zz.REDACTED');
    expect(out).toBe('x=REDACTED k q12345678 zz.REDACTED');
    expect({ ...scanner.findings }).toEqual({ 'a-thing': 1, 'b-thing': 1 });
  });
});

/** A mixed-case credential with no digit (a path segment without digits is a route word: the rewrite keeps it). */
const credential = fc
  .stringMatching(/^[A-Za-z]{12,28}$/)
  .filter((s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && !/^[A-Z][a-z]+$/.test(s));

describe('the raw scan is not narrowed to the parts a rewrite copies', () => {
  // A tempting fast path would scan only what the URL sanitizer copied as written (scheme, host, route words, parameter
  // names) once the output holds no digit. The credential below is found only through its `token=` label, which stands
  // in the raw URL alone (the rewrite writes the value `REDACTED`); the same credential stands in a kept route word.
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4e).toString('base64')}`; // fake test key
  const { tracerProvider, spans } = privacyPipelines(defaultPolicy());
  afterAll(() => {
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });
  const tracer = tracerProvider.getTracer('raw-scan');

  it('masks a credential in a kept route word that only the raw URL labels (real tracer provider, default policy)', () => {
    fc.assert(
      fc.property(
        credential,
        fc.constantFrom('reports', 'users', 'files', 'a'),
        fc.constantFrom('token', 'access_token', 'apiKey', 'client_secret'),
        (secret, route, label) => {
          spans.reset();
          const full = 'https://shop.example/' + route + '/' + secret + '?page=1&' + label + '=' + secret;
          const span = tracer.startSpan('GET', { attributes: { 'url.full': full } });
          span.end();
          const exported = spans.getFinishedSpans()[0].attributes['url.full'];
          expect(typeof exported).toBe('string');
          expect(exported).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });
});
