/**
 * An independent labeled set of realistic telemetry text:
 * positives are personal data and secrets as applications write them into log lines, exception messages, URLs,
 * SQL, headers and JSON; negatives are clean telemetry that must stay as written (its families and values were
 * written without reference to `corpus.ts` and `generate.ts`; only the PRNG is shared). Every value is fictional:
 * `example.com`/`example.org`/`.test` domains, 555 and drama-range phone numbers, issuer test cards and
 * Luhn-completed numbers on test prefixes, documentation IP ranges (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32), random key material that is no key. A fixed PRNG seed makes it reproducible.
 *
 * A positive sample is detected when the scanner finds something and `secret` (the sensitive text as written) is
 * no longer in the output; a negative sample is a false positive when the scanner finds anything in it.
 */

import { prng } from './generate';

export interface LabeledSample {
  /** Family name, e.g. `email/plus-tag` or `neg/uuid`. */
  readonly family: string;
  readonly positive: boolean;
  /** The full value as telemetry would carry it. */
  readonly text: string;
  /** Positives: the sensitive part that must not survive. */
  readonly secret?: string;
}

const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const B64URL = ALNUM + '-_';

class Gen {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  str(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.r() * alphabet.length)];
    return s;
  }
  hex(n: number): string {
    return this.str(HEX, n);
  }
  digits(n: number): string {
    return this.str(DIGITS, n);
  }
  bool(): boolean {
    return this.r() < 0.5;
  }
}

/** Appends the Luhn check digit to `body`. */
export function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function ibanCheck(country: string, bban: string): string {
  const rearranged = bban + country + '00';
  let rem = 0;
  for (const ch of rearranged) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return country + String(98 - rem).padStart(2, '0') + bban;
}

