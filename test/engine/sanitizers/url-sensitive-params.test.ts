import { describe, expect, it } from 'vitest';
import { createUrlSanitizer, paramByMeaning } from '../../../engine/sanitizers/url-sanitizer';
import { definePolicy, privacyInstrumentationConfig } from '../../../index';

/**
 * Every parameter name the URL sanitizer documents as always redacted (docs/detectors.md, the semantic conventions'
 * signed-URL parameters and the credential and personal fields), written here as its own list: its value is
 * redacted in `denylist` mode (where other values are kept) and also when `params.keep` names it, in every naming
 * style (`first_name`, `firstName`, `first-name`, `FIRST_NAME`, percent-encoded `first%5Fname`).
 */
const SIGNED_URL = [
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
];
const CREDENTIALS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'session_token',
  'jwt',
  'api_key',
  'x-api-key',
  'apikey',
  'access_key',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'otp',
  'pin',
  'cvv',
  'cvc',
  'authorization',
  'sessionid',
  'session_id',
  'jsessionid',
  'phpsessid',
  'sid',
];
const PERSONAL = [
  'name',
  'first_name',
  'last_name',
  'full_name',
  'given_name',
  'family_name',
  'middle_name',
  'surname',
  'username',
  'user_name',
  'display_name',
  'nickname',
  'login',
  'email',
  'e-mail',
  'mail',
  'email_address',
  'phone',
  'phone_number',
  'mobile',
  'tel',
  'telephone',
  'fax',
  'address',
  'street',
  'street_address',
  'address_line1',
  'address_line2',
  'zip',
  'zipcode',
  'postcode',
  'postal_code',
  'dob',
  'birthdate',
  'birth_date',
  'date_of_birth',
  'birthday',
  'ssn',
  'social_security_number',
  'national_id',
  'passport',
  'iban',
  'card_number',
  'cc_number',
];
/** Words that make any name holding them sensitive. */
const WORDS = [
  'token',
  'password',
  'passwd',
  'secret',
  'apikey',
  'accesskey',
  'privatekey',
  'credential',
  'signature',
  'sessionid',
  'email',
  'phone',
  'address',
  'birth',
];

const styles = (name: string): string[] => {
  const parts = name.split(/[_-]/);
  const camel =
    parts[0] +
    parts
      .slice(1)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('');
  return [name, camel, parts.join('-'), name.toUpperCase(), name.replace(/_/g, '%5F')];
};

const denylist = createUrlSanitizer({ paramsMode: 'denylist' });

describe('URL sanitizer: every documented sensitive parameter name', () => {
  it.each([...SIGNED_URL, ...CREDENTIALS, ...PERSONAL].map((n) => [n]))(
    '%s is redacted in every naming style',
    (name) => {
      const keepIt = createUrlSanitizer({ keepParams: [name] });
      for (const shown of styles(name)) {
        expect(denylist(`https://a.example/p?${shown}=jane4711&page=2`), shown).toBe(
          `https://a.example/p?${shown}=REDACTED&page=2`,
        );
        expect(keepIt(`/p?${shown}=jane4711`), shown).toBe(`/p?${shown}=REDACTED`);
      }
    },
  );

  it.each(WORDS.map((w) => [w]))('any name holding %s is redacted', (word) => {
    for (const shown of [`x_${word}_v2`, `my${word.toUpperCase()}`, `${word}s`]) {
      expect(denylist(`/p?${shown}=jane4711&page=2`), shown).toBe(`/p?${shown}=REDACTED&page=2`);
    }
  });

  it('names are compared without . , a blank written + and brackets, percent-decoded', () => {
    for (const shown of [
      'first.name',
      'first+name',
      'first[name]',
      '[first]name',
      'First.Name',
      'd.o.b',
      'zip+code',
      'e%2Dmail',
      'z%69p',
    ]) {
      expect(denylist(`/p?${shown}=jane4711&page=2`), shown).toBe(`/p?${shown}=REDACTED&page=2`);
    }
    // other punctuation is part of the name
    for (const shown of ['first*name', 'first!name', 'd/o/b'.replace(/\//g, '%2F'), 'zip~code']) {
      expect(denylist(`/p?${shown}=blue`), shown).toBe(`/p?${shown}=blue`);
    }
  });

  it('the near names are kept in denylist mode', () => {
    for (const shown of ['names', 'nam', 'pages', 'tokn', 'sigma', 'pins', 'zip_it', 'x_mail', 'login_hint', 'tele']) {
      expect(denylist(`/p?${shown}=blue`), shown).toBe(`/p?${shown}=blue`);
    }
  });

  it('every listed name, as written and in camelCase, is in the instrumentation config the HTTP instrumentation redacts by', () => {
    // The instrumentation compares names exactly: the sanitizer's naming-style rule does not help there.
    const http = privacyInstrumentationConfig(definePolicy({ version: 1 }))['@opentelemetry/instrumentation-http'];
    const names = new Set(http.redactedQueryParams as string[]);
    for (const name of [...SIGNED_URL, ...CREDENTIALS, ...PERSONAL]) {
      expect(names.has(name), name).toBe(true);
      const camel = name.replace(/[_-]+([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
      expect(names.has(camel), camel).toBe(true);
    }
    expect(http.redactedQueryParamsServer).toEqual(http.redactedQueryParams);
  });

  it('paramByMeaning: the naming-style-free form its doc comment states', () => {
    expect(paramByMeaning('user[email]')).toBe('useremail');
    expect(paramByMeaning('First_Name')).toBe('firstname');
    expect(paramByMeaning('e+mail')).toBe('email');
    expect(paramByMeaning('x%2Dapi.key')).toBe('xapikey');
    expect(paramByMeaning('')).toBe('');
  });
});
