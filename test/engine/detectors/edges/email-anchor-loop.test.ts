import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { scannersFor } from './helpers';

// The anchor loop of the `@` search (docs/detectors.md, `email` row): the two anchors `@` and `%40` taken in the
// order they appear, and an address whose local part is read back over the address found before it (its tail, or a
// comment holding it).

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

/** The value scanner's output for `text`, with and without the pre-filter (both must agree). */
function masked(text: string): string {
  const [a, b] = scannersFor('email').map((s) => s.scan(text).value);
  expect(b, JSON.stringify(text)).toBe(a);
  return a!;
}

describe('email: the @ and %40 anchors in the order they appear', () => {
  it('an encoded @ before a plain one and after it: both addresses, each from its own anchor', () => {
    // The detector is read alone: the scanner's decoded view would find the encoded address on its own.
    expect(found('jane.doe%40example.com wrote to john.roe@example.org')).toEqual([
      'jane.doe%40example.com',
      'john.roe@example.org',
    ]);
    expect(found('john.roe@example.org wrote to jane.doe%40example.com')).toEqual([
      'john.roe@example.org',
      'jane.doe%40example.com',
    ]);
    expect(found('a%40example.com b@example.org c%40example.net')).toEqual([
      'a%40example.com',
      'b@example.org',
      'c%40example.net',
    ]);
  });
});

describe('email: a local part read back over the address found before it', () => {
  it('a comment holding an address: the address around it is masked whole', () => {
    expect(found('jane(x@example.com)@example.org')).toEqual(['x@example.com', 'jane(x@example.com)@example.org']);
    expect(masked('mail jane.doe(john.roe@example.com)@example.org ok')).toBe('mail [X:email] ok');
  });

  it('after an @ that is no part of the address before (a mention): still an address', () => {
    // `@jane(x@example.com)@example.org` exported `jane` and `@example.org`: the `@` before `jane` was read as the
    // one of the address in the comment, as if `jane(…)` were that address's tail.
    expect(masked('@jane(x@example.com)@example.org')).toBe('@[X:email]');
    expect(masked('cc @jane.doe(john.roe@example.com)@example.org ok')).toBe('cc @[X:email] ok');
  });

  it('a local part of 64 characters reaching back into the domain before: one mask over both', () => {
    // The domain before ends at its glued top-level domain (`com2026x`); the next local part is its last 64 characters.
    const domain = `${'a'.repeat(60)}.example.com`;
    expect(found(`jane@${domain}2026x@example.org`)).toEqual([
      `jane@${domain}`,
      `${domain.slice(13)}2026x@example.org`,
    ]);
    expect(masked(`jane@${domain}2026x@example.org`)).toBe('[X:email]');
  });

  it('after an @, a local part holding the %40 of the address before: the address around it', () => {
    expect(found('@jane%40example.com@example.org')).toEqual(['jane%40example.com', 'jane%40example.com@example.org']);
  });

  it("the domain of the address before is that address's tail, not a local part", () => {
    expect(found('jane@example.com@host.example.org')).toEqual(['jane@example.com']);
    expect(masked('jane@example.com @example.org')).toBe('[X:email] @example.org');
  });
});

describe('email: a URL path segment starting with @', () => {
  it("after a URL's host: a profile handle, no local part", () => {
    expect(masked('see https://medium.com/@jane.doe now')).toBe('see https://medium.com/@jane.doe now');
    expect(found('https://medium.com/@jane.doe/posts')).toEqual([]);
  });

  it('an address after // is one (userinfo, a local part ending with a dot)', () => {
    expect(found('ftp://jane.doe@example.com/x')).toEqual(['jane.doe@example.com']);
    expect(found('//jane.doe.@example.com')).toEqual(['jane.doe.@example.com']);
  });
});

describe('email: braces in a local part', () => {
  it('a second closing brace without its opening one ends the run', () => {
    expect(found('x}y}jane@example.com')).toEqual(['jane@example.com']);
    expect(found('a}b{c}@example.com')).toEqual(['b{c}@example.com']);
  });
});

describe('email: a domain read again with _ in a label', () => {
  it('blanks around the @ still need a common top-level domain', () => {
    expect(masked('svc @ node_1.cluster.local')).toBe('svc @ node_1.cluster.local');
  });

  it('a label ending with _, and a last label cut at its _ after a . or -', () => {
    expect(masked('jane@sub.example_.com')).toBe('[X:email]');
    expect(masked('jane@sub_domain.example.com._x')).toBe('[X:email]._x');
    expect(masked('jane@sub_domain.example.com-_x')).toBe('[X:email]-_x');
  });

  it('after more than 253 characters of text: the reading up to the _ is found as at the start', () => {
    // The search for the `_` counts from the domain's start, not from the text's.
    const before = `${'w'.repeat(260)} `;
    expect(found(`${before}jane@example.com2026_x.org`)).toEqual(['jane@example.com2026_x.org']);
    expect(found('jane@example.com2026_x.org')).toEqual(['jane@example.com2026_x.org']);
  });
});

describe('email: folding white space after the @', () => {
  it('blanks: two, then a line break, then up to four characters a step, three steps', () => {
    expect(found(`x jane@${' '.repeat(12)}example.com y`)).toEqual([`jane@${' '.repeat(12)}example.com`]);
    expect(found(`x jane@${' '.repeat(13)}example.com y`)).toEqual([]);
  });

  it('blanks before a line break are of its step: blank, CRLF, blank and a comment twice', () => {
    expect(found('x jane@ \r\n (c) \r\n (d) example.com y')).toEqual(['jane@ \r\n (c) \r\n (d) example.com']);
    // Three blanks before the line break take a step of their own: the third step ends before the domain.
    expect(found('x jane@   \n(c)   \n(d)example.com y')).toEqual([]);
  });

  it('a comment after the @ needs its closing bracket on the same line', () => {
    expect(found('x jane@(c\nexample.com y')).toEqual([]);
    expect(found('x jane@(c)\nexample.com y')).toEqual(['jane@(c)\nexample.com']);
  });
});
