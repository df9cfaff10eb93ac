/**
 * Child process for the replay crash test: opens the exporters on a spool that holds batches, so they are replayed to
 * the (running) receiver, and kills itself with SIGKILL around the Nth update of the spool state file: `before-state`
 * (the receiver accepted the batch, the delivered mark is not stored yet) or `after-state` (the mark is stored, the
 * file is not deleted yet). The real `node:fs/promises` does the work; only the moment of death is chosen.
 */
import type * as fsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const [endpoint, caPath, certPath, keyPath, spoolDir, mode, crashAtText] = process.argv.slice(2);
const crashAt = Number(crashAtText);
const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises') as typeof fsPromises;
const realRename = fsp.rename;
let stateUpdates = 0;
fsp.rename = async (from, to) => {
  if (!String(to).endsWith('spool-state.json')) return realRename(from, to);
  stateUpdates++;
  if (stateUpdates === crashAt && mode === 'before-state') process.kill(process.pid, 'SIGKILL');
  await realRename(from, to);
  if (stateUpdates === crashAt && mode === 'after-state') process.kill(process.pid, 'SIGKILL');
};
syncBuiltinESMExports();

const { createSecureExporters } = await import('../../../exporters/secure-exporters');
createSecureExporters({
  endpoint,
  tls: { ca: caPath, cert: certPath, key: keyPath },
  retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 },
  spool: { dir: spoolDir },
  logger: { error: () => undefined, warn: () => undefined, info: () => undefined },
});
setInterval(() => undefined, 1000);
