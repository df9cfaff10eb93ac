import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';

// Found beside mutation sample 14 (not a mutant): an array longer than the join window is read in overlapping windows
// of whole elements; when the next element is too long to share a window with the one before it, the seam between
// the two was in no window, and a card split across it was exported.
describe('an array over the join window with a value split before or after a long element (attribute-redactor.ts scanJoined)', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['app.*'], default: 'drop' },
    values: { detectors: 'all', action: 'mask' },
  });
  const sanitize = (list: string[]) =>
    policy.sanitizer('logs').sanitize({ 'app.list': list } as never) as Record<string, unknown>;
  const filler = (n: number) => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(n / 27) + 1).slice(0, n);

  it('a card split across a short element and a long one is not exported (the array is dropped: fail closed)', () => {
    for (const total of [4097, 4100, 6000, 20_000]) {
      const e0 = 'card 4111 1111';
      const e1 = '1111 1111 ' + filler(total - e0.length - 12);
      const before = sanitize([e0, e1]);
      expect(JSON.stringify(before) ?? '', String(total)).not.toContain('4111 1111');
      expect('app.list' in before, String(total)).toBe(false);
      // the long element first, the short one after it
      const after = sanitize([filler(total - 24) + ' card 4111 1111', '1111 1111']);
      expect(JSON.stringify(after) ?? '', String(total)).not.toContain('4111 1111');
    }
  });

  it('clean arrays of the same shapes, and a finding inside one element, are read as before', () => {
    const clean = ['order 4711', '1111 items ' + filler(5000)];
    expect(sanitize(clean)['app.list']).toEqual(clean);
    const inside = sanitize(['order 4711', 'card 4111 1111 1111 1111 ' + filler(5000)])['app.list'] as unknown[];
    expect(JSON.stringify(inside)).toContain('[REDACTED:payment-card]');
    expect(JSON.stringify(inside)).not.toContain('4111');
  });
});
