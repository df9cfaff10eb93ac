import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (engine/detectors/labeled-secret.ts, docs/detectors.md): how the value after a label's separator is
// read. Where an unquoted value ends (each character that ends it and some that do not), the sentence punctuation
// trimmed from its end, a quoted value, the placeholders, what "looks random" after a secret, key or token label, the
// blanks after the separator, a YAML value on the next line, the value of a name/value pair and a value longer than
// the 256 characters it is judged on. Each case is written with the masked part between « and »: the scanner (pre-filter
// on and off) must return exactly the text with that part masked, and a case without « » exactly as written.

const scan = edgeScanners(['labeled-secret']);
const expectMasked = (marked: string): void => scan.marked(marked);

describe('labeled-secret: where an unquoted value ends', () => {
  it('at a blank, a quote, a backtick, query punctuation, a bracket that closes, a backslash', () => {
    for (const end of [' ', '\t', '\n', '\r', '"', "'", '`', '&', '<', '>', ')', ']', '}', '\\'])
      for (const [label, value] of [
        ['password', 'hunt3r2go'],
        ['api_key', 'Ab3dEf9hQ2'],
      ]) {
        expectMasked(`${label}=«${value}»${end}zz`);
        expectMasked(`x ${label}: «${value}»${end}zz`);
      }
  });

  it('at `,` or `;` only before another pair, a blank or the end: a password with `,` or `;` is masked whole', () => {
    for (const sep of [',', ';'])
      for (const [label, value] of [
        ['password', 'hunt3r2go'],
        ['api_key', 'Ab3dEf9hQ2'],
      ]) {
        expectMasked(`${label}=«${value}${sep}zz»`);
        expectMasked(`x ${label}: «${value}${sep}zz${sep}Fake9» next`);
        expectMasked(`${label}=«${value}${sep}zz» status=ok`);
        // another pair: `name=`, `name:`, a connection string's key of several words
        expectMasked(`${label}=«${value}»${sep}user=jane`);
        expectMasked(`${label}=«${value}»${sep}user:jane`);
        expectMasked(`${label}=«${value}»${sep}User ID=sa`);
        expectMasked(`${label}=«${value}»${sep}Persist Security Info=True`);
        expectMasked(`${label}=«${value}»${sep} next`);
        expectMasked(`${label}=«${value}»${sep}`);
        expectMasked(`${label}=«${value}»${sep}${sep}zz`);
      }
    expectMasked('Server=db;Database=app;User Id=sa;Password=«hunt3r;2go»;Trusted_Connection=False;');
    expectMasked('password=«ab;hunter2fake»');
    expectMasked('password=«hunter2,fakeRest» and more');
  });

  it('not at other punctuation or a control character', () => {
    for (const mid of ['=', '!', '/', '+', '-', '(', '[', '{', '|', '#', '@', '*', '%', '~', '^', '.', ':', '\u0001'])
      for (const [label, value] of [
        ['password', 'hunt3r2go'],
        ['api_key', 'Ab3dEf9hQ2'],
      ])
        expectMasked(`${label}=«${value}${mid}zz» next`);
  });

  it('without the sentence punctuation that ends it, however much', () => {
    expectMasked('login password=«hunt3r2go». next');
    expectMasked('login password=«hunt3r2go»:');
    expectMasked('login password=«hunt3r2go».:.. next');
    expectMasked('login password=«hunt.3r:2go». next');
    expectMasked('api_key=«Ab3dEf9hQ2».');
    // what is left must still be long enough
    expectMasked('password=ab. next');
    expectMasked('password=ab:. next');
    expectMasked('password=«abc». next');
    expectMasked('api_key=Ab3dEf9. next');
    // a quoted value keeps its dot
    expectMasked('password="«hunt3r2go.»" next');
  });
});

