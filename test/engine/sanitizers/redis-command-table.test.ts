import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRedisCommand, sanitizeRedis } from '../../../engine/sanitizers/redis-sanitizer';

/**
 * An independent list of the Redis/Valkey commands the sanitizer documents as known, written from the command
 * reference (https://redis.io/docs/latest/commands/, grouped as there) and docs/statements.md, not from the
 * sanitizer's table: for each command, which of its arguments are keys. A value argument must come out as `?`
 * (or an option word), a key argument keeps its shape. Roles:
 * - `first`: the first argument is a key, the rest values (`SET k v`, `HSET k f v`, `PUBLISH channel message`);
 * - `all`: every argument a key (`DEL a b`); `pairs`: key, value, key, value (`MSET`);
 * - `two`: two keys, then values (`SMOVE src dst member`);
 * - `timeout`: keys, then a timeout value (`BLPOP a b 5`);
 * - `script`: a script or function (a value), `numkeys`, that many keys, then values (`EVAL`, `FCALL`);
 * - `numkeys`: `numkeys`, that many keys, then options (`SINTERCARD 2 a b LIMIT 1`);
 * - `destNumkeys`: a destination key, `numkeys`, that many keys (`ZUNIONSTORE dst 2 a b`);
 * - `operation`: an operation word, then keys (`BITOP AND dst a b`);
 * - `subcommand`: a subcommand word, then values only (`CONFIG SET name value`, `OBJECT ENCODING key`);
 * - `none`: no keys, every argument a value (`AUTH`, `ECHO`, `SELECT`, `MIGRATE`: its key is masked, fail closed).
 */
type Role =
  | 'first'
  | 'all'
  | 'pairs'
  | 'two'
  | 'timeout'
  | 'script'
  | 'numkeys'
  | 'destNumkeys'
  | 'operation'
  | 'subcommand'
  | 'none';

const groups: Record<string, readonly [Role, string][]> = {
  string: [
    [
      'first',
      'append decr decrby get getdel getex getrange getset incr incrby incrbyfloat psetex set setex setnx setrange strlen substr',
    ],
    ['all', 'mget'],
    ['pairs', 'mset msetnx'],
    ['two', 'lcs'],
  ],
  generic: [
    [
      'first',
      'dump expire expireat expiretime persist pexpire pexpireat pexpiretime pttl restore sort sort_ro ttl type',
    ],
    ['all', 'del exists keys touch unlink'],
    ['two', 'copy rename renamenx'],
    ['none', 'migrate scan'],
    ['subcommand', 'object'],
  ],
  hash: [
    [
      'first',
      'hdel hexists hexpire hget hgetall hgetdel hgetex hincrby hincrbyfloat hkeys hlen hmget hmset hpersist hpexpire hpttl hrandfield hscan hset hsetex hsetnx hstrlen httl hvals',
    ],
  ],
  list: [
    ['first', 'lindex linsert llen lpop lpos lpush lpushx lrange lrem lset ltrim rpop rpush rpushx'],
    ['two', 'blmove brpoplpush lmove rpoplpush'],
    ['timeout', 'blpop brpop'],
    ['numkeys', 'lmpop'],
  ],
  set: [
    ['first', 'sadd scard sismember smembers smismember spop srandmember srem sscan'],
    ['all', 'sdiff sdiffstore sinter sinterstore sunion sunionstore'],
    ['two', 'smove'],
    ['numkeys', 'sintercard'],
  ],
  sortedSet: [
    [
      'first',
      'zadd zcard zcount zincrby zlexcount zmscore zpopmax zpopmin zrandmember zrange zrangebylex zrangebyscore zrank zrem zremrangebylex zremrangebyrank zremrangebyscore zrevrange zrevrangebylex zrevrangebyscore zrevrank zscan zscore',
    ],
    ['timeout', 'bzpopmax bzpopmin'],
    ['numkeys', 'zdiff zinter zintercard zmpop zunion'],
    ['destNumkeys', 'zdiffstore zinterstore zunionstore'],
  ],
  stream: [
    ['first', 'xack xadd xautoclaim xclaim xdel xlen xpending xrange xrevrange xsetid xtrim'],
    ['subcommand', 'xgroup xinfo'],
  ],
  bitmap: [
    ['first', 'bitcount bitfield bitfield_ro bitpos getbit setbit'],
    ['operation', 'bitop'],
  ],
  hyperloglog: [
    ['first', 'pfadd'],
    ['all', 'pfcount pfmerge'],
  ],
  geo: [
    ['first', 'geoadd geodist geohash geopos georadius georadius_ro georadiusbymember georadiusbymember_ro geosearch'],
    ['two', 'geosearchstore'],
  ],
  json: [
    [
      'first',
      'json.arrappend json.arrlen json.arrpop json.clear json.del json.forget json.get json.merge json.numincrby json.objkeys json.objlen json.set json.strappend json.strlen json.toggle json.type',
    ],
  ],
  pubsub: [
    ['first', 'publish spublish'],
    ['all', 'psubscribe punsubscribe ssubscribe subscribe sunsubscribe unsubscribe'],
    ['subcommand', 'pubsub'],
  ],
  scripting: [
    ['script', 'eval eval_ro evalsha evalsha_ro fcall fcall_ro'],
    ['subcommand', 'function script'],
  ],
  transactions: [
    ['all', 'watch'],
    ['none', 'discard exec multi'],
  ],
  connection: [
    ['none', 'auth echo hello ping quit reset select'],
    ['subcommand', 'client'],
  ],
  server: [
    [
      'none',
      'bgrewriteaof bgsave dbsize failover flushall flushdb info lastsave replicaof save shutdown slaveof swapdb time wait waitaof',
    ],
    ['subcommand', 'acl command config debug latency memory module slowlog'],
  ],
  cluster: [['subcommand', 'cluster']],
};

