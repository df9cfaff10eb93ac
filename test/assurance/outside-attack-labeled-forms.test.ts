import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// Credentials after a label, in the forms forms, frameworks and config files write them, sent by an outside tester
// through real SDK providers with the real privacy processors and the default policy (a log body; `roundTrip` also
// sends span and log attributes). Each form below was exported before its fix: a label with a suffix word (Rails'
// `password_confirmation`, `newPassword2`, `secret_key_base`), a JSON value holding an escaped quote, a value starting
// with a character placeholders start with (`$Hunter2…`, `*hunter2*`), and value syntaxes of YAML, Python and
// multipart bodies.
const pipelines = defaultPolicyPipelines();

/** A password: letters and a digit, `zq` first (no placeholder, no prose word). */
const password = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'),
      minLength: 6,
      maxLength: 14,
    }),
    fc.integer({ min: 0, max: 99 }),
  )
  .map(([s, n]) => `zq${s}${n}`);

/** Every exported string of `value` sent through the pipelines, joined. */
const exported = (value: string): string => pipelines.roundTrip(value).join('\n');

describe('a credential after a label', () => {
  it('with a suffix word or number after the label word', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'password_confirmation',
          'passwordConfirmation',
          'passwordConfirm',
          'password_confirm',
          'newPassword2',
          'password2',
          'pwd_new',
          'old_password_1',
          'passwordNew',
          'secret_key_base',
          'refreshTokenValue',
          'api_key_value',
        ),
        fc.constantFrom(
          (l: string, v: string) => `${l}=${v}`,
          (l: string, v: string) => `{"${l}":"${v}"}`,
          (l: string, v: string) => `user[${l}]=${v}&commit=Save`,
        ),
        password,
        (label, form, pw) => {
          const value = form(label, pw);
          expect(exported(value), value).not.toContain(pw);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('with a JSON-escaped quote or backslash inside the value', () => {
    fc.assert(
      fc.property(password, fc.constantFrom('a"b-', 'Tr0ub\\&3-', 'x\\y', '"'), (pw, inner) => {
        const value = JSON.stringify({ user: 'jd', password: `${inner}${pw}` });
        expect(exported(value), value).not.toContain(pw);
      }),
      { numRuns: 60 },
    );
  });

  it('starting with a character placeholders start with, but no placeholder', () => {
    fc.assert(
      fc.property(
        password,
        fc.constantFrom('$', '%', '*', '{', '<', '?'),
        fc.constantFrom('', '!', '*', '}', '>'),
        (pw, first, last) => {
          const value = `login user=jd password=${first}${pw}${last}`;
          expect(exported(value), value).not.toContain(pw);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('in YAML, Python, backtick, multipart and XML entry syntax', () => {
    fc.assert(
      fc.property(
        password,
        fc.constantFrom(
          (v: string) => `password = \`${v}\``,
          (v: string) => `password: !!str ${v}`,
          (v: string) => `password: &pw ${v}`,
          (v: string) => `password: >-\n  ${v}`,
          (v: string) => `password: |\n  ${v}`,
          (v: string) => `password = r'${v}'`,
          (v: string) => `password = b"${v}"`,
          (v: string) => `password = """${v}"""`,
          (v: string) => `--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\n${v}\r\n--XyZ--`,
          (v: string) => `<entry key="password">${v}</entry>`,
        ),
        (pw, form) => {
          const value = form(pw);
          expect(exported(value), value).not.toContain(pw);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps placeholders and prose', () => {
    for (const value of [
      'password=${DB_PASSWORD}',
      'password=%s',
      'password=***',
      'password={{ vault_password }}',
      'password=<your-password>',
      'password=[REDACTED]',
      'the password_confirmation field must match',
      'password: ?',
    ])
      expect(exported(value), value).toContain(value);
  });
});