describe('labeled-secret: a quoted value', () => {
  it('ends at its closing quote or a line break, not at a blank, the other quote or an escaped quote', () => {
    expectMasked('password="«hunt3r 2go»" next');
    expectMasked("password='«hunt3r 2go»' next");
    expectMasked('password="«hunt3r\'2go»" next');
    expectMasked("password='«hunt3r\"2go»' next");
    expectMasked('password="«hunt3r»\nnext"');
    expectMasked('api_key: "«Ab3dEf9hQ2\\u0022 next»"');
    expectMasked('password="«hunt3r\\"2go»" next');
    // inside an escaped JSON string (`\\"` opens it), the `\\` before its closing quote ends it
    expectMasked('{\\"password\\":\\"«hunt3r2go»\\"}');
    expectMasked('password="«hunt3r;2go,x&y»"');
    // not closed before the end of the text
    expectMasked('password="«hunt3r2go»');
    expectMasked("password='«hunt3r 2go»");
  });

  it('after a quoted label, line breaks around the separator before a quoted value (JSON on several lines)', () => {
    for (const before of ['\n', '\r\n', ' \n ', '\n\n'])
      for (const after of ['\n', '\r\n', '\n  ', '\n\n']) {
        expectMasked(`{"password"${before}:${after}"«hunt3r 2go»"}`);
        expectMasked(`{"password":${after}"«hunt3r 2go»"}`);
        expectMasked(`{'api_key'${before}:${after}'«Ab3dEf9hQ2»'}`);
      }
    // an unquoted label or value is not read across a line break without indentation (YAML's next key)
    expectMasked('password\n: hunt3r2go');
    expectMasked('"password":\nhunt3r2go');
  });
});

describe('labeled-secret: placeholders and templates are no value', () => {
  it('a placeholder that starts with *, [, $, {, %, ? or < is kept; a value that only starts like one is a value', () => {
    for (const v of [
      '***',
      '[REDACTED]',
      '${PASSWORD}',
      '$DB_PASSWORD',
      '{password}',
      '{{ vault_pw }}',
      '%(pw)s',
      '%s',
      '?',
      '<your-password>',
    ]) {
      expectMasked(`password=${v} next`);
      expectMasked(`client_secret=${v} next`);
    }
    for (const v of ['*a1b2c3', '[a1b2c3]', '$a1b2c3', '{a1b2c3}', '%a1b2c3', '?a1b2c3', '<a1b2c3>'])
      expectMasked(`password=«${v}» next`);
    for (const v of ['!a1b2c3', '#a1b2c3', '^a1b2c3', '~a1b2c3', '@a1b2c3', '+a1b2c3', '-a1b2c3', '.a1b2c3'])
      expectMasked(`password=«${v}» next`);
  });

  it('a value that only starts with a state or prose word is a value', () => {
    for (const v of ['nothing', 'tokyo2024', 'island7', 'ordinal', 'settle', 'undefined1', 'nullable'])
      expectMasked(`password=«${v}» next`);
    expectMasked('api_key=«setA1b2c3d4» next');
  });

  it('a path after the `pwd` label (the shell variable) is kept; after other labels it is a value', () => {
    expectMasked('pwd=/home/app next');
    expectMasked('PWD=/home/app next');
    expectMasked('password=«/home/app» next');
    expectMasked('sv=2024&sig=«/Ab3dEf9hQ2»');
    expectMasked('token=«/Ab3dEf9hQ2» next');
  });
});

describe('labeled-secret: a secret, key or token value must look random', () => {
  it('letters and digits from 8; mixed case from 12; from 16 digits only or with punctuation', () => {
    expectMasked('token=«a1bcdefg» next');
    expectMasked('token=«1a2b3c4d» next');
    expectMasked('token=«AbcdefGhijkl» next');
    expectMasked('token=AbcdefGhijk next');
    expectMasked('token=«1234567890123456» next');
    expectMasked('token=123456789012345 next');
    expectMasked('token=«abcdefgh-ijklmnop» next');
    expectMasked('token=«ABCDEFGH_IJKLMNO» next');
    expectMasked('token=abcdefg-ijklmno next');
  });

  it('a word of one case and digits with punctuation below 16 characters stay; from 20 any value counts', () => {
    expectMasked('token=ABCDEFGHIJKL next');
    expectMasked('token=ABCDEFGHIJKLMNO next');
    expectMasked('token=abcdefghijklmnop next');
    expectMasked('token=ABCDEFGHIJKLMNOPQRS next');
    // from 20 characters any value counts (`api_key=fakefakefakefakefake`)
    expectMasked('token=«ABCDEFGHIJKLMNOPQRST» next');
    expectMasked('api_key=«fakefakefakefakefakefake» next');
    expectMasked('token=1234-5678 next');
    expectMasked('token=12.34.56.78.90 next');
    expectMasked('token=--------x next');
  });

  it('a value cut short by its end is judged on what is left', () => {
    expectMasked('token=«a1bcdefg» abcdefghijklmnop');
    expectMasked('token=abcdefgh 1');
    expectMasked('token=ABCDEFGHIJK 1bcdefgh');
  });
});

