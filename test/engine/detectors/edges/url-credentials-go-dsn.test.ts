import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../engine/detectors/types';
import { urlCredentialsDetector } from '../../../../engine/detectors/url-credentials';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { edgeScanners } from './secret-edges-helpers';

// `url-credentials` (engine/detectors/url-credentials.ts) for a Go `database/sql` MySQL DSN
// (`user:password@tcp(host:port)/db`, no `://`) at the edges of its rule: what may stand before the user, the user's
// and the password's lengths, each network, the first `@tcp`/`@unix(`/`@udp(`/`@`/`://` of a value anywhere, a DSN
// beside a URL with userinfo (both masked, in text order), and the type's precedence. Every case is written out (no
// random draw): «…» is masked, the rest exported as written, pre-filter on and off.

const scan = edgeScanners(['url-credentials']);

/** `n` letters and digits. */
const run = (n: number) => Array.from({ length: n }, (_, i) => 'aB3cD5eF7g'[i % 10]).join('');

describe('url-credentials: what may stand before a Go DSN', () => {
  it.each([' ', '\t', '"', "'", '`', '=', '(', ',', ';', '<', '>', '[', ']', '{', '}'])(
    'after %j the whole user:password is masked',
    (before) => {
      scan.marked(`dsn${before}«jane:s3cret»@tcp(db:3306)/app`);
      scan.marked(`${before}«jane:s3cret»@tcp(db:3306)/app`);
    },
  );

  it('glued to a `/` or `@` it is no DSN; a `.` or `:` before it is part of the user', () => {
    scan.marked('dsn/jane:s3cret@tcp(db:3306)/app');
    scan.marked('dsn@jane:s3cret@tcp(db:3306)/app');
    scan.marked('«dsn.jane:s3cret»@tcp(db:3306)/app');
    scan.marked('«dsn:jane:s3cret»@tcp(db:3306)/app');
  });
});

describe('url-credentials: the lengths of a Go DSN user and password', () => {
  it('a user of 64 characters is masked, 65 are not; an empty user is', () => {
    scan.marked(`dsn=«${run(64)}:s3cret»@tcp(db:3306)/app`);
    scan.marked(`dsn=${run(65)}:s3cret@tcp(db:3306)/app`);
    scan.marked(`dsn=«:s3cret»@tcp(db:3306)/app`);
  });

  it('a password of 1 or 256 characters is masked, an empty one or 257 are not', () => {
    scan.marked(`dsn=«jane:x»@tcp(db:3306)/app`);
    scan.marked(`dsn=«jane:${run(256)}»@tcp(db:3306)/app`);
    scan.marked(`dsn=jane:${run(257)}@tcp(db:3306)/app`);
    scan.marked(`dsn=jane:@tcp(db:3306)/app`);
  });

  it('a password may hold `@`, `:` and `/`, up to the first @network(', () => {
    scan.marked(`dsn=«jane:p@ss:w/rd»@tcp(db:3306)/app`);
    scan.marked(`dsn=«jane:pw»@unix(/tmp/s)/app@tcp(db:3306)/x`);
  });
});

describe('url-credentials: each network of a Go DSN', () => {
  it.each(['tcp(db:3306)', 'tcp6([::1]:3306)', 'udp(db:3306)', 'unix(/var/run/mysqld.sock)'])(
    '@%s is one; @tcp4(, @ucp(, @tcp without a bracket are not',
    (net) => {
      scan.marked(`dsn=«jane:s3cret»@${net}/app`);
    },
  );
  it('other words after @ are not', () => {
    for (const net of ['tcp4(db)', 'tcp6 (db)', 'tcp', 'udp', 'unix', 'ucp(db)', 'tcpx(db)'])
      scan.marked(`dsn=jane:s3cret@${net}/app`);
  });
});

describe("url-credentials: the value's first `@`, `://`, `@tcp`, `@unix(`, `@udp(` anywhere", () => {
  it('a DSN after another @network( at the second character is masked', () => {
    scan.marked(`j@tcp(h) «jane:s3cret»@tcp(db:3306)/app`);
    scan.marked(`j@unix(h) «jane:s3cret»@unix(/tmp/s)/app`);
    scan.marked(`j@udp(h) «jane:s3cret»@udp(db:53)/app`);
  });
  it('a URL after an `@` or with `://` at the second character is masked', () => {
    scan.marked(`j@x https://«jane:s3cret»@db.example.com/`);
    scan.marked(`a://«jane:s3cret»@db.example.com/`);
  });
});

describe('url-credentials: a Go DSN beside a URL with userinfo', () => {
  const url = 'https://jane:s3cret@db.example.com/x';
  const dsn = 'bob:hunter2@tcp(db:3306)/app';
  it('both are masked, in either order', () => {
    scan.marked(`https://«jane:s3cret»@db.example.com/x dsn=«bob:hunter2»@tcp(db:3306)/app`);
    scan.marked(`dsn=«bob:hunter2»@tcp(db:3306)/app https://«jane:s3cret»@db.example.com/x`);
  });
  it('find returns them in ascending order of start', () => {
    const find = (text: string) => {
      const out: Finding[] = [];
      urlCredentialsDetector.find(text, out);
      return out.map((f) => text.slice(f.start, f.end));
    };
    expect(find(`${dsn} ${url}`)).toEqual(['bob:hunter2', 'jane:s3cret']);
    expect(find(`${url} ${dsn}`)).toEqual(['jane:s3cret', 'bob:hunter2']);
  });
});

describe('url-credentials: its findings rank above labeled-secret where they overlap', () => {
  it('password=https://jane:…@db: the userinfo is named url-credentials', () => {
    const s = createValueScanner({
      detectors: ['url-credentials', 'labeled-secret'],
      action: 'mask',
      mask: '[{type}]',
      cleanCacheSize: 0,
    });
    expect(s.scan('password=https://jane:s3cret@db.example.com').value).toBe(
      'password=[labeled-secret][url-credentials]@db.example.com',
    );
  });
});

describe('url-credentials: the character after the last @ of a URL userinfo', () => {
  it('a host after it is needed, whatever ends the password', () => {
    scan.marked('https://«jane:s3cret!»@db.example.com/');
    scan.marked('https://«jane:s3cret)»@[::1]:5432/');
    scan.marked('https://jane:s3cret@-db.example.com/');
    scan.marked('https://jane:s3cret@.db/');
  });
});
