import { describe, expect, it } from 'vitest';
import { decodeBytesText } from '../../../../engine/detectors/normalizer';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { base32, utf16be } from './helpers';

// The first six bytes of an encoded run decide, twice, whether it is read: once in the scanner's pre-filter (its run
// gates may only say "maybe" too often, never "no" for a run the decoder reads) and once in the decoders (UTF-8 or
// UTF-16 text, docs/detectors.md "Normalized views"). Here every byte value stands at every one of the first six
// places of an encoded text before an address, in every encoding the decoders read, and the scanner with the
// pre-filter on must give exactly what it gives with the pre-filter off. Where the documentation says the text is
// read (printable ASCII, tab and line breaks, well-formed UTF-8), the address is masked.

const options = { detectors: ['email'] as const, action: 'mask' as const, mask: '[X:{type}]', cleanCacheSize: 0 };
const on = createValueScanner({ ...options, detectors: ['email'], prefilter: true });
const off = createValueScanner({ ...options, detectors: ['email'], prefilter: false });

const ADDRESS = ' jane.doe@example.com';
const reverse = (s: string) => [...s].reverse().join('');

/** The encodings of bytes the scanner reads, as they stand in a value. */
const FORMS: Record<string, (b: Buffer) => string> = {
  base64: (b) => b.toString('base64'),
  unpadded: (b) => b.toString('base64').replace(/=+$/, ''),
  base64url: (b) => b.toString('base64url'),
  path: (b) => `api/v1/orders/s/users/${b.toString('base64url')}`,
  reversed: (b) => reverse(b.toString('base64')),
  base32: (b) => base32(b),
  hex: (b) => b.toString('hex'),
};

/** Every form masked. */
const ALL = Object.keys(FORMS).join(' ') + ' ';

function check(bytes: Buffer, what: string): string {
  let masked = '';
  for (const [name, form] of Object.entries(FORMS)) {
    const value = `data ${form(bytes)} end`;
    const a = on.scan(value).value;
    const b = off.scan(value).value;
    if (a !== b) expect(a, `${name} ${what}: pre-filter on = off`).toBe(b);
    // Reversed base64 keeps its `=` padding, now at the front (`data =[X:email] end`); base32 padding past two `=`
    // stays after the mask (docs/mutation-testing.md, no data in it).
    if (/^data =*\[X:email\]=* end$/.test(a)) masked += `${name} `;
  }
  return masked;
}

/** Text bytes as the documentation names them: tab, line breaks, printable ASCII. */
const asciiText = (b: number) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127);

describe('every byte value at each of the first six bytes of an encoded text', () => {
  it('single bytes: pre-filter on = off in every encoding; a text byte reads in every encoding', () => {
    for (let k = 0; k < 6; k++) {
      for (let v = 0; v < 256; v++) {
        const bytes = Buffer.from(`Mail: to${ADDRESS}`, 'latin1');
        bytes[k] = v;
        const masked = check(bytes, `byte ${v} at ${k}`);
        if (asciiText(v)) expect(masked, `byte ${v} at ${k}`).toBe(ALL);
      }
    }
  });

  it('two-byte UTF-8 sequences (every lead byte, continuation bytes around their edges) at each place: on = off, well-formed ones read', () => {
    for (let k = 0; k < 5; k++) {
      for (let lead = 0xc0; lead < 0x100; lead++) {
        for (const cont of [0x00, 0x41, 0x7f, 0x80, 0x81, 0xa0, 0xbf, 0xc0, 0xc2]) {
          const bytes = Buffer.from(`Mail: to${ADDRESS}`, 'latin1');
          bytes[k] = lead;
          bytes[k + 1] = cont;
          const masked = check(bytes, `${lead.toString(16)} ${cont.toString(16)} at ${k}`);
          const wellFormed = lead >= 0xc2 && lead < 0xe0 && cont >= 0x80 && cont < 0xc0;
          if (wellFormed) expect(masked, `${lead.toString(16)} ${cont.toString(16)} at ${k}`).toBe(ALL);
        }
      }
    }
  });

  it('three- and four-byte UTF-8 sequences cut at the sixth byte: on = off, well-formed ones read', () => {
    for (const ch of ['\u0800', '\u20ac', '\uffef', '\u{10000}', '\u{10ffff}', '客', '😀']) {
      const enc = Buffer.from(ch);
      for (let k = 0; k < 6; k++) {
        const text = Buffer.concat([Buffer.from('Mail: to'.slice(0, k)), enc, Buffer.from(`xyz${ADDRESS}`)]);
        expect(check(text, `${JSON.stringify(ch)} at ${k}`), `${JSON.stringify(ch)} at ${k}`).toBe(ALL);
        // The same sequence with one continuation byte broken is never read as text.
        for (let j = 1; j < enc.length; j++) {
          const broken = Buffer.from(text);
          broken[k + j] = 0x41;
          check(broken, `${JSON.stringify(ch)} broken at ${k + j}`);
        }
      }
    }
  });
});

