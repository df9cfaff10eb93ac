import fc from 'fast-check';
import { personKey } from './outside-attack';

// Realistic clean log lines (no personal data, no secret, no identifier in a URL path) and their sensitive
// look-alikes, for the log body's URL rules. Every value is made up; every generated line has one answer: the clean
// ones are exported exactly as written, the look-alikes never with their planted value.

const p2 = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A clock time `HH:MM:SS`. */
const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => `${p2(h)}:${p2(m)}:${p2(s)}`);
/** A day of a month, a month number, a year. */
const day = fc.integer({ min: 1, max: 28 });
const month = fc.integer({ min: 1, max: 12 });
const year = fc.integer({ min: 2020, max: 2030 });
/** An ISO timestamp as JSON loggers write it. */
const iso = fc.tuple(year, month, day, clock).map(([y, mo, d, c]) => `${y}-${p2(mo)}-${p2(d)}T${c}Z`);
/** A route without identifiers (the URL rules keep it as written). */
const route = fc.constantFrom(
  '/health',
  '/ready',
  '/metrics',
  '/graphql',
  '/v1/traces',
  '/api/v1/orders',
  '/api/v1/carts/{id}/items',
  '/static/js/main.js',
);
/** A service, a word of a message. */
const service = fc.constantFrom('checkout', 'orders', 'payments', 'catalog', 'gateway', 'worker');
const word = fc.constantFrom('served', 'timeout', 'retrying request', 'request completed', 'cache refreshed', 'done');
/** A source file with its line, as Go and Node loggers name the caller. */
const caller = fc
  .tuple(
    fc.constantFrom('handler/orders.go', 'server/handler.go', 'internal/db/pool.go', 'src/app.ts'),
    fc.integer({ min: 1, max: 999 }),
  )
  .map(([f, n]) => `${f}:${n}`);
/** A small number (no detector reads it as anything). */
const small = fc.integer({ min: 0, max: 9999 });
/** A container image with a tag (`ghcr.io/acme/payments:v3.4.3`, `docker.io/library/nginx:1.25`). */
const image = fc
  .tuple(
    fc.constantFrom(
      'ghcr.io/acme/',
      'docker.io/library/',
      'registry.k8s.io/',
      'quay.io/prometheus/',
      'localhost:5000/platform/',
    ),
    service,
    fc.constantFrom('v3.4.3', '1.25', '1.25.3-alpine', 'latest', 'sha-3f2a1b'),
  )
  .map(([r, s, t]) => `${r}${s}:${t}`);

/** Compact JSON log lines (zap, pino, logrus): nothing in them is a value the URL rules template. */
const jsonLine = fc.oneof(
  fc
    .tuple(iso, fc.constantFrom('info', 'error', 'warn'), caller, word, route, small)
    .map(
      ([ts, level, c, msg, path, status]) =>
        `{"ts":"${ts}","level":"${level}","caller":"${c}","msg":"${msg}","path":"${path}","status":${status}}`,
    ),
  fc
    .tuple(small, service, route, word)
    .map(
      ([pid, host, url, msg]) =>
        `{"level":30,"pid":${pid},"hostname":"${host}","req":{"method":"GET","url":"${url}"},"msg":"${msg}"}`,
    ),
  fc.tuple(iso, image).map(([ts, img]) => `{"time":"${ts}","msg":"pulled","image":"${img}"}`),
);

/** Access-log and server timestamps with the date written with `/`, and the protocol's version. */
const timestampLine = fc.oneof(
  fc
    .tuple(
      day,
      fc.constantFrom(...MONTHS),
      year,
      clock,
      route,
      fc.constantFrom('HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/3'),
    )
    .map(([d, mo, y, c, r, h]) => `- - - [${p2(d)}/${mo}/${y}:${c} +0000] "GET ${r} ${h}" 200 512 "-" "curl/8.5.0"`),
  fc
    .tuple(year, month, day, clock, fc.constantFrom('[error]', '[warn]', '[notice]'))
    .map(([y, mo, d, c, lvl]) => `${y}/${p2(mo)}/${p2(d)} ${c} ${lvl} 7#7: upstream timed out`),
  fc.tuple(iso, route).map(([ts, r]) => `[${ts}] "POST ${r} HTTP/2" 200 - via_upstream`),
);

/** Text glued before a URL's scheme (a label, CJK punctuation). */
export const gluedPrefix = fc.constantFrom('処理完了：', '注文：', '链接：', '见', 'see:', '→', '詳細は「');
/** Text ending in CJK punctuation before a path (`処理完了：/api/v1/orders。`). */
const cjkPrefix = fc.constantFrom('処理完了：', '注文：', '链接：', '詳細は「', '（');

/** logfmt, klog and Prometheus values holding a `/`, quoted or not. */
const logfmtLine = fc.oneof(
  image.map((img) => `level=info msg="pulled" image="${img}"`),
  image.map((img) => `level=info msg=pulled image=${img}`),
  service.map((s) => `I1207 08:13:06.621565 1 event.go:330] "Event occurred" object="shop/${s}" kind="Pod"`),
  fc
    .tuple(route, fc.constantFrom('0.005', '0.25', '2.5', '+Inf'), small)
    .map(([r, le, n]) => `http_server_request_duration_seconds_bucket{http_route="${r}",le="${le}"} ${n}`),
  route.map((r) => `ts=2026-12-07T10:15:32Z caller=main.go:88 path=${r} status=200`),
);