function group(s: string, sizes: readonly number[], sep: string): string {
  const out: string[] = [];
  let i = 0;
  for (const n of sizes) {
    out.push(s.slice(i, i + n));
    i += n;
  }
  if (i < s.length) out.push(s.slice(i));
  return out.filter((x) => x.length > 0).join(sep);
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

const FIRST = ['jane', 'john', 'alex', 'maria', 'li', 'omar', 'sofia', 'noah', 'ana', 'lukas', 'chen', 'fatima'];
const LAST = ['doe', 'roe', 'smith', 'garcia', 'wei', 'khan', 'muller', 'rossi', 'tanaka', 'silva', 'novak'];
const SERVICES = ['checkout', 'payments', 'orders', 'auth', 'billing', 'profile', 'search', 'notify', 'gateway'];

/** Wraps a value in a realistic telemetry context. */
function contexts(g: Gen, v: string, key: string): string {
  const svc = g.pick(SERVICES);
  const forms = [
    `${key}=${v}`,
    `INFO  [${svc}] ${key} ${v} accepted`,
    `{"level":"warn","msg":"validation failed","${key}":"${v}","svc":"${svc}"}`,
    `Error: could not process request for ${v}`,
    `    at ${svc}.handler (/srv/app/${svc}.js:${g.int(10, 400)}:${g.int(1, 40)}) value=${v}`,
    `GET /api/v1/${svc}?${key}=${encodeURIComponent(v)}&page=2 HTTP/1.1`,
    `UPDATE customers SET ${key} = '${v}' WHERE id = ${g.int(100, 99999)}`,
    `${new Date(Date.UTC(2026, 10, g.int(1, 28), g.int(0, 23), g.int(0, 59), g.int(0, 59))).toISOString()} ERROR ${svc}: ${key} "${v}" rejected`,
    `[${svc}] lookup(${key}=${v}) -> 404`,
    `${key}: ${v}`,
  ];
  return g.pick(forms);
}

function add(out: LabeledSample[], family: string, text: string, secret: string): void {
  out.push({ family, positive: true, text, secret });
}
function neg(out: LabeledSample[], family: string, text: string): void {
  out.push({ family, positive: false, text });
}

// ---------------------------------------------------------------------------------------------------------------
// Positives

function emails(g: Gen, out: LabeledSample[], n: number): void {
  const domains = ['example.com', 'example.org', 'example.net', 'mail.example.co.uk', 'eu.corp.example.com', 'example.io'];
  for (let i = 0; i < n; i++) {
    const f = g.pick(FIRST);
    const l = g.pick(LAST);
    const d = g.pick(domains);
    add(out, 'email/plain', contexts(g, `${f}.${l}@${d}`, 'email'), `${f}.${l}@${d}`);
    const tag = g.pick(['newsletter', 'billing', 'test+1', 'dev', 'qa-2026']);
    const plus = `${f}+${tag}@${d}`;
    add(out, 'email/plus-tag', contexts(g, plus, 'user'), plus);
    const sub = `${f}_${l}${g.int(1, 99)}@${g.pick(['dept', 'mx1', 'users', 'staff'])}.${g.pick(['eu', 'us', 'apac'])}.example.com`;
    add(out, 'email/subdomain', contexts(g, sub, 'recipient'), sub);
    const upper = `${f.toUpperCase()}.${l.toUpperCase()}@${d.toUpperCase()}`;
    add(out, 'email/upper', contexts(g, upper, 'to'), upper);
    const idn = g.pick([
      `jürgen.${l}@bücher.example`,
      `${f}@münchen.example.de`,
      `josé.${l}@correo.example.es`,
      `${f}@xn--bcher-kva.example`,
      `${f}.${l}@xn--mnchen-3ya.example.de`,
      `用户${g.int(1, 9)}@例え.example.jp`,
    ]);
    add(out, 'email/idn-punycode', contexts(g, idn, 'from'), idn);
    const q = g.pick([`"${f} ${l}"@${d}`, `"${f}.${l}"@${d}`, `"${f}@home"@${d}`]);
    add(out, 'email/quoted-local', `MAIL FROM:<${q}> SIZE=${g.int(1000, 90000)}`, q);
    const hdr = `${f}.${l}@${d}`;
    add(out, 'email/header', g.pick([`From: "${f} ${l}" <${hdr}>`, `Reply-To: <${hdr}>`, `to=<${hdr}>, relay=mx.example.net[192.0.2.25]:25, status=sent`]), hdr);
  }
}

interface PhonePlan {
  cc: string;
  national: string[]; // format templates, 'd' = digit
  trunk?: string;
}

/** National numbers use fictional or drama ranges where a country publishes them. */
const PHONE_PLANS: Record<string, PhonePlan> = {
  US: { cc: '1', national: ['(202) 555-01dd', '202-555-01dd', '202.555.01dd'] },
  CA: { cc: '1', national: ['(416) 555-01dd', '416-555-01dd'] },
  GB: { cc: '44', national: ['020 7946 0ddd', '0161 496 0ddd', '07700 900ddd'], trunk: '0' },
  FR: { cc: '33', national: ['01 99 00 dd dd', '06 39 98 dd dd'], trunk: '0' },
  DE: { cc: '49', national: ['030 123456dd', '0151 234567dd'], trunk: '0' },
  IT: { cc: '39', national: ['06 6982 dddd', '347 123 45dd'] },
  ES: { cc: '34', national: ['912 345 6dd', '612 345 6dd'] },
  NL: { cc: '31', national: ['020 123 45dd', '06 123456dd'], trunk: '0' },
  BE: { cc: '32', national: ['02 123 45 dd', '0470 12 34 dd'], trunk: '0' },
  CH: { cc: '41', national: ['044 668 18 dd', '078 123 45 dd'], trunk: '0' },
  AT: { cc: '43', national: ['01 234567dd', '0664 123456d'], trunk: '0' },
  SE: { cc: '46', national: ['08 123 456 dd', '070 123 45 dd'], trunk: '0' },
  NO: { cc: '47', national: ['22 12 34 dd', '412 34 5dd'] },
  DK: { cc: '45', national: ['32 12 34 dd', '20 12 34 dd'] },
  PL: { cc: '48', national: ['22 123 45 dd', '512 345 6dd'] },
  IE: { cc: '353', national: ['01 234 56dd', '085 123 45dd'], trunk: '0' },
  PT: { cc: '351', national: ['21 123 45dd', '912 345 6dd'] },
  AU: { cc: '61', national: ['(02) 5550 01dd', '0491 570 1dd'], trunk: '0' },
  NZ: { cc: '64', national: ['09 123 45dd', '021 123 45dd'], trunk: '0' },
  JP: { cc: '81', national: ['03-1234-56dd', '090-1234-56dd'], trunk: '0' },
  IN: { cc: '91', national: ['98765 432dd', '011 2345 67dd'] },
  BR: { cc: '55', national: ['(11) 91234-56dd', '(21) 2345-67dd'] },
  MX: { cc: '52', national: ['55 1234 56dd', '33 1234 56dd'] },
  ZA: { cc: '27', national: ['021 123 45dd', '082 123 45dd'], trunk: '0' },
  SG: { cc: '65', national: ['6123 45dd', '9123 45dd'] },
  KR: { cc: '82', national: ['02-123-45dd', '010-1234-56dd'], trunk: '0' },
};

function fill(g: Gen, template: string): string {
  return template.replace(/d/g, () => String(g.int(0, 9)));
}

function phones(g: Gen, out: LabeledSample[], perCountry: number): void {
  for (const [country, plan] of Object.entries(PHONE_PLANS)) {
    for (let i = 0; i < perCountry; i++) {
      const nat = fill(g, g.pick(plan.national));
      const digits = nat.replace(/\D/g, '');
      const noTrunk = plan.trunk && digits.startsWith(plan.trunk) ? digits.slice(1) : digits;
      const e164 = `+${plan.cc}${noTrunk}`;
      add(out, 'phone/e164', contexts(g, e164, g.pick(['phone', 'msisdn', 'to', 'caller'])), e164);
      const intl = `+${plan.cc} ${group(noTrunk, [noTrunk.length > 9 ? 3 : 2, 3, 4], ' ')}`;
      add(out, 'phone/international-spaced', contexts(g, intl, 'phone'), intl);
      add(out, `phone/national`, `${g.pick(['SMS to', 'callback number', 'Customer phone:', 'dialing'])} ${nat} (${country})`, nat);
      if (i === 0) {
        const ext = `${g.pick([e164, intl])}${g.pick([' ext. ', ' x', ';ext=', ' ext '])}${g.int(10, 9999)}`;
        add(out, 'phone/extension', contexts(g, ext, 'phone'), ext.split(/ ext|;ext| x/)[0]!);
        const tel = `tel:${e164}`;
        add(out, 'phone/tel-uri', `<a href="${tel}">call</a> clicked by visitor`, e164);
      }
    }
  }
}

interface CardBrand {
  name: string;
  prefixes: string[];
  lengths: number[];
  groups: Record<number, number[]>;
}

const CARD_BRANDS: CardBrand[] = [
  { name: 'visa', prefixes: ['4111', '4012', '4000', '4242'], lengths: [16, 13, 19], groups: { 16: [4, 4, 4, 4], 13: [4, 4, 5], 19: [4, 4, 4, 4, 3] } },
  { name: 'mastercard', prefixes: ['5555', '5105', '2223', '2720', '5200'], lengths: [16], groups: { 16: [4, 4, 4, 4] } },
  { name: 'amex', prefixes: ['3782', '3714', '3400'], lengths: [15], groups: { 15: [4, 6, 5] } },
  { name: 'discover', prefixes: ['6011', '6445', '6500'], lengths: [16, 19], groups: { 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3] } },
  { name: 'diners', prefixes: ['3056', '3852', '3600'], lengths: [14], groups: { 14: [4, 6, 4] } },
  { name: 'jcb', prefixes: ['3530', '3566'], lengths: [16], groups: { 16: [4, 4, 4, 4] } },
  { name: 'unionpay', prefixes: ['6200', '6205', '6282'], lengths: [16, 19], groups: { 16: [4, 4, 4, 4], 19: [4, 4, 4, 4, 3] } },
  { name: 'maestro', prefixes: ['6759', '6799', '5018', '5020'], lengths: [16, 12, 19], groups: { 16: [4, 4, 4, 4], 12: [4, 4, 4], 19: [4, 4, 4, 4, 3] } },
];