describe('labeled-secret: blanks after the separator', () => {
  it('up to 32; more part the value from its label', () => {
    expectMasked(`password=${' '.repeat(32)}«hunt3r2go» next`);
    expectMasked(`password=${' '.repeat(33)}hunt3r2go next`);
    expectMasked(`password:${'\t'.repeat(33)}hunt3r2go next`);
  });
});

describe('labeled-secret: a YAML value on the next line', () => {
  it('after `:` and a line break (LF, CRLF, escaped `\\n` or `\\r\\n`) and any indentation (the same with the pre-filter on and off)', () => {
    for (const br of ['\n', '\r\n', '\\n', '\\r\\n'])
      for (const indent of [
        ' ',
        '  ',
        '\t',
        ' '.repeat(16),
        ' '.repeat(17),
        ' '.repeat(40),
        ' '.repeat(61),
        ' '.repeat(64),
      ]) {
        expectMasked(`password:${br}${indent}«hunt3r2go»`);
        expectMasked(`db_password: ${br}${indent}«hunt3r2go»${br}host: db`);
        expectMasked(`api_key:${br}${indent}«Ab3dEf9hQ2»`);
      }
  });

  it('not after `=`, without indentation, after a lone CR, a blank line', () => {
    for (const text of [
      // (`password=\n  hunt3r2go` is masked: read as quoted-printable, `=\n` is a soft line break, and
      // `password  hunt3r2go` a value introduced by blanks; see labeled-secret-prose.test.ts)
      'password =\r\n  hunt3r2go',
      'password:\nhunt3r2go',
      'password:\\nhunt3r2go',
      'password:\r  hunt3r2go',
      'password:\r   hunt3r2go',
      'password:ab   hunt3r2go',
      'password:\\r  hunt3r2go',
      'password:\\r\\x  hunt3r2go',
      'password:\\t  hunt3r2go',
      'password:\n\n  hunt3r2go',
      'password:\r\n\r\n  hunt3r2go',
      'password:\\n\\n  hunt3r2go',
    ])
      expectMasked(text);
  });
});

describe('labeled-secret: the value of a name/value pair', () => {
  it('after a comma or line break (also escaped), blanks, tabs and YAML list dashes, up to 32 characters', () => {
    for (const gap of [',', ', ', ',\t', ',\n  ', ',\r\n', '\n  ', ',\\n  ', ',\\r\\n\\t', ', -', `,${' '.repeat(31)}`])
      expectMasked(`{"name":"DB_PASSWORD"${gap}"value":"«hunt3r2go»"}`);
    expectMasked(`{"name":"DB_PASSWORD",x"value":"hunt3r2go"}`);
    expectMasked(`{"name":"DB_PASSWORD",\\x"value":"hunt3r2go"}`);
  });

  it('the value keys: value, ParameterValue, SecretValue in any case; no other key', () => {
    for (const key of ['value', 'Value', 'VALUE', 'ParameterValue', 'parametervalue', 'SecretValue'])
      expectMasked(`{"name":"API_KEY","${key}":"«Ab3dEf9hQ2»"}`);
    for (const key of ['values', 'xvalue', 'val', 'ParameterValues', 'OtherValue', 'parametervaluex', 'v'])
      expectMasked(`{"name":"API_KEY","${key}":"Ab3dEf9hQ2"}`);
  });

  it('the key quoted like the name or bare, up to 3 blanks before its separator; `:` only after a comma or break', () => {
    expectMasked(`{"name":"DB_PASSWORD",value:"«hunt3r2go»"}`);
    expectMasked(`{'name':'DB_PASSWORD','value':'«hunt3r2go»'}`);
    expectMasked(`{\\"name\\":\\"DB_PASSWORD\\",\\"value\\":\\"«hunt3r2go»\\"}`);
    expectMasked(`{"name":"DB_PASSWORD","value"   :"«hunt3r2go»"}`);
    expectMasked(`{"name":"DB_PASSWORD","value"\t:"«hunt3r2go»"}`);
    expectMasked(`{"name":"DB_PASSWORD","value"    :"hunt3r2go"}`);
    expectMasked(`{"name":"DB_PASSWORD","value""hunt3r2go"}`);
    expectMasked(`- name: DB_PASSWORD\n  value: «hunt3r2go»\n`);
    expectMasked(`name=DB_PASSWORD\nvalue=«hunt3r2go»`);
    expectMasked(`name=DB_PASSWORD,value=«hunt3r2go»`);
  });

  it('without a comma or line break only as an HTML field: the name, a blank, `value=`', () => {
    expectMasked(`<input name="password" value="«hunt3r2go»">`);
    expectMasked(`<input name='password' value='«hunt3r2go»'>`);
    expectMasked(`<input name="password" value = "«hunt3r2go»">`);
    expectMasked(`<input name="password" value:"hunt3r2go">`);
    // any gap, the same with the pre-filter on and off (a bound of 32 differed)
    for (const n of [31, 32, 33, 124, 1000]) {
      expectMasked(`name="password"${' '.repeat(n)}value=«hunt3r2go»`);
      expectMasked(`{"name":"DB_PASSWORD",${' '.repeat(n)}"value":"«hunt3r2go»"}`);
    }
  });

  it('an HTML field with unquoted attributes (`<input type=password value=…>`)', () => {
    expectMasked('<input type=password value=«hunt3r2go»>');
    expectMasked('<input name=password value=«hunt3r2go» autocomplete=off>');
    expectMasked('<input name=db_password value=«hunt3r2go»>');
    expectMasked('<input name=api_key value=«Ab3dEf9hQ2»>');
    expectMasked('<input name=api_key value=expired>');
  });
});

