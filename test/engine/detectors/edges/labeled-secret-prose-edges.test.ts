import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): the edges of a value introduced in prose or by a blank (`password is …`,
// `api key …`, `the password for jane is …`, `password -> …`): which labels take one (not `pass` alone, `sig` or
// `signature`), the connector words and arrows, and what looks like a credential after them. Each case is the exact
// masked text through the value scanner, pre-filter on and off.

const scan = edgeScanners(['labeled-secret']);

describe('labeled-secret: labels without a prose value', () => {
  it('`sig` and `signature` before a blank name the value, they do not disclose it', () => {
    for (const text of ['signature Zx9Qw3Er7Ty1Ui5 verified', 'sig Zx9Qw3Er7Ty1Ui5 ok', 'Signature is Zx9Qw3Er7Ty1Ui5'])
      scan.kept(text);
  });
});

describe('labeled-secret: the gap before a prose value', () => {
  it("a JSON-escaped tab is a gap, a Windows path's backslash is none", () => {
    scan.marked('{"msg":"password\\t«hunter2-Fake»"}');
    for (const text of ['D:\\certs\\token\\Renewal2024x.txt', 'C:\\vault\\api_key\\Zx9Qw3Er7Ty1Ui5.pem'])
      scan.kept(text);
  });
});

describe('labeled-secret: a quoted prose value on the next line', () => {
  it('after a connector or an arrow and a line break', () => {
    for (const text of [
      'Your temporary password is \n"«hunter2-Fake»"',
      'Your temporary password is \r\n  "«hunter2-Fake»"',
      'password -> \n"«hunter2-Fake»"',
    ])
      scan.marked(text);
    scan.kept('the password was \n"changed by admin"');
  });
});

describe('labeled-secret: arrows and dashes', () => {
  it('`->`, `-->`, `→`, `—` and `-` between blanks', () => {
    for (const text of [
      'password --> «hunter2-Fake»',
      'password-->«hunter2-Fake»',
      'password -> «hunter2-Fake»',
      'password → «hunter2-Fake»',
      'password ⇒ «hunter2-Fake»',
      'password ⟶ «hunter2-Fake»',
      'password ➔ «hunter2-Fake»',
      'password ➜ «hunter2-Fake»',
      'password – «hunter2-Fake»',
      'password — «hunter2-Fake»',
      'password ― «hunter2-Fake»',
      'password - «hunter2-Fake»',
    ])
      scan.marked(text);
    // a dash glued to the label is one; glued to the word after it, it starts the value
    scan.marked('password— «hunter2-Fake»');
    scan.marked('--password «-Hunter2-Fake»');
    for (const text of ['password-reset-2fa', 'password -- reset-2fa']) scan.kept(text);
  });
});

describe('labeled-secret: connector words', () => {
  it('a connector only as a word before a blank: a value may start like one', () => {
    for (const text of ['password: «Set-Me-2024»', 'password is «Now-Or-Never-7»', 'password = «To-Do-List-9»'])
      scan.marked(text);
  });

  it('other words end the connectors: the value is the word after the last one', () => {
    for (const text of ['password policy v2-strict applied', 'password reset link sent to jane-2fa']) scan.kept(text);
  });

  it('`-`, `.`, `_` and `/` are no symbols; other punctuation is', () => {
    for (const text of [
      'password is well-known',
      'password is e.g. this',
      'password is snake_case',
      'password is and/or',
      'the password is https://id.example.com/reset', // a URL: no value
    ])
      scan.kept(text);
    for (const text of ['password is «p@ss!word»', 'password is «P@SS»', 'password is «hunter#two»']) scan.marked(text);
  });

  it("lengths: 3 characters after a password word, 8 that look random after the others (a sentence's `?` not counted)", () => {
    for (const text of ['password is «a1b»', 'token is «A1b2C3d4»', 'is your token «A1b2C3d4?»']) scan.marked(text);
    for (const text of ['the password is v2!', 'is your token A1b2C3d?', 'the token is user@localhost'])
      scan.kept(text);
    // digits with other characters after a password word: a date, not six digits
    scan.kept('password is 2026-12-07');
  });

  it('letters past ASCII are letters, not symbols', () => {
    for (const text of ['Passwort ist ungültig', 'password is naïve', 'token is époustouflant']) scan.kept(text);
    // letters of another script with digits: a password
    scan.marked('password is «秘密2024»');
  });

  it("a sentence's `!` and `?` are not the value's symbols", () => {
    for (const text of ['Your password is ready!', 'password changed?', 'is the token valid??']) scan.kept(text);
    scan.marked('Your password is «Hunter2-Fake!»');
  });

  it('every connector after a separator, also those that are no state word', () => {
    for (const text of [
      'password: now «hunter2-Fake»',
      'password: as «hunter2-Fake»',
      'Passwort: ist «Geheim-2024»',
      'Passwort = lautet «Geheim-2024»',
      'api key: equals «Zx9Qw3Er7Ty1Ui5»',
      'password: becomes «hunter2-Fake»',
    ])
      scan.marked(text);
    for (const text of ['password: equals sign missing', 'token: becomes valid in 5 min', 'password = is required'])
      scan.kept(text);
  });
});

describe('labeled-secret: whose credential it is (`for …`)', () => {
  it('one or two words, then `is`, `was`, `:` or `=`, glued or after a blank', () => {
    for (const text of [
      'the password for db-admin= «hunter2-Fake»',
      'the password for jane: «hunter2-Fake»',
      'the password for db admin : «hunter2-Fake»',
      'the password for db admin = «hunter2-Fake»',
      'password for jane :«hunter2-Fake»',
      'password for jane =«hunter2-Fake»',
      'the password for db admin was «hunter2-Fake»',
    ])
      scan.marked(text);
  });

  it('no subject, or words that are no connector after it: nothing', () => {
    for (const text of [
      'x9-Reset password for \njane',
      'x9-Reset password for jane via sso',
      'reset password for jane via sso-2fa',
      'password for all users',
      'password for host Artemis db-01 rotated', // `is` only as a word of its own
      'password for jane issued 2fa-backup codes',
    ])
      scan.kept(text);
  });
});

describe('labeled-secret: placeholders and hex digits in prose', () => {
  it('a bracketed placeholder after a blank stays', () => {
    for (const text of [
      'client secret [REDACTED-api-token] rotated',
      'api key <REDACTED-KEY> set',
      'password (redacted)',
    ])
      scan.kept(text);
  });

  it('hex digits name a token only after a blank alone', () => {
    scan.kept('token 9944b09199c62bcf9418ad846dd0e4bb rotated');
    for (const text of [
      'password «5f4dcc3b5aa7»', // after a password word, a value
      'token is «9944b09199c62bcf9418ad846dd0e4bb»', // after a connector, a value
      'token "«9944b09199c62bcf9418ad846dd0e4bb»"', // quoted, a value
    ])
      scan.marked(text);
  });
});

describe('labeled-secret: separators of two and three characters', () => {
  it('`==`, `===` and `::=` before a value, quoted or not', () => {
    for (const text of [
      'password==«hunter2-Fake»',
      'password===«hunter2-Fake»',
      'password == «hunter2-Fake»',
      'password=="«hunter2-Fake»"',
      'token==«Zx9Qw3Er7Ty1Ui5»',
      'password::=«hunter2-Fake»',
      'password ::= "«hunter2-Fake»"',
    ])
      scan.marked(text);
  });
});

describe('labeled-secret: a value starting with a separator sign', () => {
  it("a quoted value's own `=` is the value's", () => {
    scan.marked('{"password":"«=Hunter2-Fake»"}');
    scan.marked("password: '«==Hunter2-Fake»'");
  });

  it("`::` alone is no separator (Haskell's type of a field)", () => {
    for (const text of ['data User = User { userName :: Text, password :: Text }', 'apiToken :: ByteString -> IO ()'])
      scan.kept(text);
  });
});