const TABLE: [string, Role][] = Object.values(groups).flatMap((rows) =>
  rows.flatMap(([role, names]) => names.split(' ').map((name) => [name, role] as [string, Role])),
);

/** The expected output for `name` with `n` arguments, each the token `arg` whose shape as a key is `shaped`. */
function expected(name: string, role: Role, args: readonly string[], shaped: (t: string) => string): string {
  const n = args.length;
  const out = args.map((t, i): string => {
    const key = shaped(t);
    switch (role) {
      case 'first':
        return i === 0 ? key : '?';
      case 'all':
        return key;
      case 'pairs':
        return i % 2 === 0 ? key : '?';
      case 'two':
        return i < 2 ? key : '?';
      case 'timeout':
        return i < n - 1 ? key : '?';
      case 'script': // args[1] is the count 2
        return i === 1 ? t : i === 2 || i === 3 ? key : '?';
      case 'numkeys': // args[0] is the count 2
        return i === 0 ? t : i === 1 || i === 2 ? key : '?';
      case 'destNumkeys': // args[1] is the count 2
        return i === 1 ? t : i === 0 || i === 2 || i === 3 ? key : '?';
      case 'operation':
      case 'subcommand':
        return i === 0 ? t : role === 'operation' ? key : '?';
      default:
        return '?';
    }
  });
  return [name, ...out].join(' ');
}

function argsFor(role: Role, token: string, word: string): string[] {
  const a = [token, token, token, token, token];
  if (role === 'script' || role === 'destNumkeys') a[1] = '2';
  if (role === 'numkeys') a[0] = '2';
  if (role === 'operation' || role === 'subcommand') a[0] = word;
  return a;
}

const caseOf = (name: string, flips: readonly boolean[]) =>
  [...name].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch)).join('');

describe('Redis sanitizer: every command of an independent list (the Redis command reference)', () => {
  it('knows every listed command, in any case, and no more than 32 characters of a name', () => {
    for (const [name] of TABLE) {
      expect(isRedisCommand(name), name).toBe(true);
      expect(isRedisCommand(name.toUpperCase()), name).toBe(true);
    }
    expect(isRedisCommand('acme')).toBe(false);
    expect(isRedisCommand('')).toBe(false);
  });

  it('keys keep their shape, values become ? (plain, double- and single-quoted tokens, any case)', () => {
    const plain = (t: string) => t.replace(/\d+/g, '?');
    for (const [name, role] of TABLE) {
      for (const shown of [name, name.toUpperCase()]) {
        for (const token of ['alpha:beta', 'user:4711', '"alpha:beta"', "'user:4711'", '"jane doe:profile"']) {
          const args = argsFor(role, token, 'SETNAME');
          const shaped = (t: string) =>
            t.startsWith('"') || t.startsWith("'")
              ? t[0] + plain(t.slice(1, -1)).replace('jane doe', '?') + t[0]
              : plain(t);
          expect(sanitizeRedis(`${shown} ${args.join(' ')}`), `${shown} ${token}`).toBe(
            expected(shown, role, args, shaped),
          );
        }
      }
    }
  });

  it('a value argument is never exported: generated values in every value position of every command', () => {
    const value = fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.constantFrom('@example.com', '-4711', '.doe', ':42', '=x', '#1'))
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(
        fc.constantFrom(...TABLE),
        value,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        ([name, role], v, flips) => {
          const shown = caseOf(name, flips);
          const args = argsFor(role, 'k:1', 'SETNAME');
          const out = expected(shown, role, args, () => 'k:?').split(' ');
          // put the value in every position the oracle masks
          const input = args.map((t, i) => (out[i + 1] === '?' ? v : t));
          const got = sanitizeRedis(`${shown} ${input.join(' ')}`);
          expect(got).toBe(out.join(' '));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('an option word is kept only when spelt with ASCII letters: a value that lower-cases to one is masked', () => {
    // U+212A KELVIN SIGN lower-cases to `k`: `\u212AEEPTTL` reads as `keepttl` but is no option word.
    expect(sanitizeRedis('SET k:1 v KEEPTTL')).toBe('SET k:? ? KEEPTTL');
    expect(sanitizeRedis('SET k:1 v \u212AEEPTTL')).toBe('SET k:? ? ?');
    expect(sanitizeRedis('GEOSEARCH g:1 BYRADIUS 5 \u212Am')).toBe('GEOSEARCH g:? BYRADIUS ? ?');
  });

  it('every option word of the command reference is kept where a value would be masked, in any case', () => {
    // SET/GETEX, ZADD/ZRANGE, SORT, SCAN, XADD/XREAD/XCLAIM, GEO*, LCS, RESTORE, OBJECT-style, HGETEX/HSETEX tokens.
    const words =
      'ex px exat pxat nx xx keepttl get gt lt ch incr withscores limit byscore bylex rev match count type ' +
      'withvalues left right before after store by asc desc alpha maxlen minlen approx nomkstream withcoord ' +
      'withdist withhash fromlonlat frommember byradius bybox m km ft mi idx len minmatchlen withmatchlen ' +
      'weights aggregate sum min max replace absttl idletime freq block streams group justid force retrycount ' +
      'noack mkstream entriesread fields persist';
    for (const w of words.split(' ')) {
      for (const shown of [w, w.toUpperCase()]) {
        expect(sanitizeRedis(`SET k:1 v ${shown} 4711`), shown).toBe(`SET k:? ? ${shown} ?`);
      }
    }
    expect(sanitizeRedis('SET k:1 v withscore 4711')).toBe('SET k:? ? ? ?');
  });
});
