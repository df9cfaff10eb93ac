import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/** TLS named group code points (IANA registry) the tests meet. */
export const TLS_GROUP_NAMES: Readonly<Record<number, string>> = {
  0x0017: 'P-256',
  0x0018: 'P-384',
  0x0019: 'P-521',
  0x001d: 'X25519',
  0x001e: 'X448',
  0x11eb: 'SecP256r1MLKEM768',
  0x11ec: 'X25519MLKEM768',
  0x11ed: 'SecP384r1MLKEM1024',
  0x0200: 'MLKEM512',
  0x0201: 'MLKEM768',
  0x0202: 'MLKEM1024',
};

const groupName = (code: number): string => TLS_GROUP_NAMES[code] ?? `0x${code.toString(16).padStart(4, '0')}`;

/** SHA-256("HelloRetryRequest"): the `random` of a ServerHello that is a HelloRetryRequest (RFC 8446, 4.1.3). */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** What a ClientHello offered. */
export interface ClientHelloInfo {
  /** `supported_groups`, in the client's order of preference. */
  readonly supportedGroups: string[];
  /** Groups the client sent a key share for. */
  readonly keyShares: string[];
}

/** What a ServerHello (or HelloRetryRequest) chose. */
export interface ServerHelloInfo {
  /** The group in the server's `key_share` extension. */
  readonly group: string;
  /** True for a HelloRetryRequest (the server asks for a key share of `group`). */
  readonly helloRetry: boolean;
}

/** Handshake messages in the plaintext records at the start of one direction (stops at the first encrypted record). */
function handshakeMessages(stream: Buffer): Array<{ type: number; body: Buffer }> {
  const fragments: Buffer[] = [];
  for (let at = 0; at + 5 <= stream.length;) {
    const type = stream[at];
    const length = stream.readUInt16BE(at + 3);
    if (at + 5 + length > stream.length) break;
    if (type === 23) break; // application data: the rest is encrypted
    if (type === 22) fragments.push(stream.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  const data = Buffer.concat(fragments);
  const messages: Array<{ type: number; body: Buffer }> = [];
  for (let at = 0; at + 4 <= data.length;) {
    const length = data.readUIntBE(at + 1, 3);
    if (at + 4 + length > data.length) break;
    messages.push({ type: data[at], body: data.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return messages;
}

function extensions(data: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const end = Math.min(data.length, 2 + data.readUInt16BE(0));
  for (let at = 2; at + 4 <= end;) {
    const length = data.readUInt16BE(at + 2);
    out.set(data.readUInt16BE(at), data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

function parseClientHello(body: Buffer): ClientHelloInfo {
  let at = 2 + 32;
  at += 1 + body[at]; // session id
  at += 2 + body.readUInt16BE(at); // cipher suites
  at += 1 + body[at]; // compression methods
  const ext = extensions(body.subarray(at));
  const supportedGroups: string[] = [];
  const groups = ext.get(0x000a);
  if (groups)
    for (let i = 2; i + 2 <= 2 + groups.readUInt16BE(0); i += 2)
      supportedGroups.push(groupName(groups.readUInt16BE(i)));
  const keyShares: string[] = [];
  const shares = ext.get(0x0033);
  if (shares)
    for (let i = 2; i + 4 <= shares.length;) {
      keyShares.push(groupName(shares.readUInt16BE(i)));
      i += 4 + shares.readUInt16BE(i + 2);
    }
  return { supportedGroups, keyShares };
}

function parseServerHello(body: Buffer): ServerHelloInfo {
  const helloRetry = body.subarray(2, 34).equals(HELLO_RETRY_RANDOM);
  let at = 2 + 32;
  at += 1 + body[at]; // session id
  at += 2 + 1; // cipher suite, compression method
  const share = extensions(body.subarray(at)).get(0x0033);
  return { group: share ? groupName(share.readUInt16BE(0)) : 'none', helloRetry };
}

/**
 * A TCP relay on 127.0.0.1 between a TLS client and server that keeps the first bytes of each direction and decodes
 * the plaintext ClientHello and ServerHello messages, so a test sees the key-exchange groups offered and chosen on the
 * wire, independently of either TLS stack.
 */
export class TlsHelloTap {
  /** Bytes seen per connection, client to server and server to client (first 64 KiB of each). */
  readonly connections: Array<{ fromClient: Buffer; fromServer: Buffer }> = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  async start(): Promise<void> {
    this.server = createServer((client) => {
      const record = { fromClient: Buffer.alloc(0), fromServer: Buffer.alloc(0) };
      this.connections.push(record);
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        if (record.fromClient.length < 65_536) record.fromClient = Buffer.concat([record.fromClient, chunk]);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (record.fromServer.length < 65_536) record.fromServer = Buffer.concat([record.fromServer, chunk]);
        client.write(chunk);
      });
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Every ClientHello seen (a second one follows a HelloRetryRequest). */
  clientHellos(): ClientHelloInfo[] {
    return this.connections.flatMap((c) =>
      handshakeMessages(c.fromClient)
        .filter((m) => m.type === 1)
        .map((m) => parseClientHello(m.body)),
    );
  }

  /** Every ServerHello and HelloRetryRequest seen. */
  serverHellos(): ServerHelloInfo[] {
    return this.connections.flatMap((c) =>
      handshakeMessages(c.fromServer)
        .filter((m) => m.type === 2)
        .map((m) => parseServerHello(m.body)),
    );
  }

  /** Closes the relay and its connections. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
