/**
 * Redis and Valkey commands (`db.system.name` `redis`, `valkey`): `SET user:4711 jane` →
 * `SET user:? ?`. Knows which arguments of each command are keys.
 */

/** Written in place of every argument that is not a key (and of key segments that hold data). */
const MASKED = '?';

/** How a command's arguments are read. */
const enum Args {
  /** The first argument is a key; the rest are values (`SET k v`, `HSET k f v`, `EXPIRE k 60`). */
  FirstKey,
  /** Every argument is a key (`DEL a b`, `MGET a b`, `SUNIONSTORE dest a b`). */
  AllKeys,
  /** Key, value, key, value (`MSET`). */
  KeyValuePairs,
  /** The first two arguments are keys (`RENAME`, `SMOVE`, `LMOVE`, `BRPOPLPUSH`). */
  TwoKeys,
  /** Keys, then a timeout (`BLPOP a b 5`). */
  KeysThenTimeout,
  /** A script or function, `numkeys`, that many keys, then values (`EVAL`, `FCALL`). */
  Script,
  /** `numkeys`, that many keys, then options (`ZUNION`, `SINTERCARD`, `LMPOP`). */
  NumKeys,
  /** A destination key, `numkeys`, that many keys, then options (`ZUNIONSTORE`). */
  DestNumKeys,
  /** An operation word, then keys (`BITOP AND dest a b`). */
  OperationThenKeys,
  /** A subcommand word, then values (`CONFIG SET x y`, `CLIENT SETNAME n`, `OBJECT ENCODING k`). */
  Subcommand,
  /** No keys: every argument is a value (`AUTH`, `HELLO`, `ECHO`, `PING`, `SCAN`). */
  NoKeys,
}

const COMMANDS = new Map<string, Args>();
const define = (args: Args, names: string) => {
  for (const name of names.split(' ')) COMMANDS.set(name, args);
};
define(
  Args.FirstKey,
  'get set setnx setex psetex getset getdel getex append incr decr incrby decrby incrbyfloat setrange getrange ' +
    'substr strlen expire pexpire expireat pexpireat expiretime pexpiretime persist ttl pttl type dump restore ' +
    'hset hsetnx hget hmget hmset hdel hexists hincrby hincrbyfloat hgetall hkeys hvals hlen hstrlen hrandfield ' +
    'hscan hexpire hpexpire httl hpttl hpersist hgetdel hgetex hsetex lpush rpush lpushx rpushx lpop rpop llen ' +
    'lrange lindex lset lrem ltrim linsert lpos sadd srem smembers sismember smismember scard spop srandmember ' +
    'sscan zadd zrem zincrby zscore zmscore zrank zrevrank zrange zrevrange zrangebyscore zrevrangebyscore ' +
    'zrangebylex zrevrangebylex zcount zlexcount zcard zpopmin zpopmax zrandmember zremrangebyscore ' +
    'zremrangebyrank zremrangebylex zscan pfadd xadd xrange xrevrange xlen xtrim xdel xack xclaim xautoclaim ' +
    'xpending xsetid setbit getbit bitcount bitpos bitfield bitfield_ro geoadd geopos geodist georadius ' +
    'georadius_ro georadiusbymember georadiusbymember_ro geohash geosearch sort sort_ro publish spublish ' +
    'json.get json.set json.del json.forget json.type json.numincrby json.strappend json.strlen json.arrappend ' +
    'json.arrlen json.arrpop json.objkeys json.objlen json.clear json.toggle json.merge',
);
define(
  Args.AllKeys,
  'del unlink exists mget touch watch sunion sinter sdiff sunionstore sinterstore sdiffstore pfcount pfmerge ' +
    'subscribe ssubscribe unsubscribe sunsubscribe psubscribe punsubscribe keys',
);
define(Args.KeyValuePairs, 'mset msetnx');
define(Args.TwoKeys, 'rename renamenx rpoplpush brpoplpush smove lmove blmove copy lcs geosearchstore');
define(Args.KeysThenTimeout, 'blpop brpop bzpopmin bzpopmax');
define(Args.Script, 'eval evalsha eval_ro evalsha_ro fcall fcall_ro');
define(Args.NumKeys, 'zunion zinter zdiff sintercard lmpop zmpop zintercard');
define(Args.DestNumKeys, 'zunionstore zinterstore zdiffstore');
define(Args.OperationThenKeys, 'bitop');
define(
  Args.Subcommand,
  'client config object memory cluster script function xinfo xgroup command acl debug pubsub latency module ' +
    'slowlog',
);
define(
  Args.NoKeys,
  'auth hello ping echo select scan info multi exec discard quit reset flushdb flushall dbsize save bgsave ' +
    'bgrewriteaof time lastsave wait waitaof swapdb failover replicaof slaveof shutdown migrate',
);