function cards(g: Gen, out: LabeledSample[], perBrand: number): void {
  for (const b of CARD_BRANDS) {
    for (let i = 0; i < perBrand; i++) {
      const len = g.pick(b.lengths);
      const pan = luhnComplete(g.pick(b.prefixes) + g.digits(len - 5));
      const sep = g.pick([' ', '-', '']);
      const written = sep ? group(pan, b.groups[len]!, sep) : pan;
      const text = g.pick([
        `charge failed: card ${written} declined (insufficient_funds)`,
        `{"card_number":"${written}","exp":"12/29","amount":1999}`,
        `POST /v1/payments card=${written}&cvc=***`,
        `INSERT INTO payments (pan, amount) VALUES ('${written}', 42.00)`,
        `PaymentError: Invalid card ${written} for merchant acct_${g.int(1000, 9999)}`,
        `cc=${written}`,
      ]);
      add(out, `card/${b.name}`, text, written);
    }
  }
}

function ssns(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    let area = g.int(1, 899);
    if (area === 666) area = 667;
    const a = String(area).padStart(3, '0');
    const gr = String(g.int(1, 99)).padStart(2, '0');
    const s = String(g.int(1, 9999)).padStart(4, '0');
    const dashed = `${a}-${gr}-${s}`;
    add(out, 'ssn/dashed', contexts(g, dashed, g.pick(['ssn', 'tin', 'taxId'])), dashed);
    const plain = `${a}${gr}${s}`;
    add(out, 'ssn/labeled-plain', g.pick([`SSN: ${plain}`, `{"ssn":"${plain}"}`, `social security number ${plain} on file`, `ssn=${plain}`]), plain);
  }
}

/** Country: BBAN template (`a` upper letter, `d` digit, `c` alphanumeric upper). */
const IBAN_FORMATS: Record<string, string> = {
  DE: 'dddddddddddddddddd',
  FR: 'ddddddddddcccccccccccdd',
  GB: 'aaaadddddddddddddd',
  ES: 'dddddddddddddddddddd',
  IT: 'addddddddddcccccccccccc',
  NL: 'aaaadddddddddd',
  BE: 'dddddddddddd',
  CH: 'dddddcccccccccccc',
  AT: 'dddddddddddddddd',
  PL: 'dddddddddddddddddddddddd',
  SE: 'dddddddddddddddddddd',
  NO: 'ddddddddddd',
  DK: 'dddddddddddddd',
  FI: 'dddddddddddddd',
  IE: 'aaaadddddddddddddd',
  PT: 'ddddddddddddddddddddd',
  LU: 'dddccccccccccccc',
  CZ: 'dddddddddddddddddddd',
  HU: 'dddddddddddddddddddddddd',
  RO: 'aaaacccccccccccccccc',
  GR: 'dddddddcccccccccccccccc',
  HR: 'ddddddddddddddddd',
  BG: 'aaaaddddddcccccccc',
  LT: 'dddddddddddddddd',
  EE: 'dddddddddddddddd',
  SA: 'ddcccccccccccccccccc',
  AE: 'ddddddddddddddddddd',
  TR: 'ddddddcccccccccccccccc',
  BR: 'dddddddddddddddddddddddac',
  MT: 'aaaadddddcccccccccccccccccc',
};

