/**
 * The consumer tests' OTLP/gRPC receiver (mTLS, TLS 1.3), run as its own process with tsx from the repository:
 * prints one JSON line `{ endpoint, ca, cert, key }` when ready; on a line `report` on stdin prints one JSON line with
 * everything received (flattened spans, metrics and log records, the raw request bytes in base64, and each request
 * decoded with its bytes), then clears it;
 * on `stop` (or stdin closing) shuts down and deletes its certificates.
 */
import { createInterface } from 'node:readline';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';

const fixture = await startMtlsReceiver();
const { receiver, endpoint, tls } = fixture;
process.stdout.write(`${JSON.stringify({ endpoint, ca: tls.ca, cert: tls.cert, key: tls.key })}\n`);

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await fixture.close();
  process.exit(0);
};

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'report') {
    const report = {
      spans: receiver.spans(),
      metrics: receiver.metrics(),
      logRecords: receiver.logRecords(),
      clients: [...new Set(receiver.requests.map((request) => request.clientCommonName))],
      raw: Buffer.concat(receiver.requests.map((request) => request.bytes)).toString('base64'),
      requests: receiver.requests.map(({ signal, decoded, bytes }) => ({
        signal,
        decoded,
        bytes: bytes.toString('base64'),
      })),
    };
    receiver.requests.length = 0;
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else if (line.trim() === 'stop') {
    await close();
  }
}
await close();
