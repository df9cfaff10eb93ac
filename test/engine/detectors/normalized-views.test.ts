import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DECODE_ROUNDS,
  base64Runs,
  decodeBase32Text,
  decodeBase64Text,
  decodeHexText,
  hexRuns,
  normalizeView,
} from '../../../engine/detectors/normalizer';
import { needsNormalization } from '../../../engine/detectors/prefilter';
import { createValueScanner } from '../../../engine/detectors/value-scanner';

const scanner = () => createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]' });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('needsNormalization (the pre-pass)', () => {
  it.each([
    'GET /api/v1/orders?page=2 200 12ms',
    'a & b; c',
    '4bf92f3577b34da6a3ce929d0e0e4736',
    'handle_orders_for_the_user',
    'handleOrders49',
    'getUserById2024Async',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    '50% off',
    '',
  ])('clean ASCII %j needs nothing', (text) => {
    expect(needsNormalization(text)).toBe(false);
  });

  it.each([
    'jane＠example.com',
    'a\u200bb',
    '%40',
    'a\\u0040',
    '&#64;',
    '&amp;',
    'am9obkBleGFtcGxlLmNvbQ==',
    `handleOrders49 ${b64url('jane@example.com')}`,
    `/files/${b64('ssn 111-22-3333')}`,
    `x ${Buffer.from('jane@example.com').toString('hex').slice(0, -1)}f`,
  ])('%j needs a view', (text) => {
    expect(needsNormalization(text)).toBe(true);
  });
});

describe('the pre-pass is sound: a value it passes has no run the decoders would read', () => {
  // Words of identifiers, user agents and base64 of text, joined by separators: the pre-pass says "nothing to
  // decode" only when every run `base64Runs`/`hexRuns` returns (and every `/` segment) decodes to nothing.
  const word = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9+/_-]{1,40}$/),
    fc.stringMatching(/^[0-9a-fA-F]{10,40}$/),
    fc.stringMatching(/^[A-Z2-7]{8,30}={0,6}$/),
    fc.string({ minLength: 3, maxLength: 30 }).map((s) => b64(s)),
    fc.string({ minLength: 3, maxLength: 30 }).map((s) => b64url(s)),
    fc.string({ minLength: 3, maxLength: 20 }).map((s) => Buffer.from(s).toString('hex')),
    fc.constantFrom('AppleWebKit/537.36', 'handleOrders49', 'Chrome/126.0.0.0', 'KHTML', '15E148', 'x86_64'),
  );
  const value = fc
    .array(fc.tuple(word, fc.constantFrom(' ', '.', '/', ':', '=', '(', ';', '\n', '\r\n', '')), {
      maxLength: 6,
    })
    .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

  it('property', () => {
    fc.assert(
      fc.property(value, (text) => {
        if (needsNormalization(text)) return;
        const runs = base64Runs(text);
        for (let r = 0; r < runs.length; r += 2) {
          const run = text.slice(runs[r], runs[r + 1]);
          for (const candidate of [run, ...run.split('/').filter((p) => p.length >= 16)])
            expect([decodeBase64Text(candidate), decodeBase32Text(candidate)]).toEqual([undefined, undefined]);
        }
        const hex = hexRuns(text);
        for (let r = 0; r < hex.length; r += 2) expect(decodeHexText(text.slice(hex[r], hex[r + 1]))).toBeUndefined();
      }),
      { numRuns: 20000 },
    );
  });
});

