import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_CONTEXT } from '../../../../engine/detectors/phone';
import {
  chineseContactLabel,
  chineseMobile,
  cjkPhoneLabel,
  layoutAfterWord,
  nationalAfterLabel,
  otherLabel,
  otherPhoneLabel,
  trunk8BracketedOther,
} from '../testdata/phone-numbers';
import { edgeScanners } from './secret-edges-helpers';

// Phone words of other languages (docs/detectors.md, `phone` row) have the grammar of `phone`: after one, an
// unformatted run or a national number without a trunk prefix is a phone number (`手机：13800138000`, `Celular: (11)
// 91234-5678`, `Móvil: 612 345 678`, `телефон: 912 34 567`). After any other word the same digits stay as written.
// Pre-filter on and off.

const phone = edgeScanners(['phone']);

describe('phone: labels in other languages', () => {
  it('a Chinese mobile number after a Chinese, Japanese or Korean phone label is masked (was 0 of 1 200)', () => {
    fc.assert(
      fc.property(cjkPhoneLabel, chineseMobile, (label, n) => phone.marked(`${label}«${n}»`)),
      { numRuns: 200 },
    );
  });

  it('a national number after a phone word of another language is masked', () => {
    fc.assert(
      fc.property(
        fc.oneof(cjkPhoneLabel, otherPhoneLabel),
        nationalAfterLabel,
        fc.constantFrom('', '。', ' ok'),
        (label, n, after) => phone.marked(`${label}«${n}»${after}`),
      ),
      { numRuns: 200 },
    );
  });

  it('the same numbers after other labels, or none, stay as written', () => {
    fc.assert(
      fc.property(otherLabel, nationalAfterLabel, (label, n) => phone.kept(`${label}${n}`)),
      { numRuns: 150 },
    );
  });

  it('a Chinese mobile number after a word for contacting or dialling is masked (联系方式：, 请拨打, 致电)', () => {
    fc.assert(
      fc.property(chineseContactLabel, chineseMobile, (label, n) => phone.marked(`${label}«${n}»`)),
      { numRuns: 100 },
    );
  });

  it('11 98765-4321, 0 98765 43210, 8 916 1536625 are masked after a phone word, kept after others', () => {
    fc.assert(
      fc.property(
        fc.oneof(otherPhoneLabel, fc.constantFrom('phone: ', 'Tel. ', '手机：')),
        layoutAfterWord,
        fc.constantFrom('', '。', ' ok'),
        (label, n, after) => phone.marked(`${label}«${n}»${after}`),
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(otherLabel, layoutAfterWord, fc.constantFrom('', ' ok'), (label, n, after) =>
        phone.kept(`${label}${n}${after}`),
      ),
      { numRuns: 200 },
    );
  });

  it('8 with a four-digit area code or an unsplit subscriber number in brackets is masked without a word', () => {
    fc.assert(
      fc.property(otherLabel, trunk8BracketedOther, (label, n) => phone.marked(`${label}«${n}»`)),
      { numRuns: 80 },
    );
    for (const text of ['8 8452 12-34-56', '8 (8452) 123-45-6', '8 (916) 153662', 'build 8 916 1536625ms'])
      phone.kept(text);
  });

  it('near misses of the new words are no phone word', () => {
    for (const w of ['excel', 'cancel', 'parcel', 'celery', 'komórek', 'модель', 'мобилизация'])
      expect(PHONE_CONTEXT.test(` ${w} `), w).toBe(false);
    for (const w of ['mobility', 'handyman', 'automobil', 'telecom', 'motel', 'hotels', 'celula', 'móviles'])
      expect(PHONE_CONTEXT.test(` ${w} `), w).toBe(false);
    for (const w of ['mobility', 'handyman', 'telecom']) phone.kept(`${w} 612 345 678`);
  });
});
