/**
 * A counting TCP proxy in front of Neo4j's Bolt port, one per server under benchmark, so that both are
 * measured the same way from outside (neither server's code is changed or trusted to count itself):
 *
 * - bytes Neo4j sent to the server (records, summaries and protocol overhead: what the server had to read);
 * - Cypher statements: Bolt RUN messages the server sent (a managed transaction is BEGIN, RUN, PULL, COMMIT;
 *   only RUN is a statement, so explicit and auto-commit transactions count alike).
 *
 * Bolt framing (client to server): a handshake (4-byte preamble and four 4-byte version proposals; with the
 * manifest handshake of Bolt 5.7+, after the server's manifest the client sends its choice: 4 bytes and a
 * varint of capabilities), then messages split into chunks, each a 2-byte big-endian length and that many
 * bytes, a message ending with an empty chunk. A message starts with a PackStream struct marker (0xB0 | field
 * count) and its signature byte; RUN is 0x10.
 */
import net from 'node:net';

const RUN_SIGNATURE = 0x10;
const MANIFEST_V1 = 0x000001ff;

export interface BoltCounts {
  bytesFromServer: number;
  statements: number;
}

/** Counts RUN messages in the client-to-server byte stream of one connection. */
export class BoltMessageCounter {
  statements = 0;
  private handshakeLeft = 20;
  /** Set when the server answered the handshake with a manifest: the client's choice follows. */
  private choiceLeft = 0;
  private choiceVarint = false;
  private headerBytes: number[] = [];
  private chunkLeft = 0;
  /** Bytes of the current message seen so far (only the first two matter). */
  private messageOffset = 0;

  /** The server's 4-byte handshake answer, so that a manifest handshake is followed. */
  serverHandshake(version: number): void {
    if (version === MANIFEST_V1) {
      this.choiceLeft = 4;
      this.choiceVarint = true;
    }
  }

  /** Whether the client's handshake has been read (the server's answer follows it). */
  get handshakeDone(): boolean {
    return this.handshakeLeft === 0;
  }

  push(data: Buffer): void {
    let i = 0;
    while (i < data.length) {
      if (this.handshakeLeft > 0) {
        const take = Math.min(this.handshakeLeft, data.length - i);
        this.handshakeLeft -= take;
        i += take;
        continue;
      }
      if (this.choiceLeft > 0) {
        const take = Math.min(this.choiceLeft, data.length - i);
        this.choiceLeft -= take;
        i += take;
        continue;
      }
      if (this.choiceVarint) {
        // capabilities: a varint, its last byte has the high bit clear
        if (((data[i] as number) & 0x80) === 0) this.choiceVarint = false;
        i += 1;
        continue;
      }
      if (this.chunkLeft === 0) {
        this.headerBytes.push(data[i] as number);
        i += 1;
        if (this.headerBytes.length === 2) {
          const size = ((this.headerBytes[0] as number) << 8) | (this.headerBytes[1] as number);
          this.headerBytes = [];
          if (size === 0)
            this.messageOffset = 0; // end of message
          else this.chunkLeft = size;
        }
        continue;
      }
      const take = Math.min(this.chunkLeft, data.length - i);
      if (this.messageOffset < 2) {
        for (let k = 0; k < take && this.messageOffset < 2; k += 1) {
          if (this.messageOffset === 1 && data[i + k] === RUN_SIGNATURE) this.statements += 1;
          this.messageOffset += 1;
        }
      }
      this.messageOffset += Math.max(0, take - 2);
      this.chunkLeft -= take;
      i += take;
    }
  }
}

export class BoltProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly counters = new Set<BoltMessageCounter>();
  private closedStatements = 0;
  private bytesFromServer = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<string> {
    this.server = net.createServer((client) => this.connect(client));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return `bolt://127.0.0.1:${this.port}`;
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const counter = new BoltMessageCounter();
    this.counters.add(counter);
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let serverHandshake: number[] | null = [];
    client.on('data', (data: Buffer) => counter.push(data));
    upstream.on('data', (data: Buffer) => {
      this.bytesFromServer += data.length;
      if (serverHandshake) {
        for (const byte of data.subarray(0, 4 - serverHandshake.length)) serverHandshake.push(byte);
        if (serverHandshake.length === 4) {
          counter.serverHandshake(Buffer.from(serverHandshake).readUInt32BE(0));
          serverHandshake = null;
        }
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      if (this.counters.delete(counter)) this.closedStatements += counter.statements;
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }

  counts(): BoltCounts {
    let statements = this.closedStatements;
    for (const counter of this.counters) statements += counter.statements;
    return { bytesFromServer: this.bytesFromServer, statements };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