describe('UTF-16 text with every Latin-1 character first', () => {
  it('little and big endian, with and without a byte order mark: on = off; Latin-1 letters and ASCII text read', () => {
    for (let u = 0; u < 0x100; u++) {
      const s = `${String.fromCharCode(u)}ane${ADDRESS}`;
      const forms = [
        Buffer.from(s, 'utf16le'),
        utf16be(s),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]),
        Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(s)]),
      ];
      // Tab, line breaks, printable ASCII and the Latin-1 letters U+00C0-U+00FF (not × ÷) start UTF-16 text.
      const text = asciiText(u) || (u >= 0xc0 && u !== 0xd7 && u !== 0xf7);
      for (const bytes of forms) {
        const masked = check(bytes, `U+${u.toString(16)}`);
        if (text) expect(masked, `U+${u.toString(16)}`).toContain('base64 ');
        if (text) expect(decodeBytesText(bytes), `U+${u.toString(16)}`).toBe(s);
      }
    }
  });
});

/** Whether a string is text a person reads (docs/detectors.md: no control characters but tab and line breaks). */
function readable(s: string): boolean {
  let printable = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || c === 0xfffd) return false;
    if (c !== 9) printable++;
  }
  return printable >= s.length * 0.9;
}

describe('decodeBytesText: every code unit in UTF-8 text', () => {
  it('every BMP character (no lone surrogates) after six ASCII bytes is read exactly when the text is readable', () => {
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c < 0xe000) continue;
      for (const s of [`Mail: ${String.fromCharCode(c)}x`, `Mail: to ${String.fromCharCode(c)}`]) {
        const want = readable(s) ? s : undefined;
        const got = decodeBytesText(Buffer.from(s));
        if (got !== want) expect(got, `U+${c.toString(16)} in ${JSON.stringify(s)}`).toBe(want);
      }
    }
  });

  it('nine in ten printable: tabs are not printable, line breaks are', () => {
    for (let len = 6; len <= 40; len++) {
      for (let tabs = 0; tabs <= 6; tabs++) {
        for (const blank of ['\t', '\n', '\r']) {
          const s = 'abcdef'.padEnd(len, 'x').slice(0, len - tabs) + blank.repeat(tabs);
          if (s.length < 6) continue;
          expect(decodeBytesText(Buffer.from(s)), `${len} ${tabs} ${JSON.stringify(blank)}`).toBe(
            readable(s) ? s : undefined,
          );
        }
      }
    }
  });

  it('fewer than six bytes are nothing, six are read', () => {
    expect(decodeBytesText(Buffer.from('abcde'))).toBeUndefined();
    expect(decodeBytesText(Buffer.from('abcdef'))).toBe('abcdef');
    expect(decodeBytesText(Buffer.from('é.é'))).toBeUndefined();
  });
});

describe('the shortest runs the decoders read', () => {
  // Six bytes are the fewest the decoders read: 8 base64 characters before `=` padding, 10 base32 characters before
  // their padding. An address of six characters fits (`a@b.co`), so the pre-filter must let such a run through.
  it('an address of six characters in 8 base64 or 10 base32 characters before padding: masked, on = off', () => {
    const bytes = Buffer.from('a@b.co');
    expect(bytes.toString('base64')).toBe('YUBiLmNv');
    for (const run of ['YUBiLmNv=', 'YUBiLmNv==', base32(bytes), base32(bytes).replace(/=+$/, '==')]) {
      const value = `id ${run} x`;
      expect(off.scan(value).value, run).toMatch(/^id \[X:email\]=* x$/);
      expect(on.scan(value).value, run).toBe(off.scan(value).value);
    }
  });
});
