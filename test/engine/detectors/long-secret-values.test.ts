import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideAttack } from '../../assurance/helpers/outside-attack';

// Secrets longer than the detectors' reading windows: a labeled value is judged on its first 256 characters and a
// URL's userinfo was read for 512; the rest of a longer password, key or token was exported after the mask
// (`password=[REDACTED:labeled-secret]K3mP9…`), and a URL password of more than 512 characters was not found at all.

const attack = outsideAttack();

/** What is exported for `value` as a log body and a kept span attribute (default policy, real providers). */
function sent(value: string): Promise<string> {
  return attack.exported(() => {
    attack.loggerProvider.getLogger('long').emit({ body: value });
    attack.tracerProvider
      .getTracer('long')
      .startSpan('op', { attributes: { 'error.type': value } })
      .end();
  });
}

/** A random-looking secret of `n` characters (letters and digits, obviously fake). */
const secret = (n: number) =>
  fc
    .array(fc.constantFrom(...'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'.split('')), {
      minLength: n,
      maxLength: n,
    })
    .map((cs) => `Zq8${cs.join('')}`);

const forms: ((s: string) => string)[] = [
  (s) => `password=${s}`,
  (s) => `db_password: ${s} host=db`,
  (s) => `{"client_secret":"${s}"}`,
  (s) => `--api-key=${s} --verbose`,
  (s) => `<password>${s}</password>`,
  (s) => `AccountKey=${s};EndpointSuffix=core.windows.net`,
  (s) => `connect postgres://app:${s}@db.example.com:5432/app`,
  (s) => `redis://:${s}@cache.example.com`,
];

describe('secrets longer than the reading windows', () => {
  it('are masked to their end (default policy, real providers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 2000 }).chain(secret),
        fc.integer({ min: 0, max: forms.length - 1 }),
        async (s, f) => {
          const out = await sent(forms[f]!(s));
          // no stretch of 12 characters of the secret (its start, middle or end) is exported
          for (const at of [0, Math.floor(s.length / 2), s.length - 12])
            expect(out).not.toContain(s.slice(at, at + 12));
        },
      ),
      { numRuns: 40 },
    );
  });
});
