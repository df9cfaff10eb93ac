import { describe, it } from 'vitest';
import { edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md) reads a credential label written with look-alike letters of other scripts
// (`passwοrd=…` with Greek `ο`, `api_kеy` with Cyrillic `е`) in a folded copy of the text, one UTF-16 unit for one
// (`engine/detectors/lookalikes.ts`), so the value found there is masked where it stands in the text. Each case is the
// exact masked text through the value scanner, pre-filter on and off.

const scan = edgeScanners(['labeled-secret']);

/** A random secret (mixed case and digits): taken after every label kind. */
const SECRET = 'Zx9Qw3Er7Ty1Ui5Op2';

/**
 * Every look-alike letter the detectors fold, written here by hand with the ASCII letter it is read as (Cyrillic,
 * Greek, IPA and small capitals, Armenian, Latin extensions).
 */
const LOOKALIKE_LETTERS: readonly (readonly [string, string])[] = [
  ['\u0430', 'a'], // а
  ['\u0435', 'e'], // е
  ['\u043e', 'o'], // о
  ['\u0440', 'p'], // р
  ['\u0441', 'c'], // с
  ['\u0443', 'y'], // у
  ['\u0445', 'x'], // х
  ['\u0455', 's'], // ѕ
  ['\u0456', 'i'], // і
  ['\u0457', 'i'], // ї
  ['\u0458', 'j'], // ј
  ['\u04bb', 'h'], // һ
  ['\u0501', 'd'], // ԁ
  ['\u051b', 'q'], // ԛ
  ['\u051d', 'w'], // ԝ
  ['\u043a', 'k'], // к
  ['\u0433', 'r'], // г
  ['\u0442', 't'], // т
  ['\u0461', 'w'], // ѡ
  ['\u0410', 'A'], // А
  ['\u0412', 'B'], // В
  ['\u0415', 'E'], // Е
  ['\u041a', 'K'], // К
  ['\u041c', 'M'], // М
  ['\u041d', 'H'], // Н
  ['\u041e', 'O'], // О
  ['\u0420', 'P'], // Р
  ['\u0421', 'C'], // С
  ['\u0422', 'T'], // Т
  ['\u0425', 'X'], // Х
  ['\u0405', 'S'], // Ѕ
  ['\u0406', 'I'], // І
  ['\u0408', 'J'], // Ј
  ['\u0423', 'Y'], // У
  ['\u0500', 'D'], // Ԁ
  ['\u051c', 'W'], // Ԝ
  ['\u03bf', 'o'], // ο
  ['\u03b1', 'a'], // α
  ['\u03b5', 'e'], // ε
  ['\u03ba', 'k'], // κ
  ['\u03c1', 'p'], // ρ
  ['\u03b9', 'i'], // ι
  ['\u03c4', 't'], // τ
  ['\u03c5', 'u'], // υ
  ['\u03bd', 'v'], // ν
  ['\u03f2', 'c'], // ϲ
  ['\u0391', 'A'], // Α
  ['\u0392', 'B'], // Β
  ['\u0395', 'E'], // Ε
  ['\u0396', 'Z'], // Ζ
  ['\u0397', 'H'], // Η
  ['\u0399', 'I'], // Ι
  ['\u039a', 'K'], // Κ
  ['\u039c', 'M'], // Μ
  ['\u039d', 'N'], // Ν
  ['\u039f', 'O'], // Ο
  ['\u03a1', 'P'], // Ρ
  ['\u03a4', 'T'], // Τ
  ['\u03a5', 'Y'], // Υ
  ['\u03a7', 'X'], // Χ
  ['\u03f9', 'C'], // Ϲ
  ['\u0251', 'a'], // ɑ
  ['\u0131', 'i'], // ı
  ['\u026a', 'i'], // ɪ
  ['\u0274', 'n'], // ɴ
  ['\u0280', 'r'], // ʀ
  ['\u1d00', 'a'], // ᴀ
  ['\u1d05', 'd'], // ᴅ
  ['\u1d07', 'e'], // ᴇ
  ['\u1d0b', 'k'], // ᴋ
  ['\u1d0f', 'o'], // ᴏ
  ['\u1d18', 'p'], // ᴘ
  ['\u1d1b', 't'], // ᴛ
  ['\u1d21', 'w'], // ᴡ
  ['\ua731', 's'], // ꜱ
  ['\u0578', 'n'], // ո
  ['\u0585', 'o'], // օ
  ['\u0555', 'O'], // Օ
  ['\u01a6', 'R'], // Ʀ
  ['\u2c6d', 'A'], // Ɑ
  ['\ua7ae', 'I'], // Ɪ
];

