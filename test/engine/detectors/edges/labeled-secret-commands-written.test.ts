import fc from 'fast-check';
import { describe, it } from 'vitest';
import { chars, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): the listed tools' passwords written another way (round 18b of the outside
// attack): glued to their flag (`docker login -u app -p…`, `zip -e -P…`, `mariadb -p…`), the tool as a Windows
// `.exe`, argument lists (`["docker","login","-p","…"]`, a YAML list), `redis-cli --pass`, `valkey-cli`/`keydb-cli -a`,
// `net user /add app …`, `rabbitmqadmin -p`; PowerShell's `ConvertTo-SecureString '…' -AsPlainText`; SQL's
// `PASSWORD('…')`, `N'…'`, `IDENTIFIED BY VALUES '…'`; form fields `password[]=…`, `user%5Bpassword%5D+=+…`. Each case
// is checked exactly («…» masked, the rest as written) through the scanner with its pre-filter on and off.

const scan = edgeScanners(['labeled-secret']);

/** A password like `hunter2-Fake-9x` from letters that spell no label, command or state word (one answer only). */
const password = fc
  .tuple(chars('bcfhmnrvxz', 3, 8), fc.integer({ min: 0, max: 99 }), chars('BCFHMNRVXZ', 1), chars('bcfhmnrvxz', 2, 5))
  .map(([a, d, u, b]) => `${a}${d}-${u}${b}`);
/** A line written into a log line or error text, unchanged around it. */
const around = fc.constantFrom(
  (s: string) => s,
  (s: string) => `+ ${s}`,
  (s: string) => `query failed: ${s}`,
  (s: string) => `step 3/7\n${s}\nexit status 1`,
  (s: string) => `${s} (exit 1)`,
);
/** A tool's name as written (Windows adds `.exe`; upper case on Windows consoles). */
const tool = fc.constantFrom(
  (s: string) => s,
  (s: string) => `${s}.exe`,
  (s: string) => s.toUpperCase(),
);

type Form = (pw: string, t: (s: string) => string) => string;
const WRITTEN: Form[] = [
  (pw, t) => `${t('docker')} login -u app -p«${pw}» registry.example.com`,
  (pw, t) => `${t('podman')} login -u app -p«${pw}»`,
  (pw, t) => `${t('docker')} login -u app -p ${'«'}${pw}» registry.example.com`,
  (pw, t) => `${t('curl')} -u app:«${pw}» https://api.example.com`,
  (pw, t) => `${t('mariadb')} -u root -p«${pw}» orders`,
  (pw, t) => `${t('mariadb-dump')} -u root -p«${pw}» orders`,
  (pw, t) => `${t('zip')} -e -P«${pw}» out.zip a.txt`,
  (pw, t) => `${t('redis-cli')} --pass «${pw}» ping`,
  (pw, t) => `${t('redis-cli')} --user app --pass «${pw}»`,
  (pw, t) => `${t('redis-cli')} --pass=«${pw}»`,
  (pw, t) => `${t('valkey-cli')} -a «${pw}» ping`,
  (pw, t) => `${t('keydb-cli')} -h cache -a «${pw}»`,
  (pw, t) => `${t('rabbitmqadmin')} -u app -p «${pw}» list queues`,
  (pw, t) => `${t('psexec')} \\\\host -u app -p «${pw}» cmd`,
  (pw, t) => `${t('mosquitto_pub')} -h broker -u app -P «${pw}» -t t -m x`,
  (pw, t) => `${t('mosquitto_sub')} -h broker -p 1883 -P «${pw}» -t t`,
  (pw, t) => `${t('usermod')} -p «${pw}» app`,
  (pw, t) => `${t('useradd')} -m -p «${pw}» app`,
  (pw, t) => `${t('beeline')} -u jdbc:hive2://h:10000 -n app -p «${pw}»`,
  (pw, t) => `${t('isql')} -S db -U sa -P «${pw}»`,
  (pw) => `net user /add app «${pw}»`,
  (pw) => `NET USER /ADD app «${pw}» /DOMAIN`,
];
/** Argument lists (a JSON or Python array, a YAML flow or block list): the password item only. */
const LISTS: ((pw: string) => string)[] = [
  (pw) => `["docker","login","-u","app","-p","«${pw}»"]`,
  (pw) => `["docker", "login", "-p", "«${pw}»", "registry.example.com"]`,
  (pw) => `['docker', 'login', '-p', '«${pw}»']`,
  (pw) => `command: ["redis-cli", "-a", "«${pw}»", "ping"]`,
  (pw) => `["curl","-u","app:«${pw}»","https://api.example.com"]`,
  (pw) => `args: [docker, login, -p, «${pw}», registry.example.com]`,
  (pw) => `- docker\n- login\n- -p\n- «${pw}»`,
  (pw) => `command:\n  - docker\n  - login\n  - -p\n  - «${pw}»\n`,
];
const STATEMENTS: ((pw: string) => string)[] = [
  (pw) => `ConvertTo-SecureString '«${pw}»' -AsPlainText -Force`,
  (pw) => `ConvertTo-SecureString -String "«${pw}»" -AsPlainText -Force`,
  (pw) => `$p = ConvertTo-SecureString -AsPlainText '«${pw}»' -Force`,
  (pw) => `$cred = New-Object PSCredential('app', (ConvertTo-SecureString "«${pw}»" -AsPlainText -Force))`,
  (pw) => `SET PASSWORD FOR 'app'@'%' = PASSWORD('«${pw}»')`,
  (pw) => `set password for app = password("«${pw}»")`,
  (pw) => `ALTER LOGIN sa WITH PASSWORD = N'«${pw}»'`,
  (pw) => `CREATE LOGIN app WITH PASSWORD = N'«${pw}»', CHECK_POLICY = OFF`,
  (pw) => `ALTER USER app IDENTIFIED BY VALUES '«${pw}»'`,
  (pw) => `CONNECT TO sample USER app USING '«${pw}»'`,
  (pw) => `connect to sample user app using «${pw}»`,
  (pw) => `db2 CONNECT TO sample USER app USING "«${pw}»"`,
  (pw) => `password[]=«${pw}»`,
  (pw) => `password%5B%5D=«${pw}»`,
  (pw) => `user%5Bpassword%5D+=«+${pw}»`,
  (pw) => `user[password]+=«+${pw}»`,
  (pw) => `lang=en&password[]=«${pw}»&x=1`,
];

