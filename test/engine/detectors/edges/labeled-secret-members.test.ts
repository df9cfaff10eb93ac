import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): a value inside a JSON object, list or parentheses after a label (its first
// member's value: `"password":{"new":"…"}`, `api_key=["…"]`, `password=('…')`), a quoted label's JSON value across
// line breaks (`"password"\n:\n"…"`), and an unquoted value that goes on past `,` and `;` unless another pair
// follows (`password=ab;hunter2…`). Each case is the exact masked text through the value scanner, pre-filter on and
// off.

const scan = edgeScanners(['labeled-secret']);

describe('labeled-secret: the first member of an object, list or parentheses', () => {
  it('object keys quoted or not, of one letter, with `_`, empty', () => {
    for (const text of [
      '"password":{"new":"«hunter2-Fake»"}',
      '"password":{"new_password":"«hunter2-Fake»"}',
      '"password":{"cur_val":"«hunter2-Fake»"}', // a key with `_` that is no label
      "password = { k: '«hunter2-Fake»' }",
      'password={ v : "«hunter2-Fake»" }',
      'password={"":"«hunter2-Fake»"}',
      'password={:"«hunter2-Fake»"}',
    ])
      scan.marked(text);
  });

  it('lists and parentheses with blanks before the quoted value', () => {
    for (const text of [
      'api_key=["«Zx9Qw3Er7Ty1Ui5Op2»"]',
      'api_key=[  "«Zx9Qw3Er7Ty1Ui5Op2»" ]',
      "password=('«hunter2-Fake»')",
      'password=( "«hunter2-Fake»" )',
    ])
      scan.marked(text);
  });

  it('no member value: an empty object or list, a key without `:`', () => {
    for (const text of ['password={}', 'api_key=[ ]', 'password=()']) scan.kept(text);
  });
});

describe('labeled-secret: a quoted label across line breaks', () => {
  it("line breaks before the label's `:` and before a quoted value", () => {
    for (const text of [
      '"password"\n:\n"«hunter2-Fake»"',
      '{"password"\r\n  :  "«hunter2-Fake»"}',
      '"api_key":\n  "«Zx9Qw3Er7Ty1Ui5Op2»"',
    ])
      scan.marked(text);
  });

  it("line breaks after an unquoted label's separator before a quoted value (source code, JavaScript objects)", () => {
    for (const text of [
      'const password =\n  "«hunter2-Fake»";',
      'password=\n"«hunter2-Fake»"',
      '{password:\n"«hunter2-Fake»"}',
      "api_key =\n\t'«Zx9Qw3Er7Ty1Ui5Op2»'",
    ])
      scan.marked(text);
    // the next line unquoted is another setting
    scan.kept('PASSWORD=\nUSER=jane');
  });

  it('YAML tags, anchors and block scalars before the value', () => {
    for (const text of [
      'password: !!str «hunter2-Fake»',
      'password: &pw «hunter2-Fake»',
      'password: >-\n  «hunter2-Fake»',
    ])
      scan.marked(text);
  });

  it("a multipart field's blank line is no gap before a `:`", () => {
    scan.marked('Content-Disposition: form-data; name="password"\r\n\r\n«hunter2-Fake»\r\n--boundary');
    scan.marked('Content-Disposition: form-data; name="password"\n\n«hunter2-Fake»\n--boundary');
  });
});

/** 300 characters of a long password (ten letters repeated). */
const LONG = 'abcdefghij'.repeat(30);

describe('labeled-secret: an unquoted value past `,` and `;`', () => {
  it('over the 256 characters a value is judged on: the runs after `,` and `;` too', () => {
    for (const text of [
      `password=«${LONG},tail-Fake9» next`,
      `password=«${LONG};Hunter-2;x»`,
      `password=«abc${LONG.slice(0, 253)},${LONG}»`,
    ])
      scan.marked(text);
  });

  it('another pair after `;` ends it, over the bound as before it', () => {
    scan.marked(`Password=«${LONG}»;Server=db1;User ID=sa`);
    scan.marked(`Password=«${LONG}»;User ID=sa`);
    scan.marked('Password=«hunter2-Fake»;User ID=sa;Initial Catalog=app');
    // a run with a digit is no key's first word: the value goes on over it
    scan.marked('Password=«hunter2;Pa55» Word=x');
    scan.marked('pwd=«ab;C0de» Name=x');
    // a key's next words are letters within 40 characters before its `=`
    scan.marked('pwd=«ab;Cd» =x');
    scan.marked('pwd=«ab;Cd» x9=1');
    scan.marked('pwd=«ab;Cd» and then some more words to fill the forty = x');
  });
});
