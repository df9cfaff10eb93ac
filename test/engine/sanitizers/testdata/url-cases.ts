/**
 * Hand-labeled URL sanitizer cases, written from docs/policy.md ("URL sanitizer": path segments that read as values,
 * parameters, `maxSegments`) and the sanitizer's comments, not from its output. Each threshold at its edge and the
 * nearest case on the other side; `options`: `default` (allowlist, nothing kept) or `keepPage` (`params.keep: [page]`).
 */
export interface UrlCase {
  readonly rule: string;
  readonly input: string;
  readonly expected: string;
  readonly options?: 'default' | 'keepPage';
}

/** A path segment between two route words: `/a/${segment}/b`. */
const seg = (rule: string, segment: string, id: boolean): UrlCase => ({
  rule: `segment ${rule}`,
  input: `/a/${segment}/b`,
  expected: `/a/${id ? '{id}' : segment}/b`,
});

export const URL_CASES: readonly UrlCase[] = [
  // Digits: an integer; three digits; two not right after a letter.
  seg('one digit alone is an integer', '7', true),
  seg('one digit after a letter', 'v1', false),
  seg('two digits after a letter', 'v10', false),
  seg('three digits after a letter', 'v100', true),
  seg('two digits after a separator', 'x-42', true),
  seg('one digit after a separator', 'x-4', false),
  seg('two digits first', '42abc', true),
  seg('two digits apart, each after a letter', 'a1b2', false),
  seg('three digits apart', 'a1b2c3', true),
  // Hex strings of 12 or more with a digit.
  seg('hex of 12 with a digit', 'deadbeefca12', true),
  seg('hex of 11 with a digit', 'deadbeefc12', false),
  seg('hex of 12 without a digit', 'deadbeefcafe', false),
  seg('upper-case hex of 12 with a digit', 'DEADBEEFCA12', true),
  seg('12 with a digit, not hex', 'deadbeefcag2', false),
  seg('12 with a digit, not hex (upper case)', 'DEADBEEFCAG2', false),
  seg('hex words joined by - are no hex string', 'deadbeef-ca12', false),
  seg('hex words joined by . are no hex string', 'deadbeef.ca12', false),
  // 16 characters or more with a digit and both letter cases.
  seg('16, a digit, both cases', 'abcdefghijKLMN1p', true),
  seg('15, a digit, both cases', 'abcdefghiKLMN1p', false),
  seg('16, both cases, no digit', 'abcdefghijKLMNop', false),
  seg('16, a digit, one case', 'abcdefghijklmn1p', false),
  seg('16, a digit, upper case only', 'ABCDEFGHIJKLMN1P', false),
  seg('16, a digit, both cases, the only capital Z', 'abcdefghijklmZ1p', true),
  seg('16, a digit, both cases, the only small letter z', 'ABCDEFGHIJKLMNz1', true),
  seg('16, a digit, upper case and ~ (no small letter)', 'ABCDEFGHIJKLMN1~', false),
  seg('16, a digit, lower case and - (no capital)', 'abcdefg-hijklmn1', false),
  // UUIDs, also without a decimal digit.
  seg('UUID without a digit', 'abcdefab-abcd-abcd-abcd-abcdefabcdef', true),
  seg('UUID shape with a non-hex letter', 'abcdefab-abcd-abcd-abcd-abcdefabcdeg', false),
  // Length.
  seg('of 100 letters', 'x'.repeat(100), false),
  seg('of 101 letters', 'x'.repeat(101), true),
  // Characters.
  seg('with @', 'a@b', true),
  seg('with a backslash', 'a\\b', true),
  seg('with "', 'a"b', true),
  seg('with <', 'a<b', true),
  seg('with >', 'a>b', true),
  seg('with ^', 'a^b', true),
  seg('with `', 'a`b', true),
  seg('with |', 'a|b', true),
  seg('with ~ (printable ASCII)', 'a~b', false),
  seg('with an encoded space', 'red%20shoes', true),
  seg('with an encoded !', 'a%21b', false),
  seg('with an encoded DEL', 'a%7Fb', true),
  seg('with an encoded unit separator', 'a%1Fb', true),
  seg('with a non-ASCII letter', 'caf\u00e9', true),
  seg('empty', '', false),
  // An identifier keeps its file extension of one to five letters or digits.
  { rule: 'extension of 5', input: '/files/4711.abcde', expected: '/files/{id}.abcde' },
  { rule: 'extension of 6', input: '/files/4711.abcdef', expected: '/files/{id}' },
  { rule: 'extension after a word is no id', input: '/files/report.pdf', expected: '/files/report.pdf' },
  // maxSegments (8).
  { rule: '8 segments kept', input: '/a/b/c/d/e/f/g/h', expected: '/a/b/c/d/e/f/g/h' },
  { rule: '9 segments: the ninth is the rest', input: '/a/b/c/d/e/f/g/h/i', expected: '/a/b/c/d/e/f/g/h/{rest}' },
  { rule: 'relative path of 9 segments', input: 'a/b/c/d/e/f/g/h/i', expected: 'a/b/c/d/e/f/g/h/{rest}' },
  // Parameters (allowlist by default).
  { rule: 'a value redacted', input: '/s?q=jane', expected: '/s?q=REDACTED' },
  { rule: 'a kept name', options: 'keepPage', input: '/s?page=2&q=jane', expected: '/s?page=2&q=REDACTED' },
  { rule: 'a kept name in any case and spelling', options: 'keepPage', input: '/s?Page=2&pa_ge=3&pages=4', expected: '/s?Page=2&pa_ge=3&pages=REDACTED' },
  { rule: 'a name reading as a value is redacted whole', input: '/s?jane-0001=1', expected: '/s?REDACTED' },
  { rule: 'a name with one digit stays', input: '/s?x-1=1', expected: '/s?x-1=REDACTED' },
  { rule: 'fragment route: path and query', input: '/app#/u/4711?s=x', expected: '/app#/u/{id}?s=REDACTED' },
  // Fragment parameters whose value holds a `?`: parameters, not a route (the `?` used to start the route's query).
  { rule: 'fragment parameters with a ? in a value', input: '/cb#access_token=abc?x', expected: '/cb#access_token=REDACTED?REDACTED' },
  { rule: 'fragment route with a matrix parameter', input: '/app#/u;v=1?s=x', expected: '/app#/u;v=REDACTED?s=REDACTED' },
  // The host ends at the first `/`, `?`, `#` or `\` (a URL may have no path).
  { rule: 'host ends at ?', input: 'https://shop.example?q=jane', expected: 'https://shop.example?q=REDACTED' },
  { rule: 'host ends at #', input: 'https://shop.example#jane', expected: 'https://shop.example#REDACTED' },
  { rule: 'host ends at a backslash', input: 'https://shop.example\\u\\4711', expected: 'https://shop.example{id}' },
  // A file extension after an id: not after an id holding `.` or `%` (an address's last part, an encoded domain).
  { rule: 'an IP address is no id with an extension', input: '/hosts/10.0.0.5', expected: '/hosts/{id}' },
  { rule: 'an encoded address keeps no domain', input: '/u/jane%40example.com', expected: '/u/{id}' },
  // IPv6 hosts with a zone (`%25` and 1 to 32 letters, digits, `.`, `_`, `~`, `-`).
  { rule: 'IPv6 zone kept', input: 'http://[fe80::1%25eth0]:8080/u/4711', expected: 'http://[fe80::1%25eth0]:8080/u/{id}' },
  { rule: 'IPv6 zone of 32', input: `http://[fe80::1%25${'z'.repeat(32)}]/`, expected: `http://[fe80::1%25${'z'.repeat(32)}]/` },
  { rule: 'IPv6 zone of 33', input: `http://[fe80::1%25${'z'.repeat(33)}]/`, expected: 'http://{id}/' },
  { rule: 'IPv6 zone with a space', input: 'http://[fe80::1%25et h]/', expected: 'http://{id}/' },
  { rule: 'IPv6 zone empty', input: 'http://[fe80::1%25]/', expected: 'http://{id}/' },
];

/** `[text, expected]` for URL-like words in free text. */
export const URL_TEXT_CASES: readonly (readonly [string, string])[] = [
  ['see (https://x.example/u/4711).', 'see (https://x.example/u/{id}).'],
  ['lookup q?x=1 done', 'lookup q?x=REDACTED done'],
  ['an = before the ? is no query: x=1?y', 'an = before the ? is no query: x=1?y'],
  ['a=b alone', 'a=b alone'],
  ['<"/users/4711">', '<"/users/{id}">'],
  ['only punctuation [/] stays', 'only punctuation [/] stays'],
];
