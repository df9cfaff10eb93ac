import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { base32, utf16be } from './helpers';
import { defaultPipeline } from './secret-edges-helpers';

// The pre-filter's run gates (`runMayDecode`, `pathSegmentMayDecode`, `hexMayDecode` in the normalizer) decide
// whether a clean-ASCII value's base64, base32 and hex runs are decoded at all. They may only answer "maybe" too
// often, never "no" for a run the decoder reads: with the pre-filter on and off the scanner's output must be the
// same. Values here hold an address encoded every way the decoders read (base64 and base64url, padded or not, in a
// `/` path segment, wrapped at 40, 64 and 76 columns; base32; hex with and without a digit glued on; reversed base64;
// gzip; UTF-16 little and big endian with and without a byte order mark), glued to random words, and the same value
// with one character of the run changed.

const options = { detectors: ['email'] as const, action: 'mask' as const, mask: '[X:{type}]', cleanCacheSize: 0 };
const on = createValueScanner({ ...options, detectors: ['email'], prefilter: true });
const off = createValueScanner({ ...options, detectors: ['email'], prefilter: false });

function wrap(s: string, width: number, eol: string): string {
  const lines: string[] = [];
  for (let k = 0; k < s.length; k += width) lines.push(s.slice(k, k + width));
  return lines.join(eol);
}

/** The text encoded: words (ASCII, Latin-1, one other script) before an address. */
const words = fc.array(
  fc.constantFrom('mail', 'to', 'Jane', 'id', 'é', 'über', 'Клиент', '客户', 'x', 'A1', '.', '#'),
  {
    minLength: 0,
    maxLength: 3,
  },
);

type Form = (text: string) => string;
const FORMS: Record<string, Form> = {
  base64: (t) => Buffer.from(t).toString('base64'),
  unpadded: (t) => Buffer.from(t).toString('base64').replace(/=+$/, ''),
  base64url: (t) => Buffer.from(t).toString('base64url'),
  path: (t) => `api/v1/orders/s/users/${Buffer.from(t).toString('base64url')}`,
  wrapped40: (t) => wrap(Buffer.from(t.repeat(3)).toString('base64'), 40, '\n'),
  wrapped64: (t) => wrap(Buffer.from(t.repeat(3)).toString('base64'), 64, '\r\n'),
  wrapped76: (t) => wrap(Buffer.from(t.repeat(3)).toString('base64'), 76, '\r\n'),
  base32: (t) => base32(Buffer.from(t)),
  base32unpadded: (t) => base32(Buffer.from(t)).replace(/=+$/, ''),
  hex: (t) => Buffer.from(t).toString('hex'),
  hexGlued: (t) => `7${Buffer.from(t).toString('hex')}`,
  reversed: (t) => [...Buffer.from(t).toString('base64')].reverse().join(''),
  gzip: (t) => gzipSync(Buffer.from(t)).toString('base64'),
  utf16le: (t) => Buffer.from(t, 'utf16le').toString('base64'),
  utf16be: (t) => utf16be(t).toString('base64'),
  utf16bom: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]).toString('base64'),
  utf16beBom: (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]).toString('base64'),
  utf16leHex: (t) => Buffer.from(t, 'utf16le').toString('hex'),
  utf16beHex: (t) => utf16be(t).toString('hex'),
};

const glue = fc.constantFrom('', ' ', 'data ', 'x=', '"', '/', 'id:', 'a', 'Z9', '(', '\t');

describe('the run gates of the pre-filter never refuse a run the decoder reads', () => {
  it('every encoding of an address, glued to words: the same output with the pre-filter on and off', () => {
    fc.assert(
      fc.property(
        words,
        fc.constantFrom(...Object.keys(FORMS)),
        glue,
        glue,
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('A', 'z', '0', '+', '=', '.', ' ')), { freq: 3 }),
        (w, form, before, after, change) => {
          let run = FORMS[form](`${w.join(' ')} jane.doe@example.com`.trimStart());
          if (change !== null) {
            const k = change[0] % run.length;
            run = run.slice(0, k) + change[1] + run.slice(k + 1);
          }
          const value = before + run + after;
          expect(on.scan(value).value, `${form} ${JSON.stringify(value)}`).toBe(off.scan(value).value);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('and the address is found in each encoding, unchanged', () => {
    for (const [form, encode] of Object.entries(FORMS))
      for (const w of ['', 'mail to ', 'Jane ', 'über ', 'Клиент ', '客户 ']) {
        const value = `data ${encode(`${w}jane.doe@example.com`)} end`;
        const out = on.scan(value);
        expect(out.findings, `${form} ${JSON.stringify(w)}`).toBeGreaterThan(0);
        expect(out.value).toBe(off.scan(value).value);
      }
  });
});

// UTF-16 text of another script after a byte order mark (what Windows writes) was read as UTF-8 and the address in it
// exported: the mark is no script unit, and with it only two units of the text were in the first six bytes.
describe('UTF-16 of another script after a byte order mark', () => {
  it('through real SDK providers with the default policy, the address is not exported', () => {
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('客户 jane.doe@example.com', 'utf16le')]);
    const json = defaultPipeline().exported(`data ${bom.toString('base64')} end`);
    expect(json).not.toContain(bom.toString('base64').slice(-24));
    expect(json).toContain('end');
  });
});