/** Other clean values the URL rules read as paths: CIDR blocks, ARNs, ETags, DOIs, Postgres LSNs, scoped packages. */
const otherValue = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(8, 12, 16, 24)).map(([b, n]) => `10.${b}.0.0/${n}`),
  fc.constantFrom('2001:db8:1::/48', '::/0', 'fd00::/8'),
  fc.constantFrom('role/deploy', 'role/ci-runner', 'policy/read-only').map((r) => `arn:aws:iam::123456789012:${r}`),
  fc.integer({ min: 0x10000000, max: 0x7fffffff }).map((n) => `ETag: W/"${n.toString(16)}-fc13"`),
  fc.constantFrom('doi:10.1038/nature12373', '10.1000/xyz123', 'doi:10.3170/886t4j.2020.5679'),
  fc
    .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0x1000000, max: 0xfffffff }))
    .map(([a, b]) => `${a.toString(16).toUpperCase()}/${b.toString(16).toUpperCase()}`),
  fc.constantFrom(
    '@opentelemetry/instrumentation-http',
    '@nestjs/core',
    'redis://cache:6379/0',
    'git@github.com:acme/shop.git',
  ),
);
/** Contexts the other values are logged in. */
const context = fc.constantFrom('%', 'value: %', 'id="%"', '{"value":"%"}', '2026-12-07,%,ok,12', '処理完了：%。');

/** A clean log line of one of the forms above: exported exactly as written. */
export const cleanLogLine: fc.Arbitrary<string> = fc.oneof(
  jsonLine,
  timestampLine,
  fc.tuple(gluedPrefix, route).map(([p, r]) => `${p}https://shop.example.com${r}`),
  fc.tuple(cjkPrefix, route, fc.constantFrom('。', '」', '）', '')).map(([p, r, e]) => `${p}${r}${e}`),
  logfmtLine,
  fc.tuple(context, otherValue).map(([c, v]) => c.replace('%', v)),
);

/** A digit run the ID rules read as an identifier (six digits or more: no short number met by chance elsewhere). */
const id = fc.integer({ min: 100_000, max: 99_999_999 }).map(String);
/** A made-up token value. */
const tokenValue = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((v) => `zq${v}`);

/**
 * Look-alikes of the clean lines that hold a value the URL rules are for: a person's key after a people word, an
 * identifier in a path, a query value, a value after a sensitive key, credentials in a URL. Each is `[line, value]`:
 * the value must not be exported.
 */
export const sensitiveLogLine: fc.Arbitrary<[string, string]> = fc.oneof(
  fc
    .tuple(iso, personKey)
    .map(([ts, k]): [string, string] => [`{"ts":"${ts}","msg":"not found","path":"/users/${k}"}`, k]),
  fc.tuple(iso, id).map(([ts, n]): [string, string] => [`{"ts":"${ts}","url":"/orders/${n}","status":404}`, n]),
  tokenValue.map((v): [string, string] => [`{"msg":"redirect","url":"https://app.example.com/cb?code=${v}"}`, v]),
  fc.tuple(gluedPrefix, personKey).map(([p, k]): [string, string] => [`${p}https://shop.example.com/users/${k}`, k]),
  fc
    .tuple(gluedPrefix, id)
    .map(([p, n]): [string, string] => [`${p}https://shop.example.com/products/${n}?ref=home`, n]),
  personKey.map((k): [string, string] => [`level=info path="/users/${k}" status=404`, k]),
  personKey.map((k): [string, string] => [`level=info path=/users/${k} status=404`, k]),
  tokenValue.map((v): [string, string] => [`level=info password=/x/${v}`, v]),
  tokenValue.map((v): [string, string] => [`level=info password="/x/${v}"`, v]),
  tokenValue.map((v): [string, string] => [`{"token":"abc/${v}"}`, v]),
  tokenValue.map((v): [string, string] => [`GET /search?q="${v}" 200`, v]),
  tokenValue.map((v): [string, string] => [`GET /search?q='${v}' 200`, v]),
  personKey.map((k): [string, string] => [`2026-12-07,/users/${k},ok,12`, k]),
  fc.tuple(cjkPrefix, personKey).map(([p, k]): [string, string] => [`${p}/users/${k}。`, k]),
  personKey.map((k): [string, string] => [`GET /users/。。/${k} 404`, k]),
  personKey.map((k): [string, string] => [`pulled registry.example.com/users/${k}:1.0`, k]),
  personKey.map((k): [string, string] => [`assumed arn:aws:iam::123456789012:user/${k}`, k]),
  personKey.map((k): [string, string] => [`[07/Dec/2026:10:15:32 +0000] "GET /users/${k} HTTP/2" 404`, k]),
  fc
    .tuple(personKey, tokenValue)
    .map(([k, v]): [string, string] => [`source=redis://${k}:${v}@cache.example.com:6379/0`, v]),
);
