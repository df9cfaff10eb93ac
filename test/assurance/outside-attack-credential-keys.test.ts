import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's round 16 (credential-named keys): under the typical allowlist (`extends: default` with
// `app.*` allowed), a bare secret under a credential-named key was exported when the name was written with `.`, the
// separator of OpenTelemetry (`app.api.key`, `app.pass.word`), with a credential word missing from the drop list
// (`app.pwd`, `app.pin`, `app.otp`, `app.sid`, `app.auth`, …) or with a look-alike, invisible or fullwidth letter
// (`app.pаssword` with a Cyrillic `а`, `app.pass\u200bword`). The keys are generated from credential words in every
// naming style; every one must be dropped with its value. Benign look-alike keys keep theirs.
process.env.OTEL_PRIVACY_HMAC_KEY ??= `base64:${Buffer.alloc(32, 0x5c).toString('base64')}`; // fake test key
const pipelines = privacyPipelines(
  definePolicy({
    version: 1,
    extends: 'default',
    attributes: { allow: ['app.*', 'app.pin.hint'] },
    logs: { attributes: { allow: ['log.body', 'app.*'] } },
    values: { detectors: 'all' },
  }),
);

const SECRETS = ['hunter2-Fake-9x', 'Zx9Qw3Er7Ty1Ui5Op2As8Df'];

/** Every exported attribute key and string value, after sending `key` = `value` on a span and a log record. */
function exportedUnder(key: string, value: string): string[] {
  pipelines.tracerProvider
    .getTracer('attack')
    .startSpan('op', { attributes: { [key]: value } })
    .end();
  pipelines.loggerProvider.getLogger('attack').emit({ body: 'x', attributes: { [key]: value } });
  const out: string[] = [];
  for (const line of pipelines.exportedJson().split('\n'))
    JSON.parse(line, (k, v: unknown) => {
      if ((k === 'stringValue' || k === 'key') && typeof v === 'string') out.push(v);
      return v;
    });
  return out;
}

/**
 * A credential word: its words, whether it is matched only as whole words (short words: `pin` not in `ping`), and
 * whether its words may be joined by `.` (not `session` `id`: `session.id` is the conventions' session key, hashed).
 */
interface Credential {
  readonly words: readonly string[];
  readonly whole: boolean;
  readonly dotted: boolean;
  /** A word may follow it (not `session_id`, matched at the end of a key). */
  readonly suffix: boolean;
}
const cred = (words: string, whole = false, dotted = true, suffix = true): Credential => ({
  words: words.split(' '),
  whole,
  dotted,
  suffix,
});
const CREDENTIALS: readonly Credential[] = [
  cred('password'),
  cred('pass word'),
  cred('passwd'),
  cred('secret'),
  cred('token'),
  cred('api key'),
  cred('private key'),
  cred('access key'),
  cred('master key'),
  cred('encryption key'),
  cred('signing key'),
  cred('license key'),
  cred('passphrase'),
  cred('passcode'),
  cred('pwd'),
  cred('signature'),
  cred('hmac'),
  cred('bearer'),
  cred('jwt'),
  cred('credential'),
  cred('authorization'),
  cred('cookie'),
  cred('session id', false, false, false),
  cred('pass', true),
  cred('pin', true),
  cred('otp', true),
  cred('totp', true),
  cred('cvv', true),
  cred('cvc', true),
  cred('sid', true),
  cred('auth', true),
  cred('salt', true),
];

type Style = 'snake' | 'kebab' | 'dotted' | 'camel' | 'upper' | 'glued';

/** `words` written in `style` (`glued`: lowercase without separators, `dbpassword`). */
function written(words: readonly string[], style: Style): string {
  switch (style) {
    case 'snake':
      return words.join('_');
    case 'kebab':
      return words.join('-');
    case 'dotted':
      return words.join('.');
    case 'camel':
      return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
    case 'upper':
      return words.join('_').toUpperCase();
    case 'glued':
      return words.join('');
  }
}

const LOOKALIKE: Readonly<Record<string, string>> = {
  a: '\u0430',
  e: '\u0435',
  o: '\u043e',
  p: '\u0440',
  c: '\u0441',
  s: '\u0455',
  i: '\u0456',
  k: '\u03ba',
  A: '\u0410',
  E: '\u0415',
  O: '\u039f',
  P: '\u0420',
  C: '\u0421',
  T: '\u0422',
  K: '\u041a',
  S: '\u0405',
  I: '\u0399',
};
const INVISIBLES = ['\u200b', '\u00ad', '\u200d', '\u2060', '\ufeff'];
type Disguise = 'none' | 'lookalike' | 'invisible' | 'fullwidth';

/** `text` with one letter at `at` (modulo its length) disguised; `none` or a letter without a look-alike: unchanged. */
function disguised(text: string, disguise: Disguise, at: number, invisible: string): string {
  const i = at % text.length;
  if (disguise === 'lookalike') {
    const l = LOOKALIKE[text[i]];
    return l === undefined ? text : text.slice(0, i) + l + text.slice(i + 1);
  }
  if (disguise === 'invisible') return text.slice(0, i + 1) + invisible + text.slice(i + 1);
  if (disguise === 'fullwidth')
    return text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01));
  return text;
}

