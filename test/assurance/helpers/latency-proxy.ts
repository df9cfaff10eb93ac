import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that delays everything the upstream sends back by `latencyMillis` (order kept): a slow
 * receiver or a slow network, TLS passing through untouched. The latency can be changed at any time.
 */
export class LatencyProxy {
  /** Delay applied to upstream → client bytes; 0 forwards at once. */
  latencyMillis = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(private readonly upstreamPort: number) {}

  /** `https://127.0.0.1:<port>` of the proxy. */
  get url(): string {
    return `https://127.0.0.1:${this.boundPort}`;
  }

  /** Starts listening on an ephemeral port. */
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      let releaseAt = 0;
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        releaseAt = Math.max(Date.now() + this.latencyMillis, releaseAt);
        const delay = releaseAt - Date.now();
        if (delay <= 0) client.write(chunk);
        else setTimeout(() => client.writable && client.write(chunk), delay);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', () => setTimeout(close, this.latencyMillis));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Closes the proxy and every connection through it. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
