// Throw-away certificates for the export benchmark, generated at run time with the openssl CLI in a
// temporary directory (EC P-256): a CA, a server certificate for localhost/127.0.0.1 and a client
// certificate for mTLS. Nothing here is ever written into the repository; call cleanup() when done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const openssl = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** Creates the CA, server and client certificates; returns their paths and PEM texts. */
export function createBenchPki() {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-bench-pki-'));
  const path = (name) => join(dir, name);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path('ca.key')]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    path('ca.key'),
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=bench-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    path('ca.crt'),
  ]);
  const issue = (name, usage, sans) => {
    const ext = [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      `extendedKeyUsage=${usage}`,
    ];
    if (sans) ext.push(`subjectAltName=${sans}`);
    writeFileSync(path(`${name}.ext`), `${ext.join('\n')}\n`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(`${name}.key`)]);
    openssl(['req', '-new', '-key', path(`${name}.key`), '-subj', `/CN=${name}`, '-out', path(`${name}.csr`)]);
    openssl([
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.crt`),
    ]);
    return {
      certPath: path(`${name}.crt`),
      keyPath: path(`${name}.key`),
      certPem: readFileSync(path(`${name}.crt`)),
      keyPem: readFileSync(path(`${name}.key`)),
    };
  };
  return {
    dir,
    ca: { certPath: path('ca.crt'), certPem: readFileSync(path('ca.crt')) },
    server: issue('bench-server', 'serverAuth', 'DNS:localhost,IP:127.0.0.1'),
    client: issue('bench-client', 'clientAuth'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