function ibans(g: Gen, out: LabeledSample[]): void {
  for (const [cc, fmt] of Object.entries(IBAN_FORMATS)) {
    for (let i = 0; i < 2; i++) {
      const bban = fmt.replace(/[adc]/g, (t) => t === 'a' ? g.str(UPPER, 1) : t === 'd' || g.int(0, 9) > 0 ? g.digits(1) : g.str(UPPER, 1));
      const iban = ibanCheck(cc, bban);
      const written = i === 0 ? iban : group(iban, Array(10).fill(4), ' ');
      const text = g.pick([
        `SEPA transfer to ${written} queued`,
        `{"iban":"${written}","bic":"DEUTDEFFXXX"}`,
        `payout.iban=${written}`,
        `Validation failed for IBAN ${written}: account closed`,
        `UPDATE accounts SET iban='${written}' WHERE customer_id=${g.int(1, 99999)}`,
      ]);
      add(out, i === 0 ? 'iban/electronic' : 'iban/grouped', text, written);
    }
  }
}

function ipv4s(g: Gen, out: LabeledSample[], n: number): void {
  const nets = ['192.0.2.', '198.51.100.', '203.0.113.'];
  for (let i = 0; i < n; i++) {
    const ip = g.pick(nets) + String(g.int(1, 254));
    const ip2 = g.pick(nets) + String(g.int(1, 254));
    add(out, 'ipv4/log', g.pick([
      `${ip} - - [06/Dec/2026:09:12:01 +0000] "GET /index.html HTTP/1.1" 200 5120`,
      `client_ip=${ip} method=POST path=/login status=401`,
      `Failed password for invalid user admin from ${ip} port ${g.int(1024, 65535)} ssh2`,
      `{"remote_addr":"${ip}","ua":"curl/8.4.0"}`,
    ]), ip);
    add(out, 'ipv4/forwarded', `X-Forwarded-For: ${ip}, ${ip2}`, ip);
    add(out, 'ipv4/with-port', g.pick([`connect ECONNREFUSED ${ip}:${g.int(1024, 65535)}`, `dial tcp ${ip}:5432: i/o timeout`, `upstream: "http://${ip}:8080/api"`]), ip);
  }
}

function ipv6s(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    const h = () => g.hex(g.int(1, 4)).replace(/^0+(?=.)/, '');
    const forms = [
      `2001:db8:${h()}:${h()}::${h()}`,
      `2001:0db8:${g.hex(4)}:${g.hex(4)}:${g.hex(4)}:${g.hex(4)}:${g.hex(4)}:${g.hex(4)}`,
      `2001:db8::${h()}:${h()}`,
      `::ffff:192.0.2.${g.int(1, 254)}`,
      `2001:db8:${h()}::192.0.2.${g.int(1, 254)}`,
      `fe80::${h()}:${h()}:${h()}:${h()}%eth0`,
      `2001:DB8:${h().toUpperCase()}::${h().toUpperCase()}`,
    ];
    const ip = g.pick(forms);
    add(out, 'ipv6/address', g.pick([
      `client_ip=${ip} status=200`,
      `connect ECONNREFUSED ${ip}`,
      `GET http://[${ip.replace('%', '%25')}]:8080/healthz`,
      `{"peer.address":"${ip}"}`,
      `Accepted publickey for deploy from ${ip} port 52144 ssh2`,
    ]), ip);
  }
}

