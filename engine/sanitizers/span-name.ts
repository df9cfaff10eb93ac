import { STRICT_SQL, sanitizeSql } from './sql-sanitizer';
import { createUrlSanitizer } from './url-sanitizer';
import { templateBlankSegmentPeoplePaths } from './people-routes';
import { sanitizeUrlsInText } from './url-text';

/** HTTP methods that start a `METHOD /path` span name. */
const HTTP_NAME =
  /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|QUERY|[A-Z]{3,10}(?= \/)) (\S{1,8192})((?: .{0,1024})?)$/s;

/**
 * First words of statements: a span name starting with one is sanitized as SQL. Also the statements that carry a
 * password whatever the rest of the name says: a user's or role's (`CREATE USER app IDENTIFIED BY …`, `ALTER LOGIN sa
 * WITH PASSWORD = …`) and DB2's `CONNECT TO db USER app USING …` (HTTP's `CONNECT host:443` has no `TO`).
 */
const SQL_NAME =
  /^\s{0,16}(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|CALL|EXEC|EXECUTE|REPLACE|UPSERT|VALUES|SHOW|SET|DECLARE|TRUNCATE|(?:CREATE|ALTER)\s+(?:USER|ROLE|LOGIN)|CONNECT\s+TO)\b/i;

/** An RPC span name `package.Service/Method`, as the semantic conventions write it. */
const RPC_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/;

const defaultUrlSanitizer = createUrlSanitizer();

/**
 * Sanitizes a span name (`sanitizers.spanName`): `GET /users/4711/orders` → `GET /users/{id}/orders`
 * (also full URLs and bare paths, with the URL sanitizer's userinfo and parameter rules), and names
 * that start like a SQL statement get the strict `sanitizeSql` (`SELECT * FROM t WHERE email='a@b.c'` →
 * `SELECT * FROM t WHERE email=?`). In other names, each URL-like word (holding a `/`, or a `?` with a
 * `=` after it) goes through the URL sanitizer (`fetch /users/4711` → `fetch /users/{id}`, see
 * `sanitizeUrlsInText`); an RPC name (`grpc.health.v1.Health/Check`) is kept as a name. The value detectors
 * run on the result, then identifier tokens are templated (`templateNameTokens`). Never throws.
 */
export function sanitizeSpanName(name: string, urlSanitizer: (value: string) => string = defaultUrlSanitizer): string {
  if (typeof name !== 'string' || name.length === 0) return name;
  // No system is known here (database spans are read by their family first): the strictest SQL reading, every `"…"` a value.
  if (SQL_NAME.test(name)) return sanitizeSql(name, STRICT_SQL);
  // a name after a people word and a blank segment (`GET /users/ /janedoe`: the method's path ends at the blank)
  name = templateBlankSegmentPeoplePaths(name);
  const http = HTTP_NAME.exec(name);
  if (http !== null && (http[2].startsWith('/') || http[2].startsWith('\\') || http[2].includes('://')))
    return `${http[1]} ${urlSanitizer(http[2])}${sanitizeUrlsInText(http[3], urlSanitizer)}`;
  // An RPC name (`grpc.health.v1.Health/Check`) is no path: only its identifier tokens are read.
  if (RPC_NAME.test(name)) return name;
  // Paths, URLs and queries anywhere in the name (`/items/99 handler`, `fetch /users/4711`,
  // `HTTP GET https://…/users/4711`, `grpc users/4711/orders`, `lookup ?id=4711`).
  return sanitizeUrlsInText(name, urlSanitizer);
}
