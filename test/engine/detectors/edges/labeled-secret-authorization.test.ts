import fc from 'fast-check';
import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';
import {
  AUTHORIZATION_NON_CREDENTIALS,
  fakeBase64,
  fakeHex,
  fakePassword,
  fakeToken,
  fakeUuid,
} from '../testdata/credential-labels';

// `labeled-secret` (docs/detectors.md): after an `Authorization` or `Proxy-Authorization` label the credential of any
// scheme but `Bearer`, `Basic` and `Token` (`bearer-token`'s): the token after the scheme word, a credential
// parameter's value (Digest's `response`, Hawk's `mac`, `key=`), a bare credential; API-key headers of vendors
// (`Ocp-Apim-Subscription-Key`, `x-functions-key`, `X-Honeycomb-Team`). And prose after a label judged on its part
// before a `,` (a CSV row), a percent-encoded blank ending a `Bearer` token (`Bearer%20token%20expired`).

const scan = edgeScanners(['labeled-secret']);
const bearer = edgeScanners(['bearer-token']);

/** A scheme and its credential, written with « » around what is masked. */
const credential = fc.oneof(
  fakeUuid.map((t) => `Splunk «${t}»`),
  fakeBase64.map((t) => `SharedKey acct01:«${t}»`),
  fakeBase64.map((t) => `SharedKeyLite acct01:«${t}»`),
  fakeToken.map((t) => `NTLM «TlRMTVNTUAAB${t}»`),
  fakeToken.map((t) => `Negotiate «YIIG${t}»`),
  fakeToken.map((t) => `SSWS «00${t}»`),
  fakeUuid.map((t) => `GenieKey «${t}»`),
  fakeToken.map((t) => `ApiKey «${t}»`),
  fakeToken.map((t) => `key=«AAAA${t}:APA91b${t}»`),
  fc
    .tuple(fakeHex(32), fakeHex(32))
    .map(([n, r]) => `Digest username="app", realm="api", nonce="${n}", uri="/v1", response="«${r}»"`),
  fc
    .tuple(fakeToken, fakeBase64)
    .map(([n, m]) => `Hawk id="app", ts="1796000000", nonce="${n.slice(0, 6)}", mac="«${m}»"`),
  fakeToken.map((t) => `«${t}»`),
);

/** How a header is written: a header line, a JSON object (its quotes escaped), the OpenTelemetry attribute form. */
const SPELLINGS: readonly ((v: string) => string)[] = [
  (v) => `Authorization: ${v}`,
  (v) => `Proxy-Authorization: ${v}`,
  (v) => `{"headers":{"authorization":"${v.replaceAll('"', '\\"')}"}}`,
  (v) => `http.request.header.authorization=[${v}]`,
  // (last: a base64 credential's `=` before a CRLF reads as a quoted-printable soft break, joining the next line)
  (v) => `GET /v1 HTTP/1.1\r\nAccept: */*\r\nauthorization: ${v}`,
];