const credentialKey = fc
  .record({
    credential: fc.constantFrom(...CREDENTIALS),
    style: fc.constantFrom<Style>('snake', 'kebab', 'dotted', 'camel', 'upper', 'glued'),
    prefix: fc.constantFrom<readonly string[]>([], ['db'], ['user'], ['smtp'], ['stripe', 'new']),
    suffix: fc.constantFrom<readonly string[]>([], ['value'], ['code'], ['old']),
    disguise: fc.constantFrom<Disguise>('none', 'lookalike', 'invisible', 'fullwidth'),
    at: fc.nat(),
    invisible: fc.constantFrom(...INVISIBLES),
  })
  // Each generated key has one answer: whole words need a boundary (no `glued`), `session id` is not dotted and ends
  // the key.
  .filter(({ credential, style }) => !(credential.whole && style === 'glued'))
  .filter(({ credential, style }) => credential.dotted || style !== 'dotted')
  .map(({ credential, style, prefix, suffix, disguise, at, invisible }) => {
    const words = [...prefix, ...credential.words, ...(credential.suffix ? suffix : [])];
    const name = written(words, style);
    const before =
      written(prefix, style).length + (prefix.length > 0 && style !== 'camel' && style !== 'glued' ? 1 : 0);
    const credText = written([...prefix, ...credential.words], style).slice(before);
    // The disguise falls on a character of the credential word itself.
    const inner = disguised(credText, disguise, at, invisible);
    return `app.${name.slice(0, before)}${inner}${name.slice(before + credText.length)}`;
  });

describe('outside attack: credential-named keys (extends default, app.* allowed)', () => {
  it('drops a bare secret under a credential word in any naming style, across dots, disguised', () => {
    fc.assert(
      fc.property(credentialKey, fc.constantFrom(...SECRETS), (key, secret) => {
        const out = exportedUnder(key, secret);
        expect({ key, leaked: out.includes(secret) }).toEqual({ key, leaked: false });
        expect(out).not.toContain(key);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    'app.api.key',
    'app.private.key',
    'app.pass.word',
    'app.api.Key',
    'app.pwd',
    'app.db_pwd',
    'app.passphrase',
    'app.access_key',
    'app.aws_access_key_id',
    'app.session_id',
    'app.sessionId',
    'app.JSESSIONID',
    'app.PHPSESSID',
    'app.sid',
    'app.otp',
    'app.cvv',
    'app.cvv2',
    'app.pin',
    'app.user_pin',
    'app.pinCode',
    'app.PIN',
    'app.auth',
    'app.signature',
    'app.master_key',
    'app.encryption_key',
    'app.p\u0430ssword',
    'app.\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44',
    'app.pass\u200bword',
    'app.pass\u00adword',
    'app.t\u03bfken',
    'app.pass word',
    // The next round's report: other languages, shorthand, recovery secrets, key material, OAuth proofs.
    'app.pw',
    'app.pswd',
    'app.passwort',
    'app.kennwort',
    'app.contraseña',
    'app.mot_de_passe',
    'app.senha',
    'app.mfa_code',
    'app.security_code',
    'app.recovery_code',
    'app.backup_codes',
    'app.seed_phrase',
    'app.mnemonic',
    'app.privkey',
    'app.creds',
    'app.tkn',
    'app.code_verifier',
    'app.client_assertion',
    'app.userPw',
  ])('%s (the report) is dropped with its value', (key) => {
    expect(exportedUnder(key, SECRETS[0])).not.toContain(SECRETS[0]);
  });

  // Benign keys that hold a credential word's letters but not the word: kept, value as written.
  it.each([
    'app.ping',
    'app.spinner',
    'app.pinned',
    'app.spin',
    'app.author',
    'app.authority',
    'app.side',
    'app.inside',
    'app.considered',
    'app.bypass',
    'app.passage',
    'app.compass',
    'app.passed',
    'app.topic',
    'app.otpx_ratio',
    'app.salty',
    'app.keyboard',
    'app.api.version',
    'app.private.note',
    'app.access.level',
    'app.master.branch',
    'app.signup',
    'app.design',
    'app.session.count',
    'app.jsonpath',
    'app.power',
    'app.pwm',
    'app.code_version',
    'app.security_level',
    'app.recovery_time',
    'app.credit',
  ])('%s keeps its value', (key) => {
    const out = exportedUnder(key, 'blue-sky');
    expect(out).toContain(key);
    expect(out).toContain('blue-sky');
  });

  it('a key named literally in allow is decided by the user', () => {
    // `app.pin.hint` is named in `allow` above: `pin` as a word drops it only through a glob.
    expect(exportedUnder('app.pin.hint', 'ask-the-admin')).toContain('ask-the-admin');
    expect(exportedUnder('app.pin.code', 'ask-the-admin')).not.toContain('ask-the-admin');
  });
});
