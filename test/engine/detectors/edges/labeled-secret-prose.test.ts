import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, UPPER, chars, edgeScanners, prose } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): a value introduced in prose or by a blank rather than `=` or `:` (`Your
// temporary password is …`, `new password set to …`, `use password … to log in`, `api key …`, `password -> …`,
// `password (…)`), a colon or equals sign of another block (`password꞉…`, `password ≔ …`), and a credential label
// written with a look-alike letter of another script (`passwοrd=…` with Greek `ο`). After prose the value is taken
// only when it looks like a credential (one word; letters with digits or symbols after a password label, or quoted;
// random-looking after a secret, key or token label), so prose about credentials stays as written.

const scan = edgeScanners(['labeled-secret']);

const PASSWORD_LABELS = ['password', 'passwd', 'passphrase', 'pwd', 'new password', 'temporary password'];
const SECRET_LABELS = ['secret', 'client secret', 'api key', 'API key', 'access key', 'token', 'access token'];
const caseOf = fc.constantFrom(
  (l: string) => l,
  (l: string) => l.toUpperCase(),
  (l: string) => `${l[0]!.toUpperCase()}${l.slice(1)}`,
);

/** A password of letters, digits and a symbol (`hunter2-Fake-9x`): credential-like, no prose word. */
const password = fc
  .tuple(
    chars(LOWER, 2, 6),
    fc.constantFrom(...DIGITS),
    fc.constantFrom('-', '!', '@', '#', '+', '*'),
    chars(UPPER, 1, 1),
  )
  .chain(([a, d, s, u]) => chars(LOWER, 1, 4).map((b) => `${a}${d}${s}${u}${b}9x`));
/** A random secret of 10 to 22 characters (an upper-case letter, letters and digits, a digit). */
const secret = fc
  .tuple(fc.constantFrom(...UPPER), chars(ALNUM, 8, 20), fc.constantFrom(...DIGITS))
  .map(([u, s, d]) => `${u}${s}${d}`);
const labelAndValue = fc.oneof(
  fc.tuple(fc.constantFrom(...PASSWORD_LABELS), password),
  fc.tuple(fc.constantFrom(...SECRET_LABELS), secret),
);

/** What joins a label to its value in prose. */
const INTRODUCERS = [
  ' is ',
  ' was ',
  ' is now ',
  ' set to ',
  ' changed to ',
  ' reset to ',
  ' updated to ',
  ' as ',
  ' of ',
  ' ',
  '\t\t',
  '\\t', // a tab escaped in a JSON string
  ' -> ',
  '->',
  ' → ',
  ' - ',
  ' — ',
  ' for jane is ',
  ' for db-admin was ',
  ' for user jane: ',
  ': is ',
  ' = is ',
];
/** How the value is written after it. */
const WRAPPERS: readonly [string, string][] = [
  ['', ''],
  ['"', '"'],
  ["'", "'"],
  ['(', ')'],
  ['[', ']'],
  ['<', '>'],
];
const BEFORE = ['', 'Your ', 'the ', 'use ', 'export ', '--', 'INFO 2026-12-07 user=jane ', 'reset '];
const AFTER = ['', ' to log in', '.', ' (expires in 24 hours)', ' and user jane'];

describe('labeled-secret: a value introduced in prose or by a blank', () => {
  it('connectors, arrows, dashes and blanks; bare, quoted or bracketed: only the value is masked', () => {
    fc.assert(
      fc.property(
        labelAndValue,
        caseOf,
        fc.constantFrom(...INTRODUCERS),
        fc.constantFrom(...WRAPPERS),
        fc.constantFrom(...BEFORE),
        fc.constantFrom(...AFTER),
        ([label, value], cased, intro, [open, close], before, after) => {
          scan.marked(`${before}${cased(label)}${intro}${open}«${value}»${close}${after}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a colon or equals sign of another block is read as `:` or `=`', () => {
    fc.assert(
      fc.property(
        labelAndValue,
        fc.constantFrom('꞉', '᠄ ', ' ∶ ', 'ː', ' ≔ ', ' ⩵ ', '⩴', '﹕'),
        fc.constantFrom(['', ''], ['"', '"']),
        ([label, value], sep, [open, close]) => {
          scan.marked(`${label}${sep}${open}«${value}»${close} next`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('six digits or more after a password label; a quoted word after a password label', () => {
    for (const text of [
      'password is «12345678»',
      'new password set to «482913»',
      'password "«letmein»"',
      "password is '«correcthorse»'",
      'client secret "«Zx9Qw3Er7Ty1Ui5Op2As8Df»"',
      'bearer token is «Zx9Qw3Er7Ty1Ui5Op2As==»',
      'Passwort ist «hunter2-Fake-9x»',
      'use password «hunter2-Fake-9x!» to log in',
    ])
      scan.marked(text);
  });
});

/** Sentences about credentials that hold no credential: exported exactly as written. */
const BENIGN = [
  'password is required',
  'password is too short',
  'token is expired',
  'token expired',
  'the password you entered is incorrect',
  'password must be 8 characters',
  'reset your password to continue',
  'the password field',
  'bypass=cache',
  'password is required for user jane',
  'the password for this account is incorrect',
  'password set to expire in 90 days',
  'password changed successfully',
  'token is valid for 3600s',
  'password (optional)',
  'password [REDACTED]',
  'password <your-password>',
  'password is ***',
  'password is ${DB_PASSWORD}',
  'if password is None:',
  'Password policy: min 8 chars, 1 digit',
  'password reset link sent to the user',
  'password-reset-2fa',
  'pass the test 3 times',
  'signature abc123def456 invalid',
  'CREATE TABLE users (id int, password varchar(255), token text)',
  'unexpected token < in JSON at position 0',
  'Unexpected token \'o\', "ok" is not valid JSON',
  'the api key is missing',
  'session id is not set',
  'secret is safe with me',
  'password is 8-64 characters long',
  'token a-sig=Aaaaaaaaaaaaaaaaaaa0 next',
  'password for jane is wrong',
  'password — must be changed',
  'token -> refreshed',
  'Passwort ist falsch',
  '<input name="password_confirm" type="password">',
  '<label for="password">Password</label> <input id="password" type="password">',
];

describe('labeled-secret: prose about credentials stays as written', () => {
  it('a list of look-alike sentences', () => {
    for (const text of BENIGN) scan.kept(text);
  });

  it('any label, connector and words of one case, or a number of under six digits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PASSWORD_LABELS, ...SECRET_LABELS),
        caseOf,
        fc.constantFrom(...INTRODUCERS),
        fc.constantFrom(...WRAPPERS.filter(([o]) => o !== '"' && o !== "'")),
        fc.oneof(prose, chars(DIGITS, 1, 5)),
        fc.array(prose, { maxLength: 3 }),
        (label, cased, intro, [open, close], word, rest) => {
          scan.kept([`${cased(label)}${intro}${open}${word}${close}`, ...rest].join(' '));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Look-alikes of the letters of credential labels (Cyrillic, Greek, small capitals, IPA, Armenian). */
const LOOK: Readonly<Record<string, readonly string[]>> = {
  a: ['а', 'ɑ', 'α', 'ᴀ'],
  c: ['с', 'ϲ'],
  d: ['ԁ', 'ᴅ'],
  e: ['е', 'ε', 'ᴇ'],
  i: ['і', 'ι', 'ɪ'],
  k: ['κ', 'к', 'ᴋ'],
  n: ['ո', 'ɴ'],
  o: ['о', 'ο', 'ᴏ', 'օ'],
  p: ['р', 'ρ', 'ᴘ'],
  r: ['г', 'ʀ'],
  s: ['ѕ', 'ꜱ'],
  t: ['т', 'τ', 'ᴛ'],
  w: ['ѡ', 'ᴡ'],
  y: ['у'],
  A: ['А', 'Α', 'Ɑ'],
  C: ['С', 'Ϲ'],
  D: ['Ԁ'],
  E: ['Е', 'Ε'],
  I: ['І', 'Ι', 'Ɪ'],
  K: ['К', 'Κ'],
  O: ['О', 'Ο', 'Օ'],
  P: ['Р', 'Ρ'],
  R: ['Ʀ'],
  S: ['Ѕ'],
  T: ['Т', 'Τ'],
  W: ['Ԝ'],
  Y: ['У', 'Υ'],
};
const LABELS = ['password', 'passwd', 'pwd', 'secret', 'api_key', 'apikey', 'token', 'access_token', 'private_key'];
/** A label (lower or upper case) with one or two of its letters written as a look-alike. */
const lookalikeLabel = fc
  .tuple(fc.constantFrom(...LABELS), fc.boolean(), fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), fc.nat())
  .map(([plain, upper, picks, g]) => {
    const label = upper ? plain.toUpperCase() : plain;
    const at = [...label].flatMap((ch, i) => (LOOK[ch] ? [i] : []));
    const chosen = picks.map((p) => at[p % at.length]!);
    return [...label].map((ch, i) => (chosen.includes(i) ? LOOK[ch]![g % LOOK[ch]!.length]! : ch)).join('');
  });
const FORMS = [
  (l: string, v: string) => `${l}=«${v}»`,
  (l: string, v: string) => `${l}: «${v}»`,
  (l: string, v: string) => `{"${l}":"«${v}»"}`,
  (l: string, v: string) => `?${l}=«${v}»&x=1`,
  (l: string, v: string) => `<${l}>«${v}»</${l}>`,
];

describe('labeled-secret: a label with look-alike letters of other scripts', () => {
  it('Cyrillic, Greek and other look-alikes in the label: the value is masked', () => {
    fc.assert(
      fc.property(lookalikeLabel, fc.constantFrom(...FORMS), secret, (label, form, value) => {
        scan.marked(form(label, value));
      }),
      { numRuns: 300 },
    );
  });

  it('prose, placeholders and text of those scripts stay as written', () => {
    for (const text of [
      'passwоrd: required',
      'tоken: expired',
      'api_kеy=${API_KEY}',
      'Привет: тест',
      'токен истёк',
      'Ο κωδικός είναι λάθος',
      'рassword is required',
    ])
      scan.kept(text);
  });
});
