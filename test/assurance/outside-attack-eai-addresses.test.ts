import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, sendAsNames } from './helpers/outside-attack';

// The fifth outside attack round's internationalized addresses (RFC 6531: a local part in any script), through real
// SDK providers with the privacy processors and the DEFAULT policy: a local part of letters of one script (Latin with
// diacritics first, Cyrillic, Greek, Han, kana, Hangul, Devanagari, Arabic, Hebrew), optionally dotted, at an ASCII or
// internationalized domain, in a log body, a span name and an event name; and the `@` written `(a)`, as German and
// Nordic web pages write it (`info(a)example.de`). No letter of the local part may be exported; npm specs, mentions,
// non-ASCII prose and lettered lists (`choose (a) github.com or (b) …`) are exported as written.
const pipelines = defaultPolicyPipelines();

/** Sends `text` as a log body, a span name and an event name; returns the three as exported. */
function roundTrip(text: string): string[] {
  const { span, event, body } = sendAsNames(pipelines, text);
  return [span, event, body];
}

/** Letters of one script (first and last code points of a run of letters). */
const scripts: [number, number][] = [
  [0x00e0, 0x00f6], // Latin with diacritics
  [0x0430, 0x044f], // Cyrillic
  [0x03b1, 0x03c9], // Greek
  [0x4e00, 0x4fff], // Han
  [0x30a2, 0x30f3], // katakana
  [0xac00, 0xad00], // Hangul syllables
  [0x0915, 0x0939], // Devanagari consonants
  [0x0628, 0x063a], // Arabic
  [0x05d0, 0x05ea], // Hebrew
];
/** A local part of one script: one or two words of its letters, dotted. */
const local = fc.constantFrom(...scripts).chain(([lo, hi]) => {
  const word = fc
    .array(fc.integer({ min: lo, max: hi }), { minLength: 2, maxLength: 8 })
    .map((cps) => String.fromCodePoint(...cps));
  return fc.oneof(
    word,
    fc.tuple(word, word).map(([a, b]) => `${a}.${b}`),
  );
});
const domain = fc.constantFrom(
  'example.com',
  'example.org',
  'пример.рф',
  '例子.广告',
  'παράδειγμα.δοκιμή',
  'example.jp',
);
const contexts = fc.constantFrom(
  (a: string) => a,
  (a: string) => `sent to ${a} today`,
  (a: string) => JSON.stringify({ to: a }),
  (a: string) => `To: "Jane" <${a}>`,
  (a: string) => `mailto:${a}`,
);

describe('outside attack round 5: internationalized e-mail addresses', () => {
  it('no letter of a local part in any script is exported', () => {
    fc.assert(
      fc.property(local, domain, contexts, (l, d, wrap) => {
        const text = wrap(`${l}@${d}`);
        for (const value of roundTrip(text))
          for (const part of l.split('.'))
            expect(value, `${JSON.stringify(text)} → ${JSON.stringify(value)}`).not.toContain(part);
      }),
      { numRuns: 150 },
    );
  });

  it('an `@` written `(a)`, `[a]`, `{a}` or `<a>` between the local part and the domain is found', () => {
    const asciiLocal = fc.stringMatching(/^[a-z][a-z0-9]{1,7}(?:[._-][a-z0-9]{2,8})?$/);
    fc.assert(
      fc.property(
        fc.oneof(asciiLocal, local),
        fc.constantFrom('(a)', '[a]', '{a}', '<a>', '(A)'),
        fc.constantFrom('example.com', 'example.de', 'example.co.uk', 'example.museum'),
        contexts,
        (l, at, d, wrap) => {
          const text = wrap(`${l}${at}${d}`);
          for (const value of roundTrip(text))
            expect(value, `${JSON.stringify(text)} → ${JSON.stringify(value)}`).not.toContain(`${l}${at}`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('npm specs, mentions, lettered lists and non-ASCII prose are exported as written', () => {
    for (const text of [
      'обновлён пакет lodash@4.17.21',
      'Привет @jane, смотри',
      '价格 icon@2x.png 更新',
      'Größe 12 · Straße 4 · café',
      '«ответ» — готово',
      'choose (a) github.com or (b) gitlab.com',
      'see note(a) below at example.com',
      'f(a) = a.b',
    ])
      expect(roundTrip(text).filter((v) => v === text).length, text).toBeGreaterThanOrEqual(2); // body, event name
  });
});
