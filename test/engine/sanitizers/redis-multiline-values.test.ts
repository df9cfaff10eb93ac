import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeMemcached } from '../../../engine/sanitizers/memcached-sanitizer';
import { isRedisCommand, sanitizeRedis } from '../../../engine/sanitizers/redis-sanitizer';

/**
 * A value that holds a line break: instrumentations join a command's arguments with blanks without quoting them
 * (`SET note:1 line one\nsecret words`), a client may quote them (`SET k "a\nb"`), and the RESP form puts every
 * argument on a line of its own. The line after the break is no command: none of its words may be exported.
 */
const word = fc.stringMatching(/^[a-z]{3,10}$/);
/** A line that starts with a command name is read as a command (documented limit): the next line's first word is none. */
const notCommand = word.filter((w) => !isRedisCommand(w));
const breakKind = fc.constantFrom('\n', '\r\n');

describe('Redis sanitizer: a value across lines is never exported', () => {
  it('an unquoted value with a line break (arguments joined with blanks)', () => {
    fc.assert(
      fc.property(
        word,
        notCommand,
        breakKind,
        fc.constantFrom('SET note:1', 'HSET h:1 f', 'LPUSH l:1', 'PUBLISH chan'),
        (a, b, br, head) => {
          const out = sanitizeRedis(`${head} ${a}4711${br}${b} tail`);
          expect(out.split(/\s+/)).not.toContain(b);
          expect(out.split(/\s+/)).not.toContain(`${a}4711`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a quoted value with a line break', () => {
    fc.assert(
      fc.property(word, notCommand, breakKind, fc.constantFrom('"', "'"), (a, b, br, q) => {
        const out = sanitizeRedis(`SET note:1 ${q}${a}${br}${b} more${q} EX 60`);
        expect(out).not.toContain(b);
        expect(out).not.toContain(a);
      }),
      { numRuns: 200 },
    );
  });

  it('the RESP form: every argument on a line of its own', () => {
    expect(sanitizeRedis('*3\r\n$3\r\nSET\r\n$9\r\nuser:4711\r\n$4\r\njane\r\n')).not.toMatch(/jane/);
  });

  it('a pipeline of known commands keeps its commands and key shapes', () => {
    expect(sanitizeRedis('MULTI\nSET user:4711 jane\nINCR visits:2024\nEXEC')).toBe(
      'MULTI\nSET user:? ?\nINCR visits:?\nEXEC',
    );
    expect(sanitizeRedis('GET a:1\r\nget b:2')).toBe('GET a:?\nget b:?');
  });
});

describe('Memcached sanitizer: a data block across lines is never exported', () => {
  it('a data block holding line breaks (its length counts them)', () => {
    fc.assert(
      fc.property(word, word, fc.constantFrom('set', 'add', 'replace', 'append', 'prepend'), (a, b, cmd) => {
        const data = `${a}\r\n${b}`;
        const out = sanitizeMemcached(`${cmd} note:1 0 60 ${data.length}\r\n${data}\r\nget note:1\r\n`);
        expect(out).toBe(`${cmd} note:? 0 60 ${data.length}\nget note:?`);
      }),
      { numRuns: 200 },
    );
  });

  it('a data block after cas and ms (length in the third and second field)', () => {
    expect(sanitizeMemcached('cas k:1 0 0 11 99\r\nhello\r\nworl\r\nget k:1')).toBe('cas k:? 0 0 11 99\nget k:?');
    expect(sanitizeMemcached('ms k:1 11 T60\r\nhello\r\nworl\r\nmg k:1 v')).toBe('ms k:? 11 ?\nmg k:? v');
  });

  it('a line that is no command after the first is masked whole', () => {
    expect(sanitizeMemcached('get k:1\r\njane doe')).toBe('get k:?\n? ?');
  });
});
