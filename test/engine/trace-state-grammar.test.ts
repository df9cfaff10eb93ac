import { describe, expect, it } from 'vitest';
import {
  MAX_TRACE_STATE_INPUT_LENGTH,
  TraceStateFilter,
  isTraceStateKey,
  isTraceStateValue,
} from '../../engine/trace-state';

// Boundaries of the W3C tracestate grammar and of the filter's list parsing that the mutation run of
// engine/trace-state.ts found unpinned (docs/mutation-testing.md). Each character class is tested at both ends.

describe('tracestate key grammar at its boundaries', () => {
  it('simple keys: first character a-z, then [_0-9a-z-*/], nothing else', () => {
    for (const k of ['a', 'z', 'az', 'zz', 'a0', 'a9', 'a_', 'a-', 'a*', 'a/'])
      expect(isTraceStateKey(k), k).toBe(true);
    // just outside each range: ` { . : @-less A
    for (const k of ['`', '{', 'a{', 'a`', 'a.', 'a:', 'aA', 'a+', 'a ']) expect(isTraceStateKey(k), k).toBe(false);
  });

  it('multi-tenant keys: tenant starts with a-z or 0-9, system with a-z, system at most 14 characters', () => {
    for (const k of ['a@a', 'a@z', 'z@v', '0@v', '9@v', 'tz@v', 't-_*/@v', `t@${'v'.repeat(14)}`])
      expect(isTraceStateKey(k), k).toBe(true);
    for (const k of [
      'A@v',
      '`@v',
      '{@v',
      '/@v',
      ':@v',
      '-@v',
      'tE@v',
      't.x@v',
      'a@`',
      'a@{',
      'a@A',
      'a@0',
      'a@vE',
      `t@${'v'.repeat(15)}`,
    ])
      expect(isTraceStateKey(k), k).toBe(false);
  });

  it('values: printable ASCII from space to ~', () => {
    for (const v of ['~', 'a~b', ' a', '!']) expect(isTraceStateValue(v), v).toBe(true);
    for (const v of ['\u007f', 'a\u007f', '\u001f']) expect(isTraceStateValue(v), JSON.stringify(v)).toBe(false);
  });
});

describe('TraceStateFilter list parsing', () => {
  it('drops a last member without "="', () => {
    const f = new TraceStateFilter(['*']);
    expect(f.filter('ok=1,novalue')).toBe('ok=1');
    expect(f.filter('novalue')).toBe('');
  });

  it('keeps the first of a duplicated key in every position', () => {
    const f = new TraceStateFilter(['*']);
    expect(f.filter('ot=th:1,ot=th:2')).toBe('ot=th:1');
    expect(f.filter('a=1,b=2,c=3,b=4,c=5')).toBe('a=1,b=2,c=3');
  });

  it('keeps only sampling fields that are whole: free text before `th:` or `rv:` is no field', () => {
    const f = new TraceStateFilter(['ot']);
    expect(f.filter('ot=p:freetext-th:c')).toBe('');
    expect(f.filter('ot=xth:c;th:8')).toBe('ot=th:8');
    expect(f.filter('ot=th:c-and-more')).toBe('');
  });

  it('reads an input of exactly the longest length, and refuses one character more', () => {
    const f = new TraceStateFilter(['ot']);
    const head = 'ot=th:c,';
    const exact = head + ' '.repeat(MAX_TRACE_STATE_INPUT_LENGTH - head.length);
    expect(exact).toHaveLength(MAX_TRACE_STATE_INPUT_LENGTH);
    expect(f.filter(exact)).toBe('ot=th:c');
    expect(f.filter(`${exact} `)).toBe('');
  });
});