describe('normalizeView', () => {
  it.each([
    ['ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'jane@example.com'],
    ['ja\u200bne@ex\u200dample\u2060.com\u202e', 'jane@example.com'],
    ['jane%40example.com', 'jane@example.com'],
    ['jane%2540example.com', 'jane@example.com'],
    ['jane%252540example.com', 'jane@example.com'],
    ['jane\\u0040example.com', 'jane@example.com'],
    ['jane\\u{40}example.com', 'jane@example.com'],
    ['jane\\x40example.com', 'jane@example.com'],
    ['jane&#64;example&#x2E;com', 'jane@example.com'],
    ['jane&commat;example&period;com', 'jane@example.com'],
    ['%EF%BC%A0', '@'],
    ['4111\u00a01111\u20111111\u22121111', '4111 1111-1111-1111'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeView(input)?.text).toBe(expected);
  });

  it('maps every view character back to the original range it came from', () => {
    const input = 'x=ja%2540ne\\u0040b';
    const view = normalizeView(input)!;
    expect(view.text).toBe('x=ja@ne@b');
    const at = view.text.indexOf('@');
    expect(input.slice(view.from[at], view.to[at])).toBe('%2540');
    const second = view.text.lastIndexOf('@');
    expect(input.slice(view.from[second], view.to[second])).toBe('\\u0040');
    expect(input.slice(view.from[0], view.to[view.text.length - 1])).toBe(input);
  });

  it('returns undefined when nothing changes', () => {
    expect(normalizeView('plain text 100%')).toBeUndefined();
  });

  it('stops decoding after a bounded number of rounds', () => {
    let s = '@';
    for (let i = 0; i < MAX_DECODE_ROUNDS + 1; i++) s = encodeURIComponent(s);
    expect(normalizeView(s)!.text).not.toBe('@');
  });
});

describe('normalizeView: invisibles that may stand for a blank', () => {
  // The scanner reads a value a second time with its invisibles as blanks when the view says it removed one that may
  // stand for a blank: one next to printable ASCII or a fullwidth form (`Bearer\u200b<token>`, `202\u2060555`).
  // Emoji sequences (variation selectors, zero-width joiners between emoji) do not pay for that second reading.
  const emoji = fc.constantFrom(
    '\u2764\ufe0f',
    '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}',
    '\u2714\ufe0f',
    '\u{1f44d}\u{1f3fd}',
  );
  it('emoji sequences between blanks leave the flag off; an invisible touching ASCII or fullwidth sets it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), emoji), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const text = parts.map(([w, e]) => `${w} ${e}`).join(' ');
          expect({ text, invisibles: normalizeView(text)?.invisibles }).toEqual({ text, invisibles: undefined });
          expect(normalizeView(`${text} a\u200bb`)?.invisibles).toBe(true);
          expect(normalizeView(`${text} \u200bb`)?.invisibles).toBe(true);
          expect(normalizeView(`${text} \uff11\u2060\uff12`)?.invisibles).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('base64 runs', () => {
  it('finds runs with mixed case and decodes printable ones', () => {
    const text = `id=${b64('jane@example.com')} trace 4bf92f3577b34da6a3ce929d0e0e4736`;
    const runs = base64Runs(text);
    expect(runs.length).toBe(2);
    expect(decodeBase64Text(text.slice(runs[0], runs[1]))).toBe('jane@example.com');
    expect(decodeBase64Text(b64url('\u0000\u0001binary\u0002'))).toBeUndefined();
  });
});

describe('hex, base32 and wrapped base64 runs', () => {
  const hex = (s: string) => Buffer.from(s).toString('hex');

  it('finds hex runs whose first bytes are text, and skips digests and trace ids without decoding', () => {
    const text = `a=${hex('jane@example.com')} t=4bf92f3577b34da6a3ce929d0e0e4736 x=0x${hex('card 4111')}`;
    const runs = hexRuns(text);
    expect(runs.map((r, i) => (i % 2 === 0 ? text.slice(r, runs[i + 1]) : '')).filter(Boolean)).toEqual([
      hex('jane@example.com'),
      hex('card 4111'),
    ]);
    expect(decodeHexText(hex('jane@example.com'))).toBe('jane@example.com');
    expect(decodeHexText('00ff00ff00ff00ff')).toBeUndefined();
    expect(needsNormalization('sha1 9f86d081884c7d659a2feaf0c55ad015a3bf4f1b')).toBe(false);
    expect(needsNormalization(`x ${hex('jane@example.com')}`)).toBe(true);
  });

  it('decodes RFC 4648 base32 text, padded or not', () => {
    expect(decodeBase32Text('NJQW4ZJOMRXWKQDFPBQW24DMMUXGG33N')).toBe('jane.doe@example.com');
    expect(decodeBase32Text('GEXDCLRRFYYQ====')).toBe('1.1.1.1');
    expect(decodeBase32Text('HANDLEORDERSFORUSER')).toBeUndefined();
    expect(decodeBase32Text('am9obkBleGFtcGxl')).toBeUndefined();
  });

  it('reads base64 wrapped at 76 (MIME) or 64 (PEM) columns as one run', () => {
    const letter = 'Dear customer, thanks. Please write to jane.doe@example.com for help with your order.';
    for (const width of [76, 64]) {
      const wrapped = Buffer.from(letter)
        .toString('base64')
        .replace(new RegExp(`(.{${width}})(?=.)`, 'g'), '$1\r\n');
      const runs = base64Runs(wrapped);
      expect(runs).toEqual([0, wrapped.length]);
      expect(decodeBase64Text(wrapped)).toBe(letter);
      expect(scanner().redact(`body: ${wrapped} end`)).toBe('body: [email] end');
    }
    // Short lines are separate values, not a wrapped run.
    expect(base64Runs('QWxhZGRpbjpvcGVu\nIHNlc2FtZQ==').length).toBe(4);
  });
});

describe('the scanner masks what the normalized views find, on the original', () => {
  it.each([
    ['mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ now', 'mail [email] now'],
    ['mail ja\u200bne@example.com now', 'mail [email] now'],
    ['to=jane%2540example.com&x=1', 'to=[email]&x=1'],
    ['{"e":"jane\\u0040example.com"}', '{"e":"[email]"}'],
    ['<a>jane&#64;example.com</a>', '<a>[email]</a>'],
    ['card ４１１１ １１１１ １１１１ １１１１ ok', 'card [payment-card] ok'],
    ['card 4111\u00a01111\u00a01111\u00a01111 ok', 'card [payment-card] ok'],
    ['ssn\u00a0123\u201145\u20116789', 'ssn\u00a0[us-ssn]'],
    [`user ${b64('jane@example.com')} here`, 'user [email] here'],
    [`u=${b64url('{"email":"jane@example.com"}')}`, 'u=[email]'],
    [`nested ${b64(b64('card 4111111111111111'))}`, 'nested [payment-card]'],
    ['path /users/Abcdefghijklmnopq/orders', 'path /users/Abcdefghijklmnopq/orders'],
    ['mail john.doe@example\u3002com now', 'mail [email] now'],
    ['mail john.doe@example\uff61co\u3002uk now', 'mail [email] now'],
    [`hex ${Buffer.from('ssn 123-45-6789').toString('hex')} end`, 'hex [us-ssn] end'],
    ['b32 NJQW4ZJOMRXWKQDFPBQW24DMMUXGG33N end', 'b32 [email] end'],
  ])('%j → %j', (input, expected) => {
    expect(scanner().redact(input)).toBe(expected);
  });

  it('counts findings of the views and hashes the original text', () => {
    const s = createValueScanner({ detectors: 'all', action: 'hash', mask: '', hash: (t) => `h(${t})` });
    expect(s.redact('x ja\u200bne@example.com')).toBe('x h(ja\u200bne@example.com)');
    expect(s.findings.email).toBe(1);
  });

  it('can be switched off', () => {
    const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', normalize: false });
    expect(s.redact('mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ');
  });
});

describe('redactTransformed: a finding in the raw value masks the rewritten one', () => {
  it('masks a token whose context the rewrite removed', () => {
    const s = scanner();
    expect(
      s.redactTransformed('/cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA', '/cb?token=REDACTED 2YotnFZFEjr1zCsicMWpAA'),
    ).toBe('/cb?token=REDACTED [bearer-token]');
    expect(s.findings['bearer-token']).toBe(1);
  });

  it('leaves the output alone when the raw finding is gone from it', () => {
    const s = scanner();
    expect(
      s.redactTransformed('https://example.com/?email=jane@example.com', 'https://example.com/?email=REDACTED'),
    ).toBe('https://example.com/?email=REDACTED');
  });
});

describe('control characters and digits of other scripts (found by an outside-style attack)', () => {
  it.each([
    ['canary.x\u0000@example.test', '[email]'],
    [
      'c\u0000a\u0000n\u0000a\u0000r\u0000y\u0000.\u0000x\u0000@\u0000e\u0000x\u0000a\u0000m\u0000p\u0000l\u0000e\u0000.\u0000t\u0000e\u0000s\u0000t',
      '[email]',
    ],
    [
      'card \u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661',
      'payment-card',
    ],
    [
      'card \u096a\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967',
      'payment-card',
    ],
    [
      'card \u0e54\u0e51\u0e51\u0e51 \u0e51\u0e51\u0e51\u0e51 \u0e51\u0e51\u0e51\u0e51 \u0e51\u0e51\u0e51\u0e51',
      'payment-card',
    ],
    ['ssn \u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669', 'us-ssn'],
  ])('%j is found', (text, type) => {
    const out = scanner().redact(text);
    expect(out).toContain(type.startsWith('[') ? type : `[${type}]`);
  });

  it('digits of other scripts map to their ASCII value in the view', () => {
    expect(normalizeView('\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669')?.text).toBe('0123456789');
    expect(normalizeView('\u0e50\u0e59')?.text).toBe('09');
  });

  it('tab, LF and CR stay; text without controls or non-ASCII still needs no view', () => {
    expect(needsNormalization('a\tb\nc\rd')).toBe(false);
    expect(needsNormalization('a\u0000b')).toBe(true);
  });
});
