// A producing process for the public-key field encryption tests: loads the policy named by POLICY, exports one span
// through the privacy processor and prints {token, dataKey, reads, privateKeyCalls} as JSON. Every file this process
// opens and every private-key import is recorded (installed before the library is loaded), so the test can assert that
// the process never reads a private key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const reads: string[] = [];
let privateKeyCalls = 0;
const fsAny = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['readFileSync', 'openSync', 'readFile', 'open', 'createReadStream']) {
  const original = fsAny[name]!;
  fsAny[name] = function (this: unknown, ...args: unknown[]) {
    reads.push(String(args[0]));
    return original.apply(this, args);
  };
}
const promises = fs.promises as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['readFile', 'open']) {
  const original = promises[name]!;
  promises[name] = function (this: unknown, ...args: unknown[]) {
    reads.push(String(args[0]));
    return original.apply(this, args);
  };
}
const cryptoAny = crypto as unknown as Record<string, (...args: unknown[]) => unknown>;
const originalCreatePrivateKey = cryptoAny.createPrivateKey!;
cryptoAny.createPrivateKey = function (this: unknown, ...args: unknown[]) {
  privateKeyCalls++;
  return originalCreatePrivateKey.apply(this, args);
};
syncBuiltinESMExports();

const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
const { ENCRYPTION_DATA_KEY_ATTRIBUTE, PrivacySpanProcessor, loadPolicy } = await import('../../../index');

const policy = loadPolicy(process.env.POLICY!);
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({
  spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
});
provider.getTracer('producer').startSpan('op', { attributes: { 'user.email': process.env.VALUE! } }).end();
const span = exporter.getFinishedSpans()[0]!;
process.stdout.write(
  JSON.stringify({
    token: span.attributes['user.email'],
    dataKey: span.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE],
    reads,
    privateKeyCalls,
  }),
);
await provider.shutdown();
