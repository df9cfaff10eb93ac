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