describe('labeled-secret: Authorization schemes other than Bearer, Basic and Token', () => {
  it('the credential after any scheme word (or a credential parameter, or bare) is masked, the rest as written', () => {
    fc.assert(
      fc.property(credential, fc.nat(SPELLINGS.length - 1), (marked, k) => scan.marked(SPELLINGS[k]!(marked))),
      { numRuns: 400 },
    );
  });

  it('vendor API-key headers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Ocp-Apim-Subscription-Key', 'x-functions-key', 'X-Honeycomb-Team', 'X-API-Key'),
        fc.oneof(fakeToken, fakeHex(32)),
        (name, value) => scan.marked(`${name}: «${value}»`),
      ),
      { numRuns: 100 },
    );
  });

  it('an Authorization header with no credential, or with parameters that are none, stays as written', () => {
    for (const text of [
      'Authorization: none provided',
      'Authorization: Required',
      'Authorization: Negotiate',
      'authorization: missing header',
      'Authorization: Digest nonce="a1b2c3d4e5f6a7b8", realm="api", qop="auth"',
      'Authorization: Bearer <token>',
      'Authorization: Basic',
      'authorization failed for user jane',
      'WWW-Authenticate: Negotiate',
      'authorization_url: https://example.com/oauth/authorize',
    ])
      scan.kept(text);
  });

  it('the name of a name/value pair, a call or tuple argument, a CSV cell, an XML element, a YAML value below', () => {
    const escape = (v: string) => v.replaceAll('"', '\\"');
    const PAIR_SPELLINGS: readonly ((v: string) => string)[] = [
      (v) => `{"name":"Authorization","value":"${escape(v)}"}`,
      (v) => `{"key":"Authorization","value":"${escape(v)}","type":"text"}`,
      (v) => `  - name: Authorization\n    value: ${v}`,
      (v) => `setHeader("Authorization", "${escape(v)}")`,
      (v) => `req.Header.Set("Authorization", "${escape(v)}")`,
      (v) => `headers.put("Authorization", "${escape(v)}");`,
      (v) => `[("authorization", "${escape(v)}")]`,
      (v) => `<Authorization>${v}</Authorization>`,
      (v) => `[authorization] ${v}`,
      (v) => `Authorization => ${v}`,
      (v) => `authorization:\n  ${v}`,
    ];
    fc.assert(
      fc.property(credential, fc.nat(PAIR_SPELLINGS.length - 1), (marked, k) =>
        scan.marked(PAIR_SPELLINGS[k]!(marked)),
      ),
      { numRuns: 400 },
    );
  });

  it('such writings with no credential stay as written', () => {
    for (const text of [
      '{"name":"Authorization","value":"none"}',
      '{"key":"Authorization","value":"{{apiKey}}"}',
      'setHeader("Authorization", token)',
      'headers.get("Authorization", "")',
      '<Authorization>required</Authorization>',
      '[authorization] denied for user jane',
      '"Authorization","none provided"',
      '[("authorization", "Negotiate")]',
      '  - name: Authorization\n    value: RoleBasedAccessControl',
      'authorization:\n  enabled: true',
    ])
      scan.kept(text);
  });

  it('a name, id, media type, timestamp or grant type right after the label stays as written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AUTHORIZATION_NON_CREDENTIALS),
        fc.constantFrom(
          (v: string) => `Authorization: ${v}`,
          (v: string) => `authorization: ${v}`,
          (v: string) => `authorization = "${v}"`,
          (v: string) => `{"authorization":"${v}"}`,
          (v: string) => `level=info authorization=${v} status=ok`,
        ),
        (value, spell) => scan.kept(spell(value)),
      ),
      { numRuns: 150 },
    );
  });

  it('bare credentials that look like those names are still masked', () => {
    for (const marked of [
      'Authorization: «Zq8vR2mXw7LpK4nT9sYb»',
      'Authorization: «a1B2/c3D4+e5F6g7H8==»',
      'authorization: «sk_test_Fake4eC39HqLyjWDa»',
      'Authorization: «XkqfLqZtMnBvWpRsTyUiOpAs»',
      '{"authorization":"«k8Hq2-Lm9Zt-x7Rw4-Pq2Vn»"}',
    ])
      scan.marked(marked);
  });
});

describe('labeled-secret and bearer-token: prose that reads like a value', () => {
  it('prose after a label is judged on its part before a comma (a CSV row) and stays', () => {
    for (const text of [
      '2026-12-07,password reset requested,ok,12',
      '2026-12-07;password reset requested;ok;12',
      'password changed successfully,200',
      'token refresh scheduled,ok,3',
    ])
      scan.kept(text);
  });

  it('a password in prose is still masked with what follows its comma', () => {
    fc.assert(
      fc.property(fakePassword, fc.constantFrom('', ',x', ',fake9'), (pw, tail) =>
        scan.marked(`your password is «${pw}${tail}»`),
      ),
      { numRuns: 100 },
    );
    scan.marked('2026-12-07,password reset to «Hunter2-Fake-9x,ok»');
  });

  it('a percent-encoded blank ends a Bearer token: prose stays, a token before it is masked', () => {
    for (const text of ['Bearer%20token%20expired', 'ref=Bearer%20token%20expired&page=2', 'Bearer%09token%09missing'])
      bearer.kept(text);
    for (const marked of [
      'Authorization: Bearer%20«abc123XYZdef»',
      'Bearer%20«abc%2Bdef1%3D%3D»',
      'Authorization=Bearer%20«AbCdEfGhIjKlMnOpQr»%20x',
      'authorization=Bearer%20«ghp_FAKE0123456789abcdefghijklmnopqrstu»',
    ])
      bearer.marked(marked);
  });
});
