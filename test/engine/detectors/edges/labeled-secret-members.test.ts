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
