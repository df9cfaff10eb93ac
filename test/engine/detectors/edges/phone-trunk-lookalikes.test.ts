import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  idLabel,
  trunk8Bracketed,
  trunkAfterWord,
  trunkNational,
  trunkNearMiss,
  uspsTracking,
  uspsTrackingWritten,
  zeroLedIds,
  zeroLedNumbers,
} from '../testdata/phone-numbers';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// Trunk-prefixed national numbers the docs name are found after a phone word (`8-916-153-66-25`, `06 1 323 4208`, `01
// 543178`, `093935 85907`: ids are written the same way), `8 (495) 525-76-11` with its bracketed area code without one; ids shaped like trunk-prefixed numbers (`082-234-821`, ZIP+4 `02139-4307`) only
// after one; the groups of a USPS tracking number (`9400 0638 8306 6814 1846 24`) are no phone or card number.
// Pre-filter on and off; a few through real SDK providers with the default policy.

const phone = edgeScanners(['phone']);
const parcel = edgeScanners(['phone', 'payment-card', 'us-ssn']);
const phoneWord = fc.constantFrom('Tel.: ', 'phone: ', 'call me at ', 'Handy ', 'телефон: ', 'mobile ');
const pipeline = defaultPipeline();

describe('phone: trunk prefixes 8, 06, 01 (Vienna) and 0 before an Indian mobile', () => {
  it('found after a phone word (0 of 24 each before)', () => {
    fc.assert(
      fc.property(phoneWord, trunkNational, (before, n) => phone.marked(`${before}«${n}»`)),
      { numRuns: 200 },
    );
  });

  it('without a phone word only with a bracketed area code: ids written like them stay as written', () => {
    fc.assert(
      fc.property(idLabel, trunk8Bracketed, (before, n) => phone.marked(`${before}«${n}»`)),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(
        idLabel,
        // After `8`, an area code starting with 0 (`8 017 669 38 80`) leaves a number with trunk prefix 0 (`017 669 38
        // 80`), found without a word as before.
        trunkAfterWord.filter((n) => !/^8[ -]0/.test(n)),
        fc.constantFrom('', ' shipped', ' mm', ']'),
        (before, n, after) => phone.kept(`${before}${n}${after}`),
      ),
      { numRuns: 250 },
    );
  });

  it('near misses stay as written: another area code after 8, another digit after 06, seven digits after 01', () => {
    fc.assert(
      fc.property(trunkNearMiss, (n) => phone.kept(n)),
      { numRuns: 150 },
    );
  });
});

describe('phone: ids shaped like trunk-prefixed numbers', () => {
  it('0xx-xxx-xxx and 0xxxx-xxxx stay as written without a phone word, and are masked after one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'job ', 'object=', 'Bestellung ', '処理完了：', 'zip '),
        zeroLedIds,
        (before, id) => phone.kept(`${before}${id}`),
      ),
      { numRuns: 120 },
    );
    fc.assert(
      fc.property(fc.constantFrom('phone ', 'tel: ', '电话：', 'Handy '), zeroLedIds, (before, id) =>
        phone.marked(`${before}«${id}»`),
      ),
      { numRuns: 80 },
    );
  });

  it('their nearest phone numbers are still masked without a word', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'job ', 'Bestellung '), zeroLedNumbers, (before, n) =>
        phone.marked(`${before}«${n}»`),
      ),
      { numRuns: 120 },
    );
  });
});

describe('a USPS tracking number printed in its groups', () => {
  it('is no phone, card or SSN number', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'Bestellung ', '2026-12-07,', 'tracking ', '処理完了：'),
        uspsTracking,
        fc.constantFrom('', ',ok', ' wurde versandt.', '。'),
        (before, t, after) => parcel.kept(`${before}${t}${after}`),
      ),
      { numRuns: 150 },
    );
  });

  it('with two blanks, dashes or no-break spaces between its groups too (about 6 % lost digits as a card)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'Bestellung ', 'tracking: ', '処理完了：'),
        uspsTrackingWritten,
        fc.constantFrom('', ',ok', ' wurde versandt.', '。'),
        (before, t, after) => parcel.kept(`${before}${t}${after}`),
      ),
      { numRuns: 200 },
    );
  });

  it('a card among groups of another layout is still masked', () => {
    for (const text of [
      '9600 4111 1111 1111 1111 45', // not 91-95
      '9400 4111 1111 1111 1111 451', // a last group of three
      '9400 4111 1111 1111 1111', // no last group
      'x9400 4111 1111 1111 1111 45', // glued to a letter
      '9400-4111-1111-1111-1111-451', // a last group of three
      '9400-4111 1111 1111 1111-45', // separators mixed
      '9400  4111 1111 1111 1111  45',
      '9600\u00a04111\u00a01111\u00a01111\u00a01111\u00a045', // not 91-95
      '9400---4111---1111---1111---1111---45', // three dashes
    ])
      parcel.found(text, '4111 1111 1111 1111', 'payment-card');
    phone.marked('9400 «0638 8306 6814» 1846 245');
  });
});

describe('through real SDK providers with the default policy', () => {
  it('log bodies: the numbers are not exported, the look-alikes are exported as written', () => {
    for (const [text, secret] of [
      ['Tel.: 8 (495) 525-76-11', '525-76-11'],
      ['phone: 8-916-153-66-25', '153-66-25'],
      ['tel: 06 1 323 4208', '323 4208'],
      ['Tel. 01 543178', '543178'],
      ['Handy 093935 85907', '85907'],
      ['8 (495) 525-76-11', '525-76-11'],
      ['手机：13800138000', '13800138000'],
      ['Celular: (11) 91234-5678', '91234-5678'],
      ['Móvil: 612 345 678', '612 345 678'],
      ['phone +33 6 00 09 33 16', '00 09 33 16'],
      ['联系方式：13800138000', '13800138000'],
      ['Cel: 11 98765-4321', '98765-4321'],
      ['movil: 612 345 678', '612 345 678'],
      ['SĐT: 0912345678', '0912345678'],
      ['8 (8452) 12-34-56', '12-34-56'],
      ['Tel. 8 916 1536625', '1536625'],
    ])
      expect(pipeline.exported(text), text).not.toContain(secret);
    for (const text of [
      'INFO completed job 094-313-412 in 1.2s',
      'lot 01 625965',
      'batch 088909 43342',
      'Rechnung 06 1 372 5262',
      'артикул 8 465 883-99-89',
      'Bestellung 11 98765-4321 versandt',
      'artikel 8 916 1536625',
      'Bestellung 03952-2838 wurde versandt.',
      'Bestellung 9400 3638 1739 4391 3612 45 wurde versandt.',
      '2026-12-07,9400 0638 8306 6814 1846 24,ok,12',
    ])
      expect(pipeline.exported(text), text).toContain(JSON.stringify(text).slice(1, -1));
  });
});
