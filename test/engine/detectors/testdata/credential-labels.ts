import fc from 'fast-check';

// Shared fixtures of the labeled-secret suites for labels in other languages and `Authorization` schemes
// (`edges/labeled-secret-languages.test.ts`, `edges/labeled-secret-authorization.test.ts`): fake values only.

/** Password words in other languages, each a label with a separator (`contraseña: …`, `パスワード：…`). */
export const FOREIGN_PASSWORD_LABELS = [
  'contraseña',
  'Contraseña',
  'contrasena',
  'mot de passe',
  'mot_de_passe',
  'senha',
  'Senha',
  'wachtwoord',
  'Wachtwoord',
  'Kennwort',
  'KENNWORT',
  'passord',
  'lösenord',
  'losenord',
  'hasło',
  'haslo',
  'heslo',
  'jelszó',
  'jelszo',
  'şifre',
  'sifre',
  'salasana',
  'adgangskode',
  'пароль',
  'Пароль',
  'パスワード',
  '密码',
  '密碼',
  '비밀번호',
  '암호',
  '口令',
  '暗証番号',
  'palavra-passe',
  'mật khẩu',
  'पासवर्ड',
  'รหัสผ่าน',
] as const;

/** Separators after a label: ASCII, fullwidth and with blanks around them. */
export const LABEL_SEPARATORS = [': ', ':', ' : ', '=', ' = ', '：', '＝', ' ：'] as const;

/** The templates a labeled value is written in (`{l}` the label, `{s}` the separator, `«{v}»` the masked value). */
export const LABEL_TEMPLATES = [
  '{l}{s}«{v}»',
  'user=jane {l}{s}«{v}» status=ok',
  '"1042","Roe","{l}{s}«{v}»","2026-12-07"',
  'ERROR invalid value {l}{s}«{v}»',
] as const;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** A password with letters and a digit (`hunter2-Fake-9x` style): credential-like after any password label. */
export const fakePassword = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...LOWER), minLength: 3, maxLength: 8 }),
    fc.integer({ min: 10, max: 9999 }),
    fc.constantFrom('', '!', '#', '$', '-Fake'),
  )
  .map(([w, n, s]) => `${w[0]!.toUpperCase()}${w.slice(1)}${n}${s}`);

/** A random-looking token of 12 to 40 letters and digits with at least one digit and one letter. */
export const fakeToken = fc
  .tuple(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 10, maxLength: 38 }), fc.integer({ min: 0, max: 9 }))
  .map(([s, d]) => `k${s}${d}`);

/** Hex digits (`n` of them) with a letter and a digit, as a digest or uuid part writes them. */
export const fakeHex = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n - 2, maxLength: n - 2 }).map((s) => `a${s}7`);

/** A uuid of hex digits (each group holds a letter and a digit). */
export const fakeUuid = fc
  .tuple(fakeHex(8), fakeHex(4), fakeHex(4), fakeHex(4), fakeHex(12))
  .map((p) => p.join('-'));

/** Base64 of 24 to 48 bytes of letters and digits (`Vk96SVFma3o2…=`). */
export const fakeBase64 = fakeToken.map((t) => Buffer.from(`${t}${t}`).toString('base64'));

/**
 * State words and messages written after a password word of another language (`senha: expirada`, `密码：已重置`): no
 * credential. Letters only (also accented, Cyrillic), CJK text, or words with a blank.
 */
export const FOREIGN_STATE_WORDS = [
  'requerida',
  'obligatoria',
  'caducada',
  'incorrecta',
  'vacía',
  'obrigatória',
  'expirada',
  'redefinida',
  'oublié',
  'expiré',
  'réinitialisé',
  'non-valide',
  'ungültig',
  'abgelaufen',
  'zurückgesetzt',
  'Pflichtfeld',
  'verlopen',
  'wymagane',
  'nieprawidłowe',
  'неверный',
  'обязательно',
  'сброшен',
  'krävs',
  'utgånget',
  'geçersiz',
  'kilitli',
  '已重置',
  '8文字以上',
  '必須です',
  'süresi doldu',
] as const;

/** Ids and names after `PIN`, `parola`, `clave`, `mdp`: a word and a number, a version, a year. */
export const WEAK_LABEL_IDS = [
  'GPIO4',
  'v2.3.1',
  'node-1234',
  'Milano2026',
  'Roma-2024',
  'pedido-2024-001',
  'id_usuario',
  '2026',
  '1999',
  '2024-11-05',
] as const;

/**
 * Values written right after an `Authorization` label that name rather than hold a credential: a policy, a role, a
 * scheme alone, a media type, a Java `toString`, a UUID, a timestamp, a grant type.
 */
export const AUTHORIZATION_NON_CREDENTIALS = [
  'RoleBasedAccessControl',
  'ServiceAccountTokenProjection',
  'authorizationCodeGrantFlow',
  'ManagedIdentityCredential',
  'AWS4-HMAC-SHA256',
  'policy/AdminOnly',
  'application/json',
  'cluster-admin-binding-2024',
  'io.grpc.Metadata$Key@1b6d3586',
  'payments.Authorization@6d06d69c',
  '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  '2024-11-05T10:00:00Z',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
] as const;

/** Qualifiers of one or two short words between a password word and its separator (`contraseña temporal: …`). */
export const PASSWORD_QUALIFIERS = [
  'temporal',
  'actual',
  'de acceso',
  'do wifi',
  'temporaire',
  'für jane',
  '(neu)',
  'от почты',
  'для jane',
  'tymczasowe',
  'do bazy',
  'geçici',
  'för databasen',
  'admin',
  'root',
] as const;