/** Whether `word` names a Redis/Valkey command this sanitizer knows (any case). */
export function isRedisCommand(word: string): boolean {
  return word.length <= 32 && COMMANDS.has(word.toLowerCase());
}

/** Option words kept where a value would be masked (`SET k ? EX ? NX`). */
const OPTION_WORDS = new Set(
  (
    'ex px exat pxat nx xx keepttl get gt lt ch incr withscores limit byscore bylex rev match count type ' +
    'withvalues left right before after store by asc desc alpha maxlen minlen approx nomkstream withcoord ' +
    'withdist withhash fromlonlat frommember byradius bybox m km ft mi idx len minmatchlen withmatchlen weights ' +
    'aggregate sum min max replace absttl idletime freq block streams group justid force retrycount noack ' +
    'mkstream entriesread fields persist nx xx'
  ).split(' '),
);

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Characters that separate the segments of a key (`app:user:{42}`, `cache/v2/x`); `.` only inside a segment. */
function isKeyDelimiter(c: number): boolean {
  return c === 58 || c === 47 || c === 124 || c === 35 || c === 123 || c === 125 || c === 61 || c === 44;
}

/**
 * The shape of a key: segments made of letters, `_` and `-` (namespaces such as `user`, `session`,
 * `rate-limit`), or of such words joined by `.` (`cache.users`), are kept; every other segment (digits, ids, emails,
 * tokens, addresses) becomes one `?`: `user:4711:profile` → `user:?:profile`, `session:{jane.doe@example.com}` →
 * `session:{?}` (no part of an identifier is kept). Delimiters are `: / | # { } = ,`. A segment of letters can still
 * be a name (`user:jane`); the value detectors run on the result.
 */
export function keyShape(key: string): string {
  const n = key.length;
  let out = '';
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? key.charCodeAt(i) : -1;
    if (c !== -1 && !isKeyDelimiter(c)) continue;
    if (i > start) {
      // Every `.`-separated part a word of at most 40 characters.
      let word = true;
      let partStart = start;
      for (let k = start; word && k <= i; k++) {
        const d = k < i ? key.charCodeAt(k) : 46;
        if (d === 46) {
          word = k > partStart && k - partStart <= 40;
          partStart = k + 1;
        } else word = isLetterOrUnderscore(d) || d === 45;
      }
      out += word ? key.slice(start, i) : MASKED;
    }
    if (c !== -1) out += key[i];
    start = i + 1;
  }
  return out;
}

/** A key argument, quoted or not: its shape (a quoted key keeps its quotes). */
function shapeToken(token: string): string {
  const q = token.charCodeAt(0);
  if ((q === 34 || q === 39) && token.length >= 2 && token.charCodeAt(token.length - 1) === q)
    return token[0] + keyShape(token.slice(1, -1)) + token[0];
  return keyShape(token);
}

/** A value argument: `?`, or an option word kept as it is. */
function valueToken(token: string): string {
  if (token.length <= 14) {
    let word = true;
    for (let k = 0; word && k < token.length; k++) word = isLetterOrUnderscore(token.charCodeAt(k));
    if (word && OPTION_WORDS.has(token.toLowerCase())) return token;
  }
  return MASKED;
}

/** Splits one command line into arguments: white space separates, `"…"` (with `\` escapes) and `'…'` group. */
function splitArgs(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    let j = i;
    if (c === 34 || c === 39) {
      j = i + 1;
      while (j < n && line.charCodeAt(j) !== c) j += c === 34 && line.charCodeAt(j) === 92 ? 2 : 1;
      j = Math.min(j + 1, n);
    } else
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d === 32 || d === 9 || d === 13) break;
        j++;
      }
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

/** The `[N other arguments]` summary instrumentations write for truncated argument lists (kept). */
const TRUNCATION_NOTE = / \[\d{1,9} other arguments?\]$/;

