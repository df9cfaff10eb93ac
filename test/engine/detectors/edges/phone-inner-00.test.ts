import fc from 'fast-check';
import { describe, it } from 'vitest';
import { internationalWith00, zeroPaddedSequence } from '../testdata/phone-numbers';
import { edgeScanners } from './secret-edges-helpers';

// `00` is an international prefix only at the start of a number (docs/detectors.md, `phone` row): a later group of an
// international number may start with it (`+33 6 00 09 33 16`, `+44 20 7946 0018`; about 1-2 % of random numbers),
// while a zero-padded sequence (`001 002 003 004`) stays no number. Pre-filter on and off.

const phone = edgeScanners(['phone']);
const context = fc.constantFrom('', 'phone ', 'Tel.: ', 'call ', '{"phone":"', 'contact: ');

describe('phone: a group starting with 00 inside an international number', () => {
  it('the whole number is masked, in any context (was missed whole or cut before the group)', () => {
    fc.assert(
      fc.property(context, internationalWith00, (before, n) =>
        phone.marked(`${before}«${n}»${before.startsWith('{') ? '"}' : ''}`),
      ),
      { numRuns: 200 },
    );
  });

  it('the tester examples', () => {
    for (const n of ['+33 6 00 09 33 16', '+7 495 008-34-44', '+86 138 0013 8000', '+44 20 7946 0018'])
      phone.marked(`phone «${n}»`);
    phone.marked('msisdn «44 20 7946 0018»'); // without its + after a phone word too
  });

  it('a zero-padded sequence stays as written, also after a phone word', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'sequence ', 'phone ', 'ids: '), zeroPaddedSequence, (before, s) =>
        phone.kept(`${before}${s}`),
      ),
      { numRuns: 60 },
    );
  });
});
