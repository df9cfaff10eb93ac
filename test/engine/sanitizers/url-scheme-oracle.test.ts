import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostPortLength, schemeLength } from '../../../engine/sanitizers/url-sanitizer';

// The URL sanitizer reads a value's leading scheme and `host:port` by hand; the property: on any value they measure
// what these regexes (their specification, the sanitizer's earlier code) match.
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:/;
const HOST_PORT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}(?=[/?#]|$)/;

const unit = fc.constantFrom('a', 'Z', 'h', '0', '7', '+', '.', '-', ':', '/', '?', '#', '@', '_', ' ', '%', 'é');
/** A run of `length` copies of one character (lengths around the regexes' bounds: 31/32 and 253/254, 5/6 digits). */
const run = (chars: string, lengths: number[]) =>
  fc.tuple(fc.constantFrom(...chars.split('')), fc.constantFrom(...lengths)).map(([c, n]) => c.repeat(n));
const built = fc
  .array(
    fc.oneof(
      unit,
      run('a0.-+', [0, 1, 30, 31, 32, 33, 252, 253, 254]),
      run('0123456789', [1, 4, 5, 6]),
      fc.constantFrom('https://', 'localhost:8080', 'h:1/', 'mailto:', '//'),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

describe('URL sanitizer: scheme and host:port read by hand', () => {
  it('measure what the regexes match, on built and arbitrary values', () => {
    fc.assert(
      fc.property(fc.oneof(built, fc.string({ maxLength: 40 }), fc.string({ unit, maxLength: 40 })), (value) => {
        expect(schemeLength(value)).toBe(SCHEME.exec(value)?.[0].length ?? 0);
        expect(hostPortLength(value)).toBe(HOST_PORT.exec(value)?.[0].length ?? 0);
      }),
      { numRuns: 20000 },
    );
  });

  it('find each form (the property is not vacuous)', () => {
    expect(schemeLength('https://shop.example/users/1')).toBe(6);
    expect(schemeLength('a'.repeat(32) + ':x')).toBe(33);
    expect(schemeLength('a'.repeat(33) + ':x')).toBe(0);
    expect(hostPortLength('localhost:8080/users/1')).toBe(14);
    expect(hostPortLength('localhost:80808/x')).toBe(15);
    expect(hostPortLength('localhost:808080/x')).toBe(0);
    expect(hostPortLength('h'.repeat(253) + ':1')).toBe(255);
    expect(hostPortLength('h'.repeat(254) + ':1')).toBe(0);
  });
});
