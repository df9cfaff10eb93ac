import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): `pass` alone is a password label when it is a word of its own (`pass=`,
// `DB_PASS`, `smtpPass`), not the end of another word (`bypass`, `compass`), a test runner's verdict (`--- PASS:
// TestLogin`, `PASS: test_login`) or a test count (`pass=12`). Each case is the exact masked text through the value
// scanner, pre-filter on and off.

const scan = edgeScanners(['labeled-secret']);

describe('labeled-secret: the bare `pass` label', () => {
  it('a word of its own: the value is masked', () => {
    for (const text of ['pass=«hunter2-Fake»', 'DB_PASS=«hunter2-Fake»', 'smtpPass: «hunter2-Fake»', 'PASS=«hunter2»'])
      scan.marked(text);
  });

  it("a Go test's verdict after `--- `, whatever the test's name", () => {
    for (const text of [
      '--- PASS: ExampleHello (0.00s)',
      '    --- PASS: BenchmarkParse (1.20s)',
      '--- PASS: FuzzReverse (0.31s)',
      '--- PASS: TestLogin (0.00s)',
    ])
      scan.kept(text);
  });

  it("a runner's verdict before a test's name", () => {
    for (const text of ['PASS: test_login', 'PASS:\tTestLogin (0.01s)', 'PASS: testSignup']) scan.kept(text);
  });

  it('a verdict only in upper case before `:`: other writings are labels', () => {
    for (const text of [
      'pass: «test1234»', // a password that starts like a test's name
      'smtp_pass: «Testing-2024»',
      '- PASS=«hunter2-Fake»', // a YAML list of variables: `- ` before, no `:`
      'PASS: «hunter2-Fake»',
    ])
      scan.marked(text);
  });

  it('no value in prose after `pass` alone', () => {
    for (const text of ['all checks pass node-20 and node-22', 'tests pass v2-beta on ci']) scan.kept(text);
  });
});

describe('labeled-secret: a count after `pass` is no password', () => {
  it('digits, `/`, `.`, `,` and `%` only: a count or ratio', () => {
    for (const text of ['pass=12', 'pass: 120/120', 'pass=98.5%', 'PASS: 1,204']) scan.kept(text);
  });

  it('a value that only starts or ends with digits, or has none, is a password', () => {
    for (const text of ['DB_PASS=«hunter12»', 'pass=«12hunter»', 'pass=«hunter-Fake»', 'pass: «7-x9»'])
      scan.marked(text);
  });
});

describe('labeled-secret: label words of two, with or without a blank or separator', () => {
  it('each writing of the two-word labels', () => {
    for (const label of ['secret', 'api', 'private', 'access', 'account'])
      for (const sep of ['', '_', '-', ' ']) scan.marked(`${label}${sep}key: «Zx9Qw3Er7Ty1Ui5»`);
    for (const sep of ['', '_', '-', ' ']) scan.marked(`session${sep}id: «Zx9Qw3Er7Ty1Ui5»`);
    for (const text of ['Passwort=«Geheim-2024»', 'passphrase: «Geheim-2024»', 'passwd=«Geheim-2024»'])
      scan.marked(text);
  });
});