describe('labeled-secret: listed tools written another way', () => {
  it('glued flags, `.exe`, upper case, `--pass`, `valkey-cli`/`keydb-cli`, `net user /add`, `rabbitmqadmin`', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WRITTEN), password, tool, around, (form, pw, t, wrap) =>
        scan.marked(wrap(form(pw, t))),
      ),
    );
  });

  it('argument lists (JSON, Python, YAML): the password item only', () => {
    fc.assert(fc.property(fc.constantFrom(...LISTS), password, (form, pw) => scan.marked(form(pw))));
  });

  it("PowerShell `ConvertTo-SecureString -AsPlainText`, SQL `PASSWORD(…)`, `N'…'`, `BY VALUES`, form arrays", () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATEMENTS), password, around, (form, pw, wrap) => scan.marked(wrap(form(pw)))),
    );
  });

  it('look-alikes stay as written', () => {
    for (const text of [
      'docker.exe run -p 8080:80 nginx',
      'docker login -u app -p',
      'docker login --password-stdin',
      'curl.example.com is down',
      'mariadb -u root -p orders',
      'mariadb --version',
      'zip -e out.zip a.txt',
      'redis-cli --pass $REDIS_PASSWORD',
      'valkey-cli -h cache -p 6379 ping',
      'keydb-cli info',
      'rabbitmqadmin list queues',
      'rabbitmqadmin -H host -P 15672 list queues',
      'net user /domain',
      'net user /add app *',
      '["docker","run","-p","8080:80","nginx"]',
      'we use docker, login, and push',
      '- docker\n- run\n- -p\n- 8080:80',
      '$p = ConvertTo-SecureString $encrypted',
      'ConvertTo-SecureString -String $enc -Key $key',
      'ConvertFrom-SecureString $p',
      "SELECT PASSWORD('x')",
      'password() is deprecated',
      'ALTER LOGIN sa ENABLE',
      'ALTER USER app IDENTIFIED BY VALUES ?',
      'password[]=',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
      'the secure string was converted',
      'psexec \\\\host cmd',
      'mosquitto_sub -h broker -p 1883 -t t',
      'usermod -aG docker app',
      'useradd -m app',
      'isql -S db -U sa',
      'beeline -u jdbc:hive2://h:10000 -n app',
      'connect to sample',
      'CONNECT TO sample USER app',
      'CONNECT TO sample USER app USING ?',
      'failed to connect to db: connection refused',
      'connect to the server using TLS',
    ])
      scan.kept(text);
  });
});