describe('labeled-secret: a value longer than the 256 characters it is judged on', () => {
  const long = (n: number) => 'Zq8' + 'abcdefghijkmnpqrstuvwxyz23456789'.repeat(20).slice(0, n - 3);

  it('is masked to its end, without its sentence punctuation, also when 256 characters end the text', () => {
    for (const n of [255, 256, 257, 300]) {
      expectMasked(`password=«${long(n)}»`);
      expectMasked(`password=«${long(n)}» next`);
      expectMasked(`password=«${long(n)}». next`);
      expectMasked(`api_key="«${long(n)}»" next`);
      expectMasked(`token=«${long(n)}»;x=1`);
    }
    expectMasked(`password=«${long(256)}».`);
    // a quoted value keeps its sentence punctuation, also past the 256 characters
    expectMasked(`api_key="«${long(300)}.»" next`);
    expectMasked(`api_key='«${long(300)}:»'`);
    expectMasked(`password=«${long(300)}»...`);
  });
});

describe('labeled-secret: `pass` as a label of its own', () => {
  it('as a name or its last word in any naming style; not glued to a word before it, not a test verdict or count', () => {
    for (const label of ['pass', 'Pass', 'PASS', 'db_pass', 'DB_PASS', 'smtpPass', 'mail-pass', 'db.pass', 'pass_new'])
      for (const op of ['=', ': ', ' = ', '":"'])
        expectMasked(
          `${label.startsWith('pass') ? '?user=jane&' : ''}${label}${op}«hunt3r2go»${op.endsWith('"') ? '"' : ''} next`,
        );
    for (const text of [
      'bypass=cache-only',
      'BYPASS=cacheonly',
      'compass=north-east',
      'passport=X1234567',
      'passenger=jane',
      'pass_word=Hunt3r2go',
      '--- PASS: TestLogin (0.00s)',
      'PASS: test_login',
      'pass: 120/120',
      'pass=12',
      'pass=98.5%',
      'pass=true',
      'tests pass: all',
    ])
      expectMasked(text);
  });
});

describe('labeled-secret: a value inside a JSON object, list or parentheses', () => {
  it("the first member's value of an object after the label, the first quoted item of a list", () => {
    expectMasked('{"password":{"new":"«hunt3r 2go»","old":"x"}}');
    expectMasked('{"password": { "value" : "«hunt3r 2go»" }}');
    expectMasked('password: { current: "«hunt3r2go»" }');
    expectMasked('{"password":["«hunt3r 2go»"]}');
    expectMasked('api_key=["«Ab3dEf9hQ2xYz»"]');
    expectMasked("api_key=[ '«Ab3dEf9hQ2xYz»' ]");
    expectMasked("password=('«hunt3r 2go»')");
    // placeholders and empty containers stay
    expectMasked('{"password":{"new":"***"}}');
    expectMasked('{"password":[]}');
    expectMasked('{"password":{}}');
    expectMasked('password: ["[REDACTED]"]');
  });
});