/** Labels of the three kinds; each ASCII letter a look-alike stands for above is in one of them or not at all. */
const LABELS = ['password', 'passphrase', 'secret', 'private_key', 'api_key', 'token', 'session_id', 'signature'];

/** `label` (upper case for a capital) with its first `ascii` written as `look`; `undefined` when no label has it. */
function withLookalike(look: string, ascii: string): string | undefined {
  const upper = ascii !== ascii.toLowerCase();
  for (const plain of LABELS) {
    const label = upper ? plain.toUpperCase() : plain;
    const at = label.indexOf(ascii);
    if (at !== -1) return `${label.slice(0, at)}${look}${label.slice(at + 1)}`;
  }
  return undefined;
}

describe('labeled-secret: look-alike letters in a label', () => {
  it('each look-alike of a label letter, in the label: the value is masked', () => {
    let tested = 0;
    for (const [look, ascii] of LOOKALIKE_LETTERS) {
      const label = withLookalike(look, ascii);
      if (label === undefined) continue;
      tested++;
      scan.marked(`${label}=«${SECRET}» next`);
    }
    // every letter of the table but b, j, m, q, x, z (in no credential label) in one case or the other
    if (tested < 60) throw new Error(`only ${tested} look-alikes tested`);
  });

  it('each look-alike is one letter wide: before a label with a look-alike, the value is masked where it stands', () => {
    for (const [look] of LOOKALIKE_LETTERS) {
      scan.marked(`${look} p\u0430ssword=«${SECRET}» next`);
      scan.marked(`user ${look}${look} \u0442oken: «${SECRET}»`);
    }
  });

  it('several look-alikes in one label, and in several labels of one text', () => {
    for (const text of [
      `p\u0430ssw\u043erd=«${SECRET}»`, // Cyrillic а and о
      `\u0440\u0430\u0455\u0455w\u03bfrd: «${SECRET}»`,
      `\u0430pi_k\u0435y=«${SECRET}» and \u0442\u043ek\u0435n=«Ab3dEf9hQ2Lm7Np4»`,
      `{"p\u0430ssword":"«hunter2-Fake-9x»","\u0455ecret":"«${SECRET}»"}`,
    ])
      scan.marked(text);
  });

  it('a look-alike label next to a plain one: each value masked once', () => {
    scan.marked(`password=«hunter2-Fake-9x» p\u0430ssword=«${SECRET}»`);
    scan.marked(`p\u0430ssword=«${SECRET}» password=«hunter2-Fake-9x»`);
  });

  it('a look-alike label whose quoted value holds a plain label: the whole value is masked', () => {
    // The text alone finds `hunter2` after the plain label; the folded text finds the token's whole value around it.
    scan.marked(`t\u043eken="«Zx9Qw3Er7Ty1 password=hunter2»" next`);
    scan.marked(`{"\u0430pi_key":"«Zx9Qw3Er7Ty1Ui5Op2;pwd=hunter2-x»"}`);
  });

  it('a value holding look-alike letters is judged as written, not as its folded word', () => {
    // `nоne` with Cyrillic `о` is no state word (folded it reads `none`), and so on.
    scan.marked('password=«n\u043ene» p\u0430ssword=«Zx9Qw3Er7Ty1»');
    scan.marked('password: «r\u0435quired»');
  });

  it('text of those scripts without a credential label stays as written', () => {
    for (const text of ['Привет: тест', 'ΑΒΓΔ ΕΖΗΘ', 'ѕесrеt ѕаuсе', 'рассвет=Zx9Qw3Er7Ty1Ui5Op2']) scan.kept(text);
  });
});