function jwts(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    const header = b64url(JSON.stringify({ alg: g.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT', ...(g.bool() ? { kid: g.hex(8) } : {}) }));
    const payload = b64url(JSON.stringify({ sub: String(g.int(1, 99999)), iat: 1790000000 + g.int(0, 9999999), scope: 'read write' }));
    const sig = g.str(B64URL, g.pick([43, 86, 342]));
    const jwt = `${header}.${payload}.${sig}`;
    add(out, 'jwt/token', g.pick([
      `Authorization: Bearer ${jwt}`,
      `GET /callback#access_token=${jwt}&token_type=Bearer`,
      `{"id_token":"${jwt}"}`,
      `jwt verification failed: TokenExpiredError for ${jwt}`,
      `cookie: session=${jwt}; path=/`,
    ]), jwt);
  }
}

function cloudTokens(g: Gen, out: LabeledSample[], n: number): void {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  for (let i = 0; i < n; i++) {
    const akid = g.pick(['AKIA', 'ASIA']) + g.str(B32, 16);
    add(out, 'aws/access-key-id', g.pick([
      `export AWS_ACCESS_KEY_ID=${akid}`,
      `The security token included in the request is invalid. (AccessKeyId: ${akid})`,
      `Credential=${akid}/20261206/us-east-1/s3/aws4_request, SignedHeaders=host`,
      `{"accessKeyId":"${akid}"}`,
    ]), akid);
    const secret = g.str(ALNUM + '/+', 40);
    add(out, 'aws/secret-key', g.pick([`aws_secret_access_key = ${secret}`, `AWS_SECRET_ACCESS_KEY=${secret}`, `{"secretAccessKey":"${secret}"}`]), secret);
    const gcpKey = 'AIza' + g.str(B64URL, 35);
    add(out, 'gcp/api-key', g.pick([`GET https://maps.example.com/api/geocode/json?address=x&key=${gcpKey}`, `GOOGLE_API_KEY=${gcpKey}`, `{"apiKey":"${gcpKey}"}`]), gcpKey);
    const ya29 = 'ya29.' + g.str(B64URL, g.int(120, 180));
    add(out, 'gcp/oauth-access-token', g.pick([`Authorization: Bearer ${ya29}`, `{"access_token":"${ya29}","expires_in":3599}`, `refreshing credentials, old token ${ya29}`]), ya29);
    const gocspx = 'GOCSPX-' + g.str(B64URL, 28);
    add(out, 'gcp/oauth-client-secret', g.pick([`{"client_secret":"${gocspx}"}`, `GOOGLE_CLIENT_SECRET=${gocspx}`, `oauth config loaded secret ${gocspx}`]), gocspx);
    const gh = g.pick(['ghp_', 'gho_', 'ghs_', 'ghu_']) + g.str(ALNUM, 36);
    const ghpat = 'github_pat_11' + g.str(UPPER + DIGITS, 20) + '_' + g.str(ALNUM, 59);
    const ghTok = g.pick([gh, ghpat]);
    add(out, 'github/token', g.pick([
      `remote: Invalid username or token. https://x-access-token:${ghTok}@github.com/org/repo.git`,
      `GITHUB_TOKEN=${ghTok}`,
      `Authorization: token ${ghTok}`,
      `git clone https://${ghTok}@github.com/example/repo.git failed`,
    ]), ghTok);
    const slack = g.pick(['xoxb-', 'xoxp-', 'xoxa-2-']) + `${g.digits(12)}-${g.digits(13)}-${g.str(ALNUM, 24)}`;
    add(out, 'slack/token', g.pick([`SLACK_BOT_TOKEN=${slack}`, `slack api error invalid_auth token=${slack}`, `{"token":"${slack}"}`]), slack);
    const hook = `https://hooks.slack.com/services/T${g.str(UPPER + DIGITS, 8)}/B${g.str(UPPER + DIGITS, 10)}/${g.str(ALNUM, 24)}`;
    add(out, 'slack/webhook-url', g.pick([`POST ${hook} -> 404 no_service`, `{"webhook":"${hook}"}`, `alert sink: ${hook}`]), hook.slice(hook.lastIndexOf('/') + 1));
    const stripe = g.pick(['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_']) + g.str(ALNUM, g.pick([24, 99]));
    add(out, 'stripe/secret-key', g.pick([`STRIPE_SECRET_KEY=${stripe}`, `Stripe: Invalid API Key provided: ${stripe}`, `curl https://api.stripe.com/v1/charges -u ${stripe}:`]), stripe);
    const whsec = 'whsec_' + g.str(ALNUM, 32);
    add(out, 'stripe/webhook-secret', g.pick([`STRIPE_WEBHOOK_SECRET=${whsec}`, `webhook signature check with ${whsec} failed`, `{"endpoint_secret":"${whsec}"}`]), whsec);
    const azure = `DefaultEndpointsProtocol=https;AccountName=examplestore${i};AccountKey=${g.str(ALNUM + '+/', 86)}==;EndpointSuffix=core.windows.net`;
    add(out, 'azure/storage-connection-string', azure, azure.slice(azure.indexOf('AccountKey=') + 11, azure.indexOf(';EndpointSuffix')));
    const sas = `https://examplestore.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-31T00:00:00Z&sig=${encodeURIComponent(g.str(ALNUM + '+/', 43) + '=')}`;
    add(out, 'azure/sas-url', `download failed: ${sas}`, sas.slice(sas.indexOf('sig=') + 4));
  }
}

function authHeaders(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    const opaque = g.str(ALNUM, g.int(24, 40));
    add(out, 'auth/bearer-opaque', g.pick([`Authorization: Bearer ${opaque}`, `authorization=Bearer ${opaque}`, `{"headers":{"Authorization":"Bearer ${opaque}"}}`, `curl -H "Authorization: Bearer ${opaque}" https://api.example.com/v1/me`]), opaque);
    const cred = Buffer.from(`${g.pick(FIRST)}:${g.str(ALNUM, 12)}`).toString('base64');
    add(out, 'auth/basic', g.pick([`Authorization: Basic ${cred}`, `{"authorization":"Basic ${cred}"}`, `proxy-authorization: Basic ${cred}`]), cred);
    const apiKey = g.str(HEX, 32);
    add(out, 'auth/api-key-header', g.pick([`X-API-Key: ${apiKey}`, `x-api-key=${apiKey}`, `{"apiKey":"${apiKey}"}`, `api_key: ${apiKey}`]), apiKey);
  }
}

function privateKeys(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    const kind = g.pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
    const bodyLines: string[] = [];
    const first = kind === 'OPENSSH PRIVATE KEY' ? 'b3BlbnNzaC1rZXktdjEAAAAA' : kind === 'EC PRIVATE KEY' ? 'MHcCAQEEI' : 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    bodyLines.push(first + g.str(ALNUM + '+/', 64 - first.length));
    for (let k = 0; k < 4; k++) bodyLines.push(g.str(ALNUM + '+/', 64));
    const nl = g.pick(['\n', '\\n']);
    const pem = `-----BEGIN ${kind}-----${nl}${bodyLines.join(nl)}${nl}-----END ${kind}-----`;
    add(out, 'private-key/pem', g.pick([`${pem}`, `{"type":"service_account","private_key":"${pem.replace(/\n/g, '\\n')}"}`, `TLS_KEY=${pem}`]), bodyLines[2]!);
  }
}

