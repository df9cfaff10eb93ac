import { describe, expect, it } from 'vitest';
import { edges } from './helpers';

// docs/detectors.md, `payment-card`: a word and `-` before a number does not hide it (`card-4111…`, `x-4111…`) unless the
// word labels an identifier (`ID-`, `ORD-`, `ticket-`, `invoice-`, `SN-`, …). Every label of the detector's list, in
// each case, alone, after a separator and glued after other letters: short abbreviations label only as a word of
// their own (`po-` but not `bpo-`), whole words also at the end of a longer word (`orderId-`, `shipTicket-`).

const card = edges('payment-card');
const SHORT =
  'id no nr num ord ref inv txn trx tx req sku po so msg evt job run seq pkg upc ean gtin sn lot acct'.split(' ');
const WHOLE =
  'id order invoice ticket case event build batch track tracking shipment isbn serial imei number account'.split(' ');
const N = '4111111111111111';
const hidden = (word: string) =>
  WHOLE.some((w) => word.toLowerCase().endsWith(w)) || SHORT.includes(word.toLowerCase().replace(/^.*[^a-z]/, ''));

describe('payment-card identifier labels', () => {
  it('each label hides the number, in any case, alone or after a separator; glued after letters only a whole word', () => {
    const wrong: string[] = [];
    for (const w of [...SHORT, ...WHOLE])
      for (const form of [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)])
        for (const before of ['', ' ', 'x_', '1', 'q', 'ab', 'Z'])
          for (const after of ['', ' ok']) {
            const label = before.trim() === '' ? form : `${before}${form}`;
            const text = `${before === ' ' ? 'see ' : ''}${label}-${N}${after}`;
            const lead = text.slice(0, text.length - N.length - after.length);
            const want = hidden(label) ? text : `${lead}[X:payment-card]${after}`;
            const found = card.finds(text);
            if (found !== (want !== text)) wrong.push(text);
          }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('words that are no label, and a label cut short or run on, do not hide it', () => {
    for (const w of ['card', 'cc', 'x', 'pan', 'i', 'd', 'nos', 'ords', 'orde', 'ticke', 'ids', 'serials', 'tra', 'ac'])
      card.masks(`${w}-`, N, '');
    card.masks('a label longer than eighteen characters ticket x-', N);
  });
});
