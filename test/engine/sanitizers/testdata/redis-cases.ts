/**
 * Hand-labeled Redis/Valkey sanitizer cases, written from docs/statements.md ("Redis / Valkey") and the sanitizer's
 * comments, not from its output: each command family and argument rule, with the case at its edge and the nearest
 * case on the other side.
 */
export interface RedisCase {
  readonly rule: string;
  readonly input: string;
  readonly expected: string;
}

const word24 = 'abcdefghijklmnopqrstuvwx'; // 24 letters
const word25 = `${word24}y`;
const name32 = `x${'y'.repeat(31)}`;
const name33 = `x${'y'.repeat(32)}`;
const part40 = 'p'.repeat(40);
const part41 = 'p'.repeat(41);

export const REDIS_CASES: readonly RedisCase[] = [
  // One key, then values.
  { rule: 'first key, then values and options', input: 'SET cache:jane jane@example.com PX 500 XX GET', expected: 'SET cache:jane ? PX ? XX GET' },
  { rule: 'first key only', input: 'EXPIRE session:8f3a 60', expected: 'EXPIRE session:? ?' },
  { rule: 'a key-only command without arguments', input: 'GET', expected: 'GET' },
  { rule: 'JSON.SET path and document', input: 'JSON.SET doc:42 $.email "jane@example.com"', expected: 'JSON.SET doc:? ? ?' },
  // Every argument a key.
  { rule: 'all keys', input: 'SUNIONSTORE out:1 set:a set:b', expected: 'SUNIONSTORE out:? set:a set:b' },
  { rule: 'all keys: KEYS pattern', input: 'KEYS user:*', expected: 'KEYS user:?' },
  // Pairs.
  { rule: 'MSETNX pairs', input: 'MSETNX a:1 x b:2 y', expected: 'MSETNX a:? ? b:? ?' },
  { rule: 'MSET with a dangling key', input: 'MSET a:1 x b:2', expected: 'MSET a:? ? b:?' },
  // Two keys.
  { rule: 'two keys then options', input: 'LMOVE src:1 dst:2 LEFT RIGHT', expected: 'LMOVE src:? dst:? LEFT RIGHT' },
  { rule: 'two keys then a value', input: 'SMOVE src:1 dst:2 jane', expected: 'SMOVE src:? dst:? ?' },
  { rule: 'two keys, one given', input: 'RENAME only:1', expected: 'RENAME only:?' },
  // Keys then a timeout.
  { rule: 'keys then timeout', input: 'BZPOPMIN z:a z:b 0.5', expected: 'BZPOPMIN z:a z:b ?' },
  { rule: 'only the timeout', input: 'BLPOP 5', expected: 'BLPOP ?' },
  { rule: 'the last argument is the timeout, not a key', input: 'BLPOP q:a jane', expected: 'BLPOP q:a ?' },
  // Scripts and numkeys.
  { rule: 'EVAL numkeys 0', input: 'EVAL "return 1" 0 jane 4711', expected: 'EVAL ? 0 ? ?' },
  { rule: 'FCALL numkeys 1', input: 'FCALL fn 1 k:1 jane', expected: 'FCALL ? 1 k:? ?' },
  { rule: 'numkeys larger than the arguments', input: 'EVALSHA abc 3 k:1', expected: 'EVALSHA ? 3 k:?' },
  { rule: 'numkeys of 6 digits is a count', input: 'EVAL s 000001 k:1 jane', expected: 'EVAL ? 000001 k:? ?' },
  { rule: 'numkeys of 7 digits is a value', input: 'EVAL s 0000001 k:1 jane', expected: 'EVAL ? ? ? ?' },
  { rule: 'numkeys not a number', input: 'EVAL s x k:1 jane', expected: 'EVAL ? ? ? ?' },
  { rule: 'numkeys negative', input: 'EVAL s -1 k:1', expected: 'EVAL ? ? ?' },
  { rule: 'SINTERCARD numkeys, keys, LIMIT', input: 'SINTERCARD 2 s:1 s:2 LIMIT 5', expected: 'SINTERCARD 2 s:? s:? LIMIT ?' },
  { rule: 'ZUNION numkeys then WITHSCORES', input: 'ZUNION 1 z:1 WITHSCORES', expected: 'ZUNION 1 z:? WITHSCORES' },
  { rule: 'LMPOP numkeys not a count', input: 'LMPOP jane l:1 LEFT', expected: 'LMPOP ? ? LEFT' },
  {
    rule: 'ZUNIONSTORE destination, numkeys, keys, weights',
    input: 'ZUNIONSTORE out:1 2 z:1 z:2 WEIGHTS 1 2',
    expected: 'ZUNIONSTORE out:? 2 z:? z:? WEIGHTS ? ?',
  },
  { rule: 'ZUNIONSTORE without a count: the destination only', input: 'ZUNIONSTORE out:1 x z:1', expected: 'ZUNIONSTORE out:? ? ?' },
  // Operation / subcommand words: plain words of at most 24 characters.
  { rule: 'BITOP operation of 24 letters', input: `BITOP ${word24} d:1 s:1`, expected: `BITOP ${word24} d:? s:?` },
  { rule: 'BITOP operation of 25 letters', input: `BITOP ${word25} d:1 s:1`, expected: 'BITOP ? d:? s:?' },
  { rule: 'subcommand of 24 characters', input: `CONFIG ${word24} jane`, expected: `CONFIG ${word24} ?` },
  { rule: 'subcommand of 25 characters', input: `CONFIG ${word25} jane`, expected: 'CONFIG ? ?' },
  { rule: 'subcommand with - and .', input: 'CLIENT NO-EVICT.x on', expected: 'CLIENT NO-EVICT.x ?' },
  { rule: 'subcommand with a digit', input: 'CLIENT SETNAME2 jane', expected: 'CLIENT ? ?' },
  { rule: 'a number where the subcommand is: a value', input: 'CONFIG 123456 jane', expected: 'CONFIG ? ?' },
  { rule: 'subcommand values: an option-like password', input: 'CONFIG SET requirepass count', expected: 'CONFIG SET ? ?' },
  { rule: 'BITOP operation with @', input: 'BITOP jane@x d:1', expected: 'BITOP ? d:?' },
  // No keys: AUTH and HELLO keep only their name; SCAN keeps option words.
  { rule: 'AUTH: a password that is an option word', input: 'AUTH default count', expected: 'AUTH ? ?' },
  { rule: 'HELLO with AUTH', input: 'HELLO 3 AUTH default nx', expected: 'HELLO ? ? ? ?' },
  // MIGRATE takes `AUTH password` / `AUTH2 user password`: only its name is kept.
  {
    rule: 'MIGRATE with AUTH: a password of letters',
    input: 'MIGRATE host 6379 key 0 5000 AUTH hunterfake',
    expected: 'MIGRATE ? ? ? ? ? ? ?',
  },
  {
    rule: 'MIGRATE with AUTH2',
    input: 'MIGRATE host 6379 "" 0 5000 COPY AUTH2 default hunterfake KEYS a b',
    expected: 'MIGRATE ? ? ? ? ? ? ? ? ? ? ? ?',
  },
  { rule: 'SCAN keeps MATCH and COUNT', input: 'SCAN 0 MATCH user:* COUNT 100', expected: 'SCAN ? MATCH ? COUNT ?' },
  { rule: 'unknown command: an option-like value', input: 'ACME.SET k limit', expected: 'ACME.SET ? ?' },
  // Option words: letters only, in any case.
  { rule: 'option word in lower case', input: 'zadd z:1 nx ch 1 jane', expected: 'zadd z:? nx ch ? ?' },
  { rule: 'option glued to its value', input: 'SET k:1 v EX60', expected: 'SET k:? ? ?' },
  { rule: 'a value that is not an option word', input: 'SET k:1 v EXPIRE', expected: 'SET k:? ? ?' },
  // Command names.
  { rule: 'command name with a digit after the first letter', input: 'ACME2 jane', expected: 'ACME2 ?' },
  { rule: 'command name starting with a digit', input: '2ACME jane', expected: '? ?' },
  { rule: 'command name with a character below 0 after its first letter', input: 'x-4711 jane', expected: '? ?' },
  { rule: 'command name with + or / after its first letter', input: 'jane+doe/x 1', expected: '? ?' },
  { rule: 'command name of 32 characters', input: `${name32} jane`, expected: `${name32} ?` },
  { rule: 'command name of 33 characters', input: `${name33} jane`, expected: '? ?' },
  // Key shape.
  { rule: 'every delimiter', input: 'GET a:1/b|2#c{3}d=4,e', expected: 'GET a:?/b|?#c{?}d=?,e' },
  { rule: 'empty segments kept', input: 'GET a::b', expected: 'GET a::b' },
  { rule: 'dotted words kept', input: 'GET cache.users:rate-limit', expected: 'GET cache.users:rate-limit' },
  { rule: 'dotted part of 40 letters kept', input: `GET a.${part40}:x`, expected: `GET a.${part40}:x` },
  { rule: 'dotted part of 41 letters masked', input: `GET a.${part41}:x`, expected: 'GET ?:x' },
  { rule: 'undotted segment of 41 letters', input: `GET ${part41}:x`, expected: `GET ?:x` },
  { rule: 'empty dotted part masked', input: 'GET a..b:x', expected: 'GET ?:x' },
  { rule: 'leading or trailing dot masked', input: 'GET .a:b.', expected: 'GET ?:?' },
  { rule: 'a segment with a blank (quoted)', input: 'GET "jane doe:profile"', expected: 'GET "?:profile"' },
  { rule: 'single-quoted key', input: "GET 'user:4711'", expected: "GET 'user:?'" },
  { rule: 'unterminated quoted key', input: 'GET "user:4711', expected: 'GET ?:?' },
  { rule: 'a lone quote as a key', input: 'GET "', expected: 'GET ?' },
  { rule: 'an empty quoted key', input: 'GET ""', expected: 'GET ""' },
  { rule: 'a tab separates arguments', input: 'SET user\tjane', expected: 'SET user ?' },
  { rule: 'a CR ends the last argument', input: 'GET user\r\nGET x', expected: 'GET user\nGET x' },
  { rule: 'numkeys 9 is a count', input: 'EVAL s 9 k:1', expected: 'EVAL ? 9 k:?' },
  { rule: 'EVAL without numkeys', input: 'EVAL s', expected: 'EVAL ?' },
  { rule: 'escaped quote inside a "…" value', input: 'SET k "a \\" b" EX 1', expected: 'SET k ? EX ?' },
  { rule: "no escape inside '…'", input: "SET k 'a \\' b EX 1", expected: 'SET k ? ? EX ?' },
  // Lines and the instrumentation note.
  { rule: 'CRLF lines', input: 'SET a:1 v\r\nGET b:2', expected: 'SET a:? ?\nGET b:?' },
  { rule: 'an empty line kept', input: 'MULTI\n\nEXEC', expected: 'MULTI\n\nEXEC' },
  { rule: 'note with one argument', input: 'SET k:1 [1 other argument]', expected: 'SET k:? [1 other argument]' },
  { rule: 'note of 9 digits', input: 'SET k:1 [123456789 other arguments]', expected: 'SET k:? [123456789 other arguments]' },
  { rule: 'note of 10 digits is no note', input: 'SET k:1 [1234567890 other arguments]', expected: 'SET k:? ? ? ?' },
  { rule: 'note alone', input: ' [2 other arguments]', expected: '[2 other arguments]' },
  { rule: 'note not at the end is a value', input: 'SET k:1 [2 other arguments] jane', expected: 'SET k:? ? ? ? ?' },
];
