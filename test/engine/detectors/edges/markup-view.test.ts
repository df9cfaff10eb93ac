import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markupView, mayHoldMarkup } from '../../../../engine/detectors/markup-view';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// The markup view (engine/detectors/markup-view.ts) against a reference written from its documentation: inline HTML
// tags of the listed elements (`<span>`, `</b>`, `<br/>`, `<a href="…">`: the name, then `>`, `/` or a blank), comments
// and declarations (`<!`), processing instructions (`<?`), each up to its `>` within 256 characters and with no `<`
// inside, are taken out; so are line continuations (`\` and LF or CRLF). Each kept character maps to its own place.
// Then the view read through the public value scanner. Fake identities only.

/** The elements the documentation lists as inline markup. */
const INLINE =
  'a abbr b bdi bdo big br cite code data del dfn div em font i ins kbd label li mark nobr p q s samp small span strike strong sub sup td th time tr tt u var wbr'.split(
    ' ',
  );

/** The end (one past `>`) of the markup at `text[i] === '<'`, or -1: the documented rule, written with a regex. */
function referenceTagEnd(text: string, i: number): number {
  const head = /^<(?:[!?]|\/?([A-Za-z]+)[>/ \t])/.exec(text.slice(i, i + 9));
  if (head === null) return -1;
  if (head[1] !== undefined && !INLINE.includes(head[1].toLowerCase())) return -1;
  // the `>` may close the tag from the third character on (`<!>`, `<b>`), at most 256 characters from the `<`
  const body = text.slice(i + 2, Math.min(text.length, i + 256));
  const m = /[<>]/.exec(body);
  return m !== null && m[0] === '>' ? i + 2 + m.index + 1 : -1;
}

/** The markup view by the reference: the kept characters and, for each, the place it came from. */
function reference(text: string): { text: string; from: number[] } | undefined {
  let out = '';
  const from: number[] = [];
  let skipped = false;
  for (let i = 0; i < text.length;) {
    const end = text[i] === '<' ? referenceTagEnd(text, i) : -1;
    const cont = text.startsWith('\\\n', i) ? 2 : text.startsWith('\\\r\n', i) ? 3 : 0;
    if (end !== -1 || cont !== 0) {
      skipped = true;
      i = end !== -1 ? end : i + cont;
      continue;
    }
    out += text[i];
    from.push(i);
    i++;
  }
  return skipped ? { text: out, from } : undefined;
}

/** `markupView(text)` agrees with the reference: same text, each unit from its own place (`to` one past it). */
function agrees(text: string): void {
  const want = reference(text);
  const got = markupView(text);
  if (want === undefined) {
    expect(got, JSON.stringify(text)).toBeUndefined();
    return;
  }
  expect(got, JSON.stringify(text)).toBeDefined();
  expect(got!.text, JSON.stringify(text)).toBe(want.text);
  expect(Array.from(got!.from), JSON.stringify(text)).toEqual(want.from);
  expect(Array.from(got!.to), JSON.stringify(text)).toEqual(want.from.map((p) => p + 1));
}