function connectionStrings(g: Gen, out: LabeledSample[], n: number): void {
  for (let i = 0; i < n; i++) {
    const pw = g.pick([g.str(ALNUM, 14), `${g.pick(['Summer', 'Winter', 'Hunter'])}${g.int(2000, 2026)}!`, g.str(ALNUM, 8) + '#' + g.str(ALNUM, 4)]);
    const user = g.pick(['app', 'svc_orders', 'admin', 'readonly']);
    const host = g.pick(['db.internal.example.com', 'pg-primary.example.net', 'cache.example.org']);
    add(out, 'conn/url-password', g.pick([
      `postgres://${user}:${pw}@${host}:5432/orders?sslmode=require`,
      `mysql://${user}:${pw}@${host}/shop`,
      `mongodb+srv://${user}:${pw}@cluster0.example.net/test?retryWrites=true`,
      `amqp://${user}:${pw}@${host}:5672/vhost`,
      `redis://:${pw}@${host}:6379/0`,
      `https://${user}:${pw}@registry.example.com/v2/`,
    ]), pw);
    add(out, 'conn/kv-password', g.pick([
      `Server=${host};Database=Orders;User Id=${user};Password=${pw};Encrypt=True;`,
      `jdbc:postgresql://${host}:5432/orders?user=${user}&password=${pw}&ssl=true`,
      `host=${host} port=5432 dbname=orders user=${user} password=${pw} sslmode=verify-full`,
      `Data Source=${host};Initial Catalog=db;User ID=${user};Pwd=${pw}`,
      `mysql -h ${host} -u ${user} --password=${pw} shop`,
    ]), pw);
    add(out, 'conn/password-field', g.pick([
      `{"username":"${user}","password":"${pw}"}`,
      `login failed: user=${user} password=${pw}`,
      `DB_PASSWORD=${pw}`,
      `<password>${pw}</password>`,
    ]), pw);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Negatives

function uuid(g: Gen): string {
  const h = g.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${g.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
}

function negatives(g: Gen, out: LabeledSample[], n: number): void {
  const svc = () => g.pick(SERVICES);
  for (let i = 0; i < n; i++) {
    neg(out, 'neg/uuid', g.pick([`request_id=${uuid(g)}`, `{"orderId":"${uuid(g)}"}`, `GET /api/v1/orders/${uuid(g)}/items`, `entity ${uuid(g).toUpperCase()} not found`]));
    const trace = g.hex(32);
    const span = g.hex(16);
    neg(out, 'neg/trace-ids', g.pick([`traceparent: 00-${trace}-${span}-01`, `trace_id=${trace} span_id=${span}`, `{"traceId":"${trace}","spanId":"${span}"}`, `X-B3-TraceId: ${g.hex(16)}`]));
    neg(out, 'neg/git-sha', g.pick([`commit ${g.hex(40)}`, `deployed rev ${g.hex(7)} (${g.hex(40)})`, `Merge ${g.hex(12)} into main`, `build sha256:${g.hex(64)}`]));
    const major = g.int(0, 30);
    neg(out, 'neg/semver', g.pick([
      `${svc()}@${major}.${g.int(0, 40)}.${g.int(0, 200)}`,
      `version ${major}.${g.int(0, 40)}.${g.int(0, 200)}-rc.${g.int(1, 9)}+build.${g.int(1000, 99999)}`,
      `v${major}.${g.int(0, 9)}.${g.int(0, 9)}+${20260101 + g.int(0, 300)}.${g.hex(7)}`,
      `otel.scope.version=${g.int(1, 2)}.${g.int(0, 60)}.${g.int(0, 9)}`,
      `Windows NT 10.0.${g.int(17000, 22631)}.${g.int(100, 4000)}`,
      `kernel 6.${g.int(1, 12)}.${g.int(0, 80)}-${g.int(1, 200)}-generic`,
    ]));
    const d = new Date(Date.UTC(2024 + g.int(0, 2), g.int(0, 11), g.int(1, 28), g.int(0, 23), g.int(0, 59), g.int(0, 59), g.int(0, 999)));
    neg(out, 'neg/timestamps', g.pick([
      d.toISOString(),
      `ts=${d.getTime()}`,
      `epoch_s=${Math.floor(d.getTime() / 1000)}`,
      `${d.toUTCString()}`,
      `${d.toISOString().replace('T', ' ').replace('Z', '')} INFO started`,
      `time_unix_nano=${d.getTime()}${g.digits(6)}`,
      `retry after PT${g.int(1, 23)}H${g.int(1, 59)}M${g.int(1, 59)}S`,
      `date=${d.toISOString().slice(0, 10)}`,
    ]));
    neg(out, 'neg/durations-sizes', g.pick([
      `request completed in ${g.int(1, 9999)}ms`,
      `duration=${g.int(0, 99)}.${g.digits(6)}s`,
      `heap_used=${g.int(1, 4096)}MiB rss=${g.int(100, 2000000000)} bytes`,
      `uploaded ${g.int(1, 999)}.${g.int(0, 9)} GB in ${g.int(1, 59)}m${g.int(1, 59)}s`,
      `latency p50=${g.int(1, 99)}.${g.int(0, 9)}ms p99=${g.int(100, 999)}.${g.int(0, 9)}ms`,
      `gc pause ${g.int(1, 999)}µs`,
    ]));
    const pod = `${svc()}-${g.str('bcdfghjklmnpqrstvwxz2456789', 10)}-${g.str('bcdfghjklmnpqrstvwxz2456789', 5)}`;
    neg(out, 'neg/k8s-container', g.pick([
      `k8s.pod.name=${pod}`,
      `container_id=${g.hex(64)}`,
      `docker://${g.hex(64)}`,
      `Started container ${svc()} in pod ${pod}_default(${uuid(g)})`,
      `node ip-10-0-${g.int(0, 255)}-${g.int(0, 255)}.ec2.internal`.replace(/ip-10-0-\d+-\d+/, `gke-prod-pool-${g.hex(8)}-${g.str('abcdefghijklmnopqrstuvwxyz', 4)}`),
      `image: registry.example.com/${svc()}:${g.int(1, 9)}.${g.int(0, 20)}.${g.int(0, 9)}@sha256:${g.hex(64)}`,
    ]));
    neg(out, 'neg/ports-hosts', g.pick([
      `listening on 0.0.0.0:${g.int(1024, 65535)}`,
      `server.address=${svc()}.svc.cluster.local server.port=${g.int(1024, 65535)}`,
      `upstream ${svc()}-${g.int(1, 9)}.prod.example.com:${g.pick([443, 8443, 9090])}`,
      `net.peer.name=api.example.com net.peer.port=443`,
      `localhost:${g.int(3000, 9999)}`,
      `127.0.0.1:${g.int(1024, 65535)}`,
    ]));
    neg(out, 'neg/user-agents', g.pick([
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${g.int(100, 131)}.0.${g.int(4000, 6999)}.${g.int(10, 250)} Safari/537.36`,
      `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${g.int(0, 6)}_${g.int(0, 3)} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${g.int(0, 6)} Mobile/15E148 Safari/604.1`,
      `okhttp/4.${g.int(9, 12)}.${g.int(0, 3)}`,
      `Go-http-client/2.0`,
      `aws-sdk-java/2.${g.int(20, 29)}.${g.int(0, 99)} Linux/5.10.${g.int(100, 230)}-${g.int(100, 250)}.${g.int(500, 999)}.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.${g.int(1, 12)}+${g.int(1, 12)}-LTS`,
      `Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.${g.int(200000, 240000)}.${g.int(1, 9).toString().padStart(3, '0')})`,
    ]));
    neg(out, 'neg/paths-frames', g.pick([
      `at com.example.${svc()}.OrderService.place(OrderService.java:${g.int(10, 999)})`,
      `    at processTicksAndRejections (node:internal/process/task_queues:${g.int(50, 99)}:${g.int(1, 9)})`,
      `File "/usr/lib/python3.${g.int(8, 12)}/site-packages/${svc()}/views.py", line ${g.int(1, 999)}, in handle`,
      `C:\\Program Files\\Example\\${svc()}\\bin\\app-${g.int(1, 9)}.${g.int(0, 9)}.dll`,
      `/var/log/${svc()}/app-2026-11-${String(g.int(1, 28)).padStart(2, '0')}.log.gz`,
      `GET /api/v2/${svc()}/${g.int(1, 9999999)}/items?limit=50&offset=${g.int(0, 1000)}`,
    ]));
    neg(out, 'neg/error-codes', g.pick([
      `ORA-${String(g.int(1, 99999)).padStart(5, '0')}: table or view does not exist`,
      `SQLSTATE[${g.pick(['23505', '40001', '42P01', '08006'])}]`,
      `HRESULT 0x${g.hex(8).toUpperCase()}`,
      `errno=-${g.int(1, 130)} ECONNRESET`,
      `HTTP/1.1 ${g.pick([400, 401, 403, 404, 429, 500, 502, 503, 504])} ${g.pick(['Bad Gateway', 'Not Found', 'Too Many Requests'])}`,
      `grpc status=${g.int(0, 16)} code=UNAVAILABLE`,
      `exit code ${g.int(1, 255)}, signal SIGKILL`,
    ]));
    neg(out, 'neg/base64-nonsecret', g.pick([
      `payload=${Buffer.from(JSON.stringify({ page: g.int(1, 99), sort: 'created_at', dir: 'desc' })).toString('base64')}`,
      `cursor=${b64url(`offset:${g.int(1, 99999)}`)}`,
      `etag: "${Buffer.from(g.hex(16), 'hex').toString('base64')}"`,
      `Content-MD5: ${Buffer.from(g.hex(32), 'hex').toString('base64')}`,
      `continuation_token=${b64url(JSON.stringify({ shard: g.int(0, 63), pos: g.int(0, 1e9) }))}`,
    ]));
    neg(out, 'neg/money-percent', g.pick([
      `total=$${g.int(1, 99)},${g.int(100, 999)}.${g.int(10, 99)}`,
      `amount: ${g.int(1, 99999)}.${g.int(10, 99)} EUR`,
      `cpu=${g.int(0, 100)}.${g.int(0, 99)}% mem=${g.int(0, 100)}%`,
      `discount ${g.int(1, 90)}% applied, price €${g.int(1, 999)},${g.int(10, 99)}`,
      `error_rate=0.${g.digits(4)}`,
      `ratio ${g.int(0, 1)}.${g.digits(3)}`,
    ]));
    neg(out, 'neg/coordinates', g.pick([
      `lat=${g.int(-89, 89)}.${g.digits(4)} lon=${g.int(-179, 179)}.${g.digits(4)}`,
      `{"location":{"lat":${g.int(-89, 89)}.${g.digits(6)},"lng":${g.int(-179, 179)}.${g.digits(6)}}}`,
      `POINT(${g.int(-179, 179)}.${g.digits(5)} ${g.int(-89, 89)}.${g.digits(5)})`,
      `geohash=${g.str('0123456789bcdefghjkmnpqrstuvwxyz', 9)}`,
    ]));
    neg(out, 'neg/metrics', g.pick([
      `http_server_duration_bucket{le="0.25",route="/api/orders"} ${g.int(0, 999999)}`,
      `process_cpu_seconds_total ${g.int(0, 99999)}.${g.int(0, 99)}`,
      `kafka offset=${g.int(0, 999999999)} partition=${g.int(0, 63)} lag=${g.int(0, 9999)}`,
      `queue depth ${g.int(0, 99999)}, consumers ${g.int(1, 64)}`,
      `jvm.memory.used{area=heap} ${g.int(1000000, 4000000000)}`,
      `count=${g.int(1, 9999999999)} sum=${g.int(1, 99999)}.${g.digits(3)}`,
    ]));
    neg(out, 'neg/business-ids', g.pick([
      `order #${g.int(10000000, 99999999)} shipped`,
      `invoice INV-${g.int(2024, 2026)}-${String(g.int(1, 999999)).padStart(6, '0')}`,
      `ticket JIRA-${g.int(1, 99999)}`,
      `customer cus_${g.str(ALNUM, 14)}`,
      `stripe charge ch_${g.str(ALNUM, 24)} succeeded`,
      `arn:aws:iam::${g.digits(12)}:role/${svc()}-task`,
      `arn:aws:lambda:us-east-1:${g.digits(12)}:function:${svc()}`,
      `snowflake ${g.int(1, 9)}${g.digits(17)}`,
      `AWS RequestId: ${uuid(g)}`,
      `x-amz-request-id: ${g.str(UPPER + DIGITS, 16)}`,
      `sku=${g.str(UPPER, 3)}-${g.int(1000, 9999)}-${g.str(UPPER, 2)}`,
    ]));
    neg(out, 'neg/prose-lookalikes', g.pick([
      `password reset email sent`,
      `token refresh scheduled in 300s`,
      `Bearer token expired, re-authenticating`,
      `user not found`,
      `Authorization header missing`,
      `secret rotation completed for ${svc()}`,
      `api_key: <redacted>`,
      `password: ********`,
      `mailto link rendered for template welcome_v${g.int(1, 9)}`,
      `phone verification step ${g.int(1, 3)} of 3`,
    ]));
    neg(out, 'neg/mac-hex', g.pick([
      `mac=${Array.from({ length: 6 }, () => g.hex(2)).join(':')}`,
      `color #${g.hex(6)}`,
      `checksum crc32=${g.hex(8)}`,
      `md5=${g.hex(32)}`,
      `fingerprint SHA256:${b64url(g.hex(20)).slice(0, 43)}`,
      `X-Request-ID: ${g.hex(16)}`,
    ]));
  }
}

/** The labeled set: a fixed seed, fixed counts (same samples every run). */
export function labeledSet(seed = 20261206): LabeledSample[] {
  const g = new Gen(seed);
  const out: LabeledSample[] = [];
  emails(g, out, 12);
  phones(g, out, 3);
  cards(g, out, 10);
  ssns(g, out, 15);
  ibans(g, out);
  ipv4s(g, out, 15);
  ipv6s(g, out, 30);
  jwts(g, out, 25);
  cloudTokens(g, out, 12);
  authHeaders(g, out, 15);
  privateKeys(g, out, 15);
  connectionStrings(g, out, 15);
  negatives(g, out, 40);
  return out;
}