/** Whether `token` is a non-negative integer (a `numkeys` count). */
function isCount(token: string): boolean {
  if (token.length === 0 || token.length > 6) return false;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * One command line. `later`: a line after the first of its statement, whose first word must be a known command: a
 * value holding a line break (joined unquoted by an instrumentation, quoted, or the RESP form) goes on there.
 */
function sanitizeCommand(line: string, later: boolean): string {
  let note = '';
  const m = line.length <= 100_000 ? TRUNCATION_NOTE.exec(line) : null;
  if (m !== null) {
    note = m[0];
    line = line.slice(0, m.index);
  }
  const args = splitArgs(line);
  if (args.length === 0) return note.trimStart();
  const name = args[0];
  let command = true;
  for (let k = 0; command && k < name.length; k++) {
    const c = name.charCodeAt(k);
    command = isLetterOrUnderscore(c) || c === 46 || (k > 0 && c >= 48 && c <= 57);
  }
  const lower = name.toLowerCase();
  const kind = COMMANDS.get(lower);
  if (!command || name.length > 32 || (later && kind === undefined))
    return (
      MASKED +
      ' ' +
      args
        .slice(1)
        .map(() => MASKED)
        .join(' ') +
      note
    );
  // AUTH, HELLO, MIGRATE (`AUTH password`, `AUTH2 user password`) and commands not known keep only their name,
  // subcommand commands (`CONFIG SET requirepass …`) only their subcommand: a password or a name may be spelled like an
  // option word.
  const onlyName =
    kind === undefined || kind === Args.Subcommand || lower === 'auth' || lower === 'hello' || lower === 'migrate';
  const out: string[] = [name];
  let keysFrom = 1;
  let keysTo = 1; // arguments in [keysFrom, keysTo) are keys
  let pairs = false;
  // Argument positions kept as they are when plain words or counts (subcommand, operation, numkeys).
  let keptA = -1;
  let keptB = -1;
  switch (kind) {
    case Args.FirstKey:
      keysTo = 2;
      break;
    case Args.AllKeys:
      keysTo = args.length;
      break;
    case Args.KeyValuePairs:
      keysTo = args.length;
      pairs = true;
      break;
    case Args.TwoKeys:
      keysTo = 3;
      break;
    case Args.KeysThenTimeout:
      keysTo = args.length - 1;
      break;
    case Args.Script:
    case Args.NumKeys:
    case Args.DestNumKeys: {
      const countAt = kind === Args.NumKeys ? 1 : 2;
      if (kind === Args.DestNumKeys) keysTo = 2;
      if (countAt < args.length && isCount(args[countAt])) {
        keptA = countAt;
        keysFrom = kind === Args.DestNumKeys ? 1 : countAt + 1;
        keysTo = countAt + 1 + Number(args[countAt]);
      }
      break;
    }
    case Args.OperationThenKeys:
      keptB = 1;
      keysFrom = 2;
      keysTo = args.length;
      break;
    case Args.Subcommand:
      keptB = 1;
      break;
    default:
      break; // unknown commands and NoKeys: every argument is a value
  }
  for (let a = 1; a < args.length; a++) {
    const t = args[a];
    // keptA: a numkeys count (checked above); keptB: a subcommand or operation word.
    if (a === keptA) out.push(t);
    else if (a === keptB) out.push(valueOrWord(t));
    else if (a >= keysFrom && a < keysTo && !(pairs && (a - keysFrom) % 2 === 1)) out.push(shapeToken(t));
    else out.push(onlyName ? MASKED : valueToken(t));
  }
  return out.join(' ') + note;
}

/** A subcommand or operation word: kept when it is a plain word (letters, `_`, `-`, `.`), else `?` (also a number). */
function valueOrWord(token: string): string {
  if (token.length > 24) return MASKED;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (!isLetterOrUnderscore(c) && c !== 45 && c !== 46) return MASKED;
  }
  return token;
}

/**
 * `sanitizeRedis`: one command per line (pipelines and `MULTI` blocks keep their lines). The command
 * name is kept; key arguments keep their shape (`keyShape`: `user:4711` → `user:?`); every other
 * argument becomes `?`, except option words (`EX`, `NX`, `WITHSCORES`, `LIMIT`, …), subcommands
 * (`CONFIG GET`, `CLIENT SETNAME`) and `numkeys` counts. A command it does not know keeps its name and
 * masks every argument; a first word that is not a command name is masked too, and so is a line after the first
 * whose first word is no command it knows (a value holding a line break goes on there). An instrumentation's
 * `[N other arguments]` note is kept. Linear time, never throws.
 */
export function sanitizeRedis(statement: string): string {
  if (typeof statement !== 'string') return statement;
  try {
    if (!statement.includes('\n')) return sanitizeCommand(statement, false);
    return statement
      .split('\n')
      .map((line, i) => sanitizeCommand(line, i > 0))
      .join('\n');
  } catch {
    return MASKED;
  }
}
