import type { DetectorName } from '../../../../policy/schema';
import type { LabeledSample } from './corpus';

/**
 * A labeled corpus generated from seed values by transformation operators: how an adversary (or a
 * careless developer) writes a value so that it no longer looks like itself. Deterministic (fixed
 * PRNG seed), so a failure reproduces.
 */

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One value transformation; `only` limits it to the detectors whose label it preserves. */
export interface Operator {
  readonly name: string;
  readonly apply: (value: string, rnd: () => number) => string;
  readonly only?: readonly DetectorName[];
}

const DIGIT_DETECTORS: readonly DetectorName[] = ['payment-card', 'phone', 'us-ssn', 'ipv4'];

const fullwidth = (s: string) =>
  s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01));
const every = (s: string, n: number, insert: (i: number) => string) => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s[i] + (i % n === n - 1 && i < s.length - 1 ? insert(i) : '');
  return out;
};
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e'];
const NAMED: Record<string, string> = { '@': '&commat;', '.': '&period;', ':': '&colon;', '/': '&sol;', '-': '&hyphen;' };
const hex2 = (c: number) => c.toString(16).padStart(2, '0');
const cardDigits = (v: string) => v.replace(/\D/g, '');
/** The digits of a card regrouped in fours, `sep(k)` between group k and k + 1. */
const regroup = (v: string, sep: (k: number) => string) => {
  const groups = cardDigits(v).match(/\d{1,4}/g) ?? [];
  return groups.map((g, k) => (k < groups.length - 1 ? g + sep(k) : g)).join('');
};
const base32 = (v: string) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of Buffer.from(v)) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
};
/** base64 of a letter quoting the value, wrapped at 76 columns with CRLF (MIME); the value straddles a line break. */
const mimeLetter = (v: string) =>
  Buffer.from(`Dear customer, thanks for writing to us. Reference: ${v}. Kind regards, the support team`)
    .toString('base64')
    .replace(/(.{76})(?=.)/g, '$1\r\n');
/** The domain part of an address (after the last `@`). */
const atDomain = (v: string, f: (local: string, domain: string) => string) => {
  const at = v.lastIndexOf('@');
  return at === -1 ? v : f(v.slice(0, at), v.slice(at + 1));
};