describe('markupView against the documented rule', () => {
  it('takes out a tag of every listed element (any case, opening and closing, then `>`, `/`, a blank or a tab)', () => {
    for (const name of INLINE)
      for (const n of [name, name.toUpperCase()])
        for (const [open, close] of [
          [`<${n}>`, `</${n}>`],
          [`<${n}/>`, `</${n} >`],
          [`<${n} class="x">`, `</${n}\t>`],
        ]) {
          const text = `jane${open}.doe${close}@example.com`;
          agrees(text);
          expect(markupView(text)?.text, text).toBe('jane.doe@example.com');
        }
  });

  it('leaves names that are not listed, longer, or not followed by `>`, `/` or a blank', () => {
    for (const text of [
      'a <your-password> b',
      'x <id> y',
      'x <strikes> y',
      'x <spanx> y',
      'x <stron> y',
      'x <span-> y',
      'x <span\n> y',
      'x <b2> y',
      'x < b> y',
      'x <> y',
      'x </> y',
      'x <@> y',
      'x <[b]> y',
      'x <`b> y',
      'x <{b}> y',
      // the Kelvin sign lower-cases to an ASCII `k`, but is no ASCII letter: `<Kbd>` written with it is text
      'x <\u212abd> y',
      'x <b\u212a> y',
      'a < b and c > d',
      'x<5>',
    ]) {
      agrees(text);
      expect(markupView(text), text).toBeUndefined();
    }
  });

  it('comments, declarations and processing instructions up to the first `>`', () => {
    for (const text of ['a<!-- x -->b', 'a<!>b', 'a<?>b', 'a<?php x ?>b', 'a<!DOCTYPE html>b', 'a<!-- <b> -->b'])
      agrees(text);
    expect(markupView('a<!>b')?.text).toBe('ab');
    expect(markupView('a<?>b')?.text).toBe('ab');
  });

  it('a tag is at most 256 characters from `<` to `>`; a `<` inside or no `>` leaves it as text', () => {
    for (let len = 250; len <= 260; len++) {
      const tag = `<span title="${'x'.repeat(len - 15)}">`;
      expect(tag).toHaveLength(len);
      const text = `jane.doe${tag}@example.com`;
      agrees(text);
      expect(markupView(text)?.text === 'jane.doe@example.com', String(len)).toBe(len <= 256);
    }
    for (const text of ['a<b c<b>d', 'a<!-- no end', 'a<span', 'a<b', 'a<!', '<!', '<?', '<b', 'a<span x', '<!>'])
      agrees(text);
    expect(markupView('<!>')?.text).toBe('');
    // at the very start of the value: an unclosed tag start there stays whole, the tag after it is taken out
    for (const text of ['<b <b>x', '<!<b>y', '<span <i>z'])
      expect(markupView(text)?.text, text).toBe(text.replace(/<[bi]>/, ''));
    expect(markupView('<b x')).toBeUndefined();
    expect(markupView('a<b c<b>d')?.text).toBe('a<b cd');
  });

  it('joins line continuations (LF and CRLF) and leaves a lone backslash, CR or LF', () => {
    for (const text of ['exam\\\nple', 'exam\\\r\nple', 'exam\\\rple', 'exam\\ \nple', 'a\\', 'a\\\r', '\\\n', 'a\nb'])
      agrees(text);
    expect(markupView('exam\\\r\nple.com')?.text).toBe('example.com');
    expect(markupView('exam\\\rple')).toBeUndefined();
  });

  it('agrees with the reference on texts built from tags, their look-alikes and blanks', () => {
    const piece = fc.constantFrom(
      'j',
      'a',
      '@',
      ' ',
      '\t',
      '<',
      '>',
      '/',
      '!',
      '?',
      '\\',
      '\n',
      '\r',
      'b',
      'span',
      'SPAN',
      'strike',
      'strikes',
      '<b>',
      '</b>',
      '<br/>',
      '<i class="x">',
      '<!-- -->',
      '<?x?>',
      '\\\n',
      '\\\r\n',
      'x'.repeat(120),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => agrees(pieces.join(''))),
      { numRuns: 600 },
    );
  });

  it('mayHoldMarkup: a `<`, or a backslash before LF or CRLF', () => {
    for (const [text, want] of [
      ['a<b', true],
      ['<', true],
      ['a\\\nb', true],
      ['a\\\r\nb', true],
      ['a\\\rb', false],
      ['a\\ b', false],
      ['a>b', false],
      ['a\nb', false],
      ['', false],
    ] as const)
      expect(mayHoldMarkup(text), JSON.stringify(text)).toBe(want);
  });
});

describe('the markup view through the value scanner', () => {
  const scanners = [true, false].map((prefilter) =>
    createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0, prefilter }),
  );

  it('an address split by a line continuation (CRLF or LF) or a tag is found and masked whole', () => {
    for (const s of scanners) {
      for (const text of ['mail jane.doe@exam\\\r\nple.com ok', 'mail jane.doe@exam\\\nple.com ok'])
        expect(s.scan(text).value, JSON.stringify(text)).toBe('mail [email] ok');
      expect(s.scan('mail jane.doe<span>@</span>example.com ok').value).toBe('mail [email] ok');
      expect(s.scan('mail jane.doe<!-- -->@example.com ok').value).toBe('mail [email] ok');
    }
  });

  it('text in angle brackets that is no listed tag is read as it is', () => {
    for (const s of scanners) {
      expect(s.scan('mail jane.doe<id>@example.com ok').types).not.toContain('email');
      expect(s.scan('a <your-password> b').value).toBe('a <your-password> b');
    }
  });
});