/** The representation, separator, case, punctuation and wrapping operators. */
export const operators: readonly Operator[] = [
  { name: 'identity', apply: (v) => v },
  { name: 'fullwidth', apply: fullwidth },
  { name: 'fullwidth digits', apply: (v) => v.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) },
  { name: 'zero-width every 3', apply: (v) => every(v, 3, () => '\u200b') },
  {
    name: 'split by invisibles',
    apply: (v, rnd) => every(v, 2 + Math.floor(rnd() * 4), () => INVISIBLES[Math.floor(rnd() * INVISIBLES.length)]),
  },
  { name: 'bidi isolate', apply: (v) => `\u2066${v.slice(0, 3)}\u202e\u202c${v.slice(3)}\u2069` },
  { name: 'percent-encode', apply: (v) => encodeURIComponent(v) },
  { name: 'double percent-encode', apply: (v) => encodeURIComponent(encodeURIComponent(v)) },
  {
    name: 'percent-encode every byte',
    apply: (v) => [...Buffer.from(v)].map((b) => `%${hex2(b).toUpperCase()}`).join(''),
  },
  {
    name: 'JSON \\u escapes',
    apply: (v) => v.replace(/[^A-Za-z0-9]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`),
  },
  { name: 'JS \\x escapes', apply: (v) => v.replace(/[@.:\-/\d ]/g, (ch) => `\\x${hex2(ch.charCodeAt(0))}`) },
  { name: 'HTML decimal references', apply: (v) => v.replace(/[^A-Za-z0-9 ]/g, (ch) => `&#${ch.charCodeAt(0)};`) },
  { name: 'HTML hex references on digits', apply: (v) => v.replace(/\d/g, (ch) => `&#x${hex2(ch.charCodeAt(0))};`) },
  { name: 'HTML named references', apply: (v) => v.replace(/[@.:/-]/g, (ch) => NAMED[ch] ?? ch) },
  { name: 'NBSP for spaces', apply: (v) => v.replace(/ /g, '\u00a0'), only: ['payment-card', 'phone', 'iban'] },
  {
    name: 'card digits regrouped with dots',
    apply: (v) => v.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1.'),
    only: ['payment-card'],
  },
  {
    name: 'card digits regrouped with NBSP',
    apply: (v) => v.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1\u00a0'),
    only: ['payment-card'],
  },
  { name: 'card with a letter prefix', apply: (v) => `CC${v.replace(/\D/g, '')}`, only: ['payment-card'] },
  // Found by an outside-style attack: separators people (and attackers) put between card digit groups.
  { name: 'card digits regrouped with commas', apply: (v) => regroup(v, () => ','), only: ['payment-card'] },
  { name: 'card digits regrouped with x', apply: (v) => regroup(v, () => 'x'), only: ['payment-card'] },
  {
    name: 'card digits on separate lines',
    apply: (v, rnd) => regroup(v, () => (rnd() < 0.5 ? '\n' : '\r\n')),
    only: ['payment-card'],
  },
  { name: 'card digits regrouped with two spaces', apply: (v) => regroup(v, () => '  '), only: ['payment-card'] },
  {
    name: 'card digits with mixed separators',
    apply: (v) => regroup(v, (k) => ['-', ' ', '.', '/', ' - '][k % 5]),
    only: ['payment-card'],
  },
  { name: 'card glued to letters on both sides', apply: (v) => `abc${cardDigits(v)}xyz`, only: ['payment-card'] },
  { name: 'card with trailing cents', apply: (v) => `${cardDigits(v)}.00`, only: ['payment-card'] },
  { name: 'card as a bigint literal', apply: (v) => `${cardDigits(v)}n`, only: ['payment-card'] },
  { name: 'SSN with dots', apply: (v) => v.replace(/-/g, '.'), only: ['us-ssn'] },
  { name: 'SSN with underscores', apply: (v) => v.replace(/-/g, '_'), only: ['us-ssn'] },
  {
    name: 'key id in groups of four',
    apply: (v, rnd) => {
      if (!/^A[A-Z]{3}[A-Z0-9]{16}$/.test(v)) return v;
      const sep = [' ', '-', '_'][Math.floor(rnd() * 3)];
      return v.match(/.{4}/g)!.join(sep);
    },
    only: ['aws-access-key'],
  },
  {
    name: 'short token after an Authorization label',
    apply: (v) => v.replace(/^Bearer\s+(\S+)$/i, (_m, t: string) => `Authorization: Bearer ${t.replace(/[\W_]/g, '').slice(0, 6)}`),
    only: ['bearer-token'],
  },
  { name: 'quoted local part', apply: (v) => atDomain(v, (l, d) => `"${l}"@${d}`), only: ['email'] },
  { name: 'spaces around @', apply: (v) => atDomain(v, (l, d) => `${l} @ ${d}`), only: ['email'] },
  { name: '(at) for @', apply: (v) => atDomain(v, (l, d) => `${l}(at)${d}`), only: ['email'] },
  {
    name: '[at] and [dot]',
    apply: (v) => atDomain(v, (l, d) => `${l} [at] ${d.replace(/\./g, ' [dot] ')}`),
    only: ['email'],
  },
  { name: 'at and dot words', apply: (v) => atDomain(v, (l, d) => `${l} at ${d.replace(/\./g, ' dot ')}`), only: ['email'] },
  {
    name: 'ideographic full stops in the domain',
    apply: (v) => atDomain(v, (l, d) => `${l}@${d.replace(/\./g, '\u3002')}`),
    only: ['email'],
  },
  {
    name: 'fullwidth full stops in the domain',
    apply: (v) => atDomain(v, (l, d) => `${l}@${d.replace(/\./g, '\uff0e')}`),
    only: ['email'],
  },
  {
    name: 'IBAN with dashes',
    apply: (v) => v.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1-'),
    only: ['iban'],
  },
  { name: 'upper case', apply: (v) => v.toUpperCase(), only: ['email', 'iban', 'ipv6'] },
  { name: 'lower case', apply: (v) => v.toLowerCase(), only: ['email', 'iban', 'ipv6', 'aws-access-key'] },
  { name: 'sentence end', apply: (v) => `${v}.` },
  { name: 'parenthesized with comma', apply: (v) => `(${v}),` },
  { name: 'quoted with semicolon', apply: (v) => `"${v}";` },
  { name: 'after a colon', apply: (v) => `value:${v}!` },
  { name: 'base64', apply: (v) => Buffer.from(v).toString('base64') },
  { name: 'base64url of JSON', apply: (v) => Buffer.from(JSON.stringify({ value: v })).toString('base64url') },
  { name: 'base64 of base64', apply: (v) => Buffer.from(Buffer.from(v).toString('base64')).toString('base64') },
  { name: 'hex', apply: (v) => Buffer.from(v).toString('hex') },
  { name: 'upper-case hex', apply: (v) => Buffer.from(v).toString('hex').toUpperCase() },
  { name: 'base32', apply: (v) => base32(v) },
  { name: 'base64 wrapped at 76 columns (MIME)', apply: (v) => mimeLetter(v) },
  { name: 'in a URL query', apply: (v) => `https://app.example/cb?page=2&q=${encodeURIComponent(v)}&lang=en` },
  { name: 'in JSON', apply: (v) => JSON.stringify({ user: { note: v }, n: 2 }) },
  { name: 'in SQL', apply: (v) => `INSERT INTO notes (body) VALUES ('${v.replace(/'/g, "''")}')` },
  { name: 'percent-encoded in a URL in JSON', apply: (v) => JSON.stringify({ url: `/cb?x=${encodeURIComponent(v)}` }) },
];

/** Neutral surroundings (nothing detectable in them). */
const contexts: readonly ((v: string) => string)[] = [
  (v) => v,
  (v) => `User reported a problem with ${v} in the checkout form`,
  (v) => `level=info msg="profile updated" field=${v} duration=12ms`,
  (v) => `<contact><value>${v}</value></contact>`,
  (v) => `Error: invalid value ${v} at line 3`,
];

/**
 * Every applicable operator over every seed of every detector, each result in one neutral context
 * (chosen in turn). Operators whose output is the seed itself (a no-op for that seed) are skipped.
 */
export function generatePositives(seeds: Readonly<Record<DetectorName, readonly string[]>>): LabeledSample[] {
  const rnd = prng(17);
  const out: LabeledSample[] = [];
  let k = 0;
  for (const [type, values] of Object.entries(seeds) as [DetectorName, readonly string[]][]) {
    for (const seed of values) {
      for (const op of operators) {
        if (op.only !== undefined && !op.only.includes(type)) continue;
        if (op.name === 'fullwidth digits' && !DIGIT_DETECTORS.includes(type)) continue;
        const v = op.apply(seed, rnd);
        if (v === seed && op.name !== 'identity') continue;
        out.push({ text: contexts[k++ % contexts.length](v), types: [type], secret: `${op.name}` });
      }
    }
  }
  return out;
}

const hex = (rnd: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
};
const digits = (rnd: () => number, n: number, first = '123456789') => {
  let s = first[Math.floor(rnd() * first.length)];
  for (let i = 1; i < n; i++) s += Math.floor(rnd() * 10);
  return s;
};
const int = (rnd: () => number, max: number) => Math.floor(rnd() * max);
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const base62 = (rnd: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += B62[int(rnd, 62)];
  return s;
};

/** Look-alike generators: identifiers and numbers telemetry is full of that are not personal data or secrets. */
const lookAlikes: readonly [string, (rnd: () => number) => string][] = [
  ['uuid', (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${'89ab'[int(r, 4)]}${hex(r, 3)}-${hex(r, 12)}`],
  ['trace id', (r) => hex(r, 32)],
  ['span id', (r) => hex(r, 16)],
  ['traceparent', (r) => `00-${hex(r, 32)}-${hex(r, 16)}-01`],
  ['sha1', (r) => hex(r, 40)],
  ['sha256', (r) => `sha256:${hex(r, 64)}`],
  ['base64 digest', (r) => `sha256-${Buffer.from(hex(r, 64), 'hex').toString('base64')}`],
  ['git short sha', (r) => `commit ${hex(r, 7 + int(r, 6))}`],
  ['container id', (r) => hex(r, 64)],
  ['semver', (r) => `${int(r, 30)}.${int(r, 50)}.${int(r, 200)}`],
  ['prerelease', (r) => `v${int(r, 30)}.${int(r, 50)}.${int(r, 20)}-rc.${int(r, 9)}+build.${digits(r, 6)}`],
  ['four-part version', (r) => `version ${int(r, 20)}.${int(r, 30)}.${int(r, 9)}.${int(r, 9999)}`],
  ['npm spec', (r) => `lodash@${int(r, 5)}.${int(r, 30)}.${int(r, 30)}`],
  ['image digest', (r) => `nginx@sha256:${hex(r, 64)}`],
  ['iso timestamp', (r) => new Date(1.6e12 + int(r, 1e11)).toISOString()],
  ['log timestamp', (r) => new Date(1.6e12 + int(r, 1e11)).toISOString().replace('T', ' ').replace('Z', ',123')],
  ['epoch ms', (r) => String(1.6e12 + int(r, 1e11))],
  ['epoch s', (r) => String(1.6e9 + int(r, 1e8))],
  ['http date', (r) => new Date(1.6e12 + int(r, 1e11)).toUTCString()],
  ['order number', (r) => `ORD-${digits(r, 8)}`],
  ['order hash', (r) => `order #${digits(r, 9)}`],
  ['invoice', (r) => `INV-${2020 + int(r, 6)}-${digits(r, 6, '0123456789')}`],
  ['ticket', (r) => `${digits(r, 4)}-${digits(r, 4)}-${digits(r, 4)}`],
  ['request id', (r) => `req_${base62(r, 22)}`],
  ['stripe-like id', (r) => `ch_${base62(r, 24)}`],
  ['k8s pod', (r) => `checkout-${hex(r, 9)}-${base62(r, 5).toLowerCase()}`],
  ['duration', (r) => `${int(r, 9999)}.${int(r, 999)}ms`],
  ['price', (r) => `EUR ${int(r, 9999)}.${digits(r, 2, '0123456789')}`],
  ['port', (r) => `localhost:${1024 + int(r, 60000)}`],
  ['hex color', (r) => `#${hex(r, 6)}`],
  ['byte size', (r) => `${digits(r, 9)} bytes`],
  ['route', (r) => `/api/v${1 + int(r, 3)}/orders/${digits(r, 6)}/items`],
  ['snowflake', (r) => `id=${digits(r, 18)}`],
  ['dashed version', (r) => `image node-${int(r, 30)}-${int(r, 40)}-${int(r, 9)}-${int(r, 99)} pulled`],
  ['dated build', (r) => `build_${2020 + int(r, 6)}_${1 + int(r, 12)}_${1 + int(r, 28)}_${int(r, 255)}`],
  ['pod ip label', (r) => `ip-10-${int(r, 255)}-${int(r, 255)}-0.ec2.internal`],
  ['md5 after SK', (r) => `TASK${hex(r, 32)}`],
  ['authorization prose', (r) => `Authorization token ${['expired', 'invalid', 'missing', 'refreshed'][int(r, 4)]}`],
  // Look-alikes of what the detectors accept glued or separated since the leak-class fixes.
  ['semver build metadata', (r) => `${int(r, 9)}.${int(r, 30)}.${int(r, 30)}+${digits(r, 9 + int(r, 6))}`],
  [
    'version glued to a word',
    (r) =>
      `${['v', 'rc', 'build', 'release', 'appVersion'][int(r, 5)]}${int(r, 99)}.${int(r, 99)}.${int(r, 99)}.${int(r, 99)}`,
  ],
  ['runtime version', (r) => `${['python', 'node', 'libssl', 'openjdk'][int(r, 4)]}${int(r, 10)}.${int(r, 99)}.${int(r, 99)}.${int(r, 99)}`],
  [
    'bearer compound word',
    (r) => `Bearer-${['token', 'auth', 'scheme', 'header'][int(r, 4)]}-${['v2', 'enabled', 'config', 'required'][int(r, 4)]}`,
  ],
  [
    'cookie preferences',
    (r) =>
      `Cookie: lang=${['en-US', 'de-DE', 'fr'][int(r, 3)]}; theme=${['dark', 'light'][int(r, 2)]}; consent=${['accepted', 'rejected'][int(r, 2)]}`,
  ],
  [
    'set-cookie attributes',
    (r) =>
      `Set-Cookie: theme=dark; Path=/; Max-Age=${digits(r, 8)}; Expires=${new Date(1.6e12 + int(r, 1e11)).toUTCString()}; SameSite=Lax`,
  ],
  ['middle-dot menu', (r) => `Home · Orders ${digits(r, 4)} · Account · ${int(r, 99)}`],
];

/**
 * Look-alike negatives: `count` values per generator, each plain and through the representation and
 * wrapping operators (an evasion operator must not turn a harmless value into a finding either).
 */
export function generateNegatives(count: number): LabeledSample[] {
  const rnd = prng(4242);
  const out: LabeledSample[] = [];
  const wrapping = operators.filter((o) => o.only === undefined);
  let k = 0;
  for (const [name, make] of lookAlikes) {
    for (let i = 0; i < count; i++) {
      const v = make(rnd);
      out.push({ text: contexts[k++ % contexts.length](v), types: [], secret: name });
      const op = wrapping[int(rnd, wrapping.length)];
      out.push({ text: contexts[k++ % contexts.length](op.apply(v, rnd)), types: [], secret: `${name} / ${op.name}` });
    }
  }
  return out;
}
