import { printOnlySummary } from '../engine/inspect-summary';
import type { Metadata } from '@grpc/grpc-js';
import type { EncryptedSpool, SpoolEntry } from './encrypted-spool';
import { OnceLogger, withoutControlCharacters } from './exporter-logger';
import type { ExporterLogger } from './exporter-logger';
import type { OtlpSignal } from './exporter-config';
import { classifyHandshakeFailure } from './handshake-diagnostics';
import type { OtlpGrpcClient, SendOutcome } from './otlp-grpc-client';
import { backoffDelay, grpcCodeName, isRetryableFailure, sleep } from './retry-policy';
import type { RetryPolicy } from './retry-policy';

/** An outage warning is repeated at most once per this period while the endpoint flaps. */
export const DOWN_REPORT_INTERVAL_MILLIS = 60_000;

/** The gRPC code DEADLINE_EXCEEDED: the endpoint took the connection or request and did not answer in time. */
const DEADLINE_EXCEEDED = 4;

/** Groups a retryable failure for the once-per-cause outage line. */
function outageCause(outcome: { code: number; details: string }): string {
  const details = outcome.details.toLowerCase();
  if (details.includes('econnrefused')) return 'refused';
  if (outcome.code === DEADLINE_EXCEEDED || /enotfound|eai_again|ehostunreach|enetunreach|etimedout/.test(details))
    return 'unreachable';
  return `code-${outcome.code}`;
}

/** First line of a gRPC details text, bounded (no stack or multi-line dumps in a log line). */
function oneLine(details: string): string {
  // Receiver text: the first line, control characters shown as `?` (no forged log line, no terminal escapes).
  const line = withoutControlCharacters(details.split('\n')[0]).trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** How a submitted batch ended. */
export type BatchOutcome = 'sent' | 'spooled' | 'failed';

/** Partial-success information decoded from an export response. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string | undefined;
}

/** Options of a {@link DeliveryLane}. */
export interface DeliveryLaneOptions {
  readonly signal: OtlpSignal;
  readonly client: OtlpGrpcClient;
  readonly metadata: Metadata;
  readonly timeoutMillis: number;
  readonly retry: RetryPolicy;
  readonly spool: EncryptedSpool | undefined;
  readonly logger: ExporterLogger;
  /** Decodes the partial-success part of a response (throws on garbage). */
  readonly parseResponse: (response: Buffer) => PartialSuccess;
  /** Batches held in memory while one is being delivered; beyond that they are spooled, or failed without a spool. */
  readonly maxQueuedBatches?: number;
  /** Source of randomness for backoff jitter (tests). */
  readonly random?: () => number;
}

/** Counters of one {@link DeliveryLane}. */
export interface DeliveryLaneStats {
  /** Batches accepted by the receiver on first delivery (including after retries). */
  readonly sent: number;
  /** Batches written to the spool. */
  readonly spooled: number;
  /** Spooled batches accepted by the receiver on replay. */
  readonly replayed: number;
  /** Batches that ended in failure (non-retryable refusal, budget exhausted without spool, spool write failure). */
  readonly failed: number;
  /** Retry attempts made (each after a backoff). */
  readonly retries: number;
  /** Items the receiver reported as rejected in partial-success responses. */
  readonly rejectedItems: number;
}

interface Batch {
  readonly seq: number;
  readonly payload: Uint8Array;
  readonly submittedAt: number;
  readonly done: Promise<BatchOutcome>;
  settle(outcome: BatchOutcome): void;
}

/**
 * Delivers one signal's serialized OTLP requests in submission order, one batch in flight at a time.
 *
 * Without a spool, retryable gRPC codes are retried in memory with exponential backoff and full jitter within
 * `maxElapsedMillis` (counted from submission); then the batch fails with one log line. Other codes fail at once.
 *
 * With a spool, the first retryable failure marks the endpoint as down and the batch is written to the spool at once
 * (the SDK's processor is released instead of being blocked for the retry budget); every batch submitted while the
 * endpoint is down goes straight to the spool. The replay loop then retries the oldest spooled batch with the same
 * backoff (woken early when any signal on the channel succeeds), in order, and deletes a file only after the receiver
 * accepted it; while older batches of the signal are on disk, new ones are appended to the spool too, so order holds
 * and the SDK is never blocked behind a replay backlog. Spooled batches are also replayed on start.
 */
export class DeliveryLane {
  private readonly queue: Batch[] = [];
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private readonly once: OnceLogger;
  private readonly abort = new AbortController();
  private wakeController = new AbortController();
  private inflight: Batch | undefined;
  private worker: Promise<void> | undefined;
  private down = false;
  private closing = false;
  private closed = false;
  private deadline = Number.POSITIVE_INFINITY;
  private replayAttempt = 0;
  private localSeq = 1;
  private readonly downLoggedAt = new Map<string, number>();
  private abortTimer: ReturnType<typeof setTimeout> | undefined;
  private spooling = false;
  /** Set when a replay attempt failed during shutdown: the rest stays on disk for the next start. */
  private replayFailedWhileClosing = false;
  /** `forceFlush` calls waiting for the spool to drain (or for a replay attempt to fail). */
  private drainWaiters: Array<() => void> = [];
  private counters = { sent: 0, spooled: 0, replayed: 0, failed: 0, retries: 0, rejectedItems: 0 };

  constructor(private readonly options: DeliveryLaneOptions) {
    this.once = new OnceLogger(options.logger);
  }

  /** Signal delivered by this lane. */
  get signal(): OtlpSignal {
    return this.options.signal;
  }

  /** Counters since start. */
  stats(): DeliveryLaneStats {
    return { ...this.counters };
  }

  /** True while the last attempt failed with a retryable code and nothing succeeded since. */
  isDown(): boolean {
    return this.down;
  }

  /** Queues one serialized request; resolves when it was sent, spooled or definitely failed. */
  submit(payload: Uint8Array): Promise<BatchOutcome> {
    const { spool } = this.options;
    if (this.closed || (this.closing && !spool)) {
      this.counters.failed++;
      this.once.log(
        'error',
        'gave-up',
        `${this.prefix()} dropping ${this.signal} batch: the exporter is shutting down`,
      );
      return Promise.resolve('failed');
    }
    const batch = this.createBatch(payload);
    if (spool && (this.down || this.closing || spool.has(this.signal) || this.pendingWrites.size > 0)) {
      // endpoint down, shutting down, or older batches still on disk: append to the spool to keep the order
      this.spoolBatch(batch);
    } else if (this.queue.length >= (this.options.maxQueuedBatches ?? 64)) {
      if (spool) {
        for (const queued of this.queue.splice(0)) this.spoolBatch(queued);
        this.spoolBatch(batch);
      } else {
        this.counters.failed++;
        this.once.log(
          'error',
          'queue-full',
          `${this.prefix()} too many ${this.signal} batches waiting for delivery; dropping new ones`,
        );
        batch.settle('failed');
      }
    } else {
      this.queue.push(batch);
    }
    this.kick();
    return batch.done;
  }

  /** Starts replaying spooled batches, if any (called on start). */
  start(): void {
    this.kick();
  }

  /** Interrupts backoff waits so the next attempt happens now (called when the endpoint answers again). */
  wake(): void {
    this.replayAttempt = 0;
    this.wakeController.abort();
    this.wakeController = new AbortController();
  }

  /**
   * Resolves when every batch submitted so far was sent, spooled or failed, and, with a spool, once the spooled
   * batches of this signal were replayed (the backoff is cut short) or a replay attempt failed (endpoint still down).
   */
  async forceFlush(): Promise<void> {
    const waiting: Array<Promise<unknown>> = this.queue.map((batch) => batch.done);
    if (this.inflight) waiting.push(this.inflight.done);
    waiting.push(...this.pendingWrites);
    await Promise.all(waiting);
    const { spool } = this.options;
    if (!spool || this.closing || !spool.has(this.signal)) return;
    await new Promise<void>((resolve) => {
      this.drainWaiters.push(resolve);
      this.options.client.retryNow();
      this.wake();
      this.kick();
    });
  }

  private settleDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Starts the shutdown clock without closing: from now on, deliveries (in flight and still to come, such as the
   * SDK's final flush) end within `timeoutMillis`, spooled or (without a spool) dropped with one line. A later
   * {@link DeliveryLane.shutdown} keeps the earlier deadline, so the whole shutdown stays within one timeout even
   * when the endpoint accepts connections and never answers.
   */
  startShutdownClock(timeoutMillis: number): void {
    const deadline = Date.now() + timeoutMillis;
    if (deadline >= this.deadline) return;
    this.deadline = deadline;
    clearTimeout(this.abortTimer);
    this.abortTimer = setTimeout(() => this.abort.abort(), Math.max(0, deadline - Date.now()));
    this.abortTimer.unref();
  }

  /**
   * Delivers what it can within `timeoutMillis` (or by the deadline {@link DeliveryLane.startShutdownClock} set, if
   * earlier), then spools the rest (without a spool: fails it, logged). Spool replay stops; spooled batches stay on
   * disk for the next start.
   */
  async shutdown(timeoutMillis: number): Promise<void> {
    if (this.closing) {
      await this.worker;
      return;
    }
    this.closing = true;
    this.startShutdownClock(timeoutMillis);
    if (this.options.spool?.has(this.signal)) this.options.client.retryNow();
    this.wake();
    this.kick();
    try {
      while (this.worker) await this.worker;
      await Promise.all([...this.pendingWrites]);
    } finally {
      clearTimeout(this.abortTimer);
      this.closed = true;
    }
  }

  private prefix(): string {
    return `otel-privacy secure export (${this.options.client.address}):`;
  }

  private createBatch(payload: Uint8Array): Batch {
    let settle!: (outcome: BatchOutcome) => void;
    const done = new Promise<BatchOutcome>((resolve) => (settle = resolve));
    const seq = this.options.spool ? this.options.spool.nextSeq() : this.localSeq++;
    return { seq, payload, submittedAt: Date.now(), done, settle };
  }

  private spoolBatch(batch: Batch): void {
    const spool = this.options.spool;
    if (!spool) {
      this.counters.failed++;
      batch.settle('failed');
      return;
    }
    if (!this.spooling) {
      // one line per episode: from the first spooled batch until the spool of this signal is drained again
      this.spooling = true;
      this.options.logger.warn(
        `${this.prefix()} spooling ${this.signal} batches to the encrypted spool (${
          this.closing || Date.now() >= this.deadline
            ? 'shutting down; they are sent at the next start'
            : 'endpoint unavailable; replayed in order when it answers'
        })`,
      );
    }
    const write = spool.write(this.signal, batch.seq, batch.payload).then(
      (ok) => {
        if (ok) this.counters.spooled++;
        else this.counters.failed++;
        batch.settle(ok ? 'spooled' : 'failed');
      },
      () => {
        this.counters.failed++;
        batch.settle('failed');
      },
    );
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
  }

  private kick(): void {
    if (this.worker) return;
    this.worker = this.run()
      .catch((error: unknown) => {
        this.options.logger.error(`${this.prefix()} ${this.signal} delivery loop failed: ${(error as Error).message}`);
      })
      .finally(() => {
        this.worker = undefined;
        if (!this.closing && this.queue.length > 0) this.kick();
      });
  }

  private async run(): Promise<void> {
    const { spool } = this.options;
    for (;;) {
      if (this.queue.length > 0) {
        const timeUp = Date.now() >= this.deadline;
        // endpoint known down, or shutdown time is up: the rest goes to the spool (without one: fails once time is up;
        // while merely down, each batch still gets its own time-bounded attempts)
        if (spool && (this.down || timeUp)) for (const batch of this.queue.splice(0)) this.spoolBatch(batch);
        else if (timeUp)
          for (const batch of this.queue.splice(0)) batch.settle(await this.giveUp(batch, 'shutdown timeout reached'));
      }
      if (spool && this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
      // replay what is on disk; while shutting down too (so a short-lived process delivers what it spooled), until
      // the deadline or the first failed attempt
      if (
        spool &&
        spool.has(this.signal) &&
        (!this.closing || (!this.replayFailedWhileClosing && Date.now() < this.deadline))
      ) {
        await this.replayOldest(spool);
        continue;
      }
      if (spool && this.drainWaiters.length > 0) this.settleDrainWaiters();
      const batch = this.queue.shift();
      if (!batch) return;
      this.inflight = batch;
      try {
        batch.settle(await this.deliver(batch));
      } finally {
        this.inflight = undefined;
      }
    }
  }

  private async replayOldest(spool: EncryptedSpool): Promise<void> {
    const entry: SpoolEntry | undefined = spool.oldest(this.signal);
    if (!entry) return;
    const payload = await spool.read(entry);
    if (!payload) return;
    const outcome = await this.options.client.send(
      this.signal,
      payload,
      this.options.metadata,
      this.options.timeoutMillis,
      this.abort.signal,
    );
    if (outcome.ok) {
      this.accepted(outcome.response);
      // counted before the removal completes, so a flush that sees the spool drained also sees the count
      this.counters.replayed++;
      await spool.remove(entry);
      this.replayAttempt = 0;
      if (!spool.has(this.signal) && this.pendingWrites.size === 0) {
        this.spooling = false;
        this.options.logger.info(`${this.prefix()} spool drained: replayed all spooled ${this.signal} batches`);
        this.settleDrainWaiters();
      }
      return;
    }
    // a failed attempt ends a flush's wait, and a shutdown's replay (the batches stay on disk for the next start)
    this.settleDrainWaiters();
    if (this.closing) this.replayFailedWhileClosing = true;
    if (outcome.aborted) {
      if (!this.closing) await sleep(this.options.retry.initialMillis, this.wakeController.signal);
      return;
    }
    if (isRetryableFailure(outcome)) {
      this.markDown(outcome);
      if (this.closing) return;
      // not before the delay a throttling receiver asked for (bounded by the retry budget)
      const backoff = backoffDelay(this.options.retry, this.replayAttempt++, this.options.random);
      await sleep(
        Math.min(Math.max(backoff, outcome.retryDelayMillis ?? 0), this.options.retry.maxElapsedMillis),
        this.wakeController.signal,
      );
      return;
    }
    this.refused(outcome);
    await spool.quarantine(entry, `refused by the receiver with ${grpcCodeName(outcome.code)}`);
  }

  private async deliver(batch: Batch): Promise<BatchOutcome> {
    const { client, retry, spool } = this.options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await client.send(
        this.signal,
        batch.payload,
        this.options.metadata,
        this.options.timeoutMillis,
        this.abort.signal,
      );
      if (outcome.ok) {
        this.accepted(outcome.response);
        this.counters.sent++;
        return 'sent';
      }
      if (outcome.aborted) return this.giveUp(batch, 'shutdown timeout reached');
      if (!isRetryableFailure(outcome)) {
        this.refused(outcome);
        this.counters.failed++;
        return 'failed';
      }
      this.markDown(outcome);
      // With a spool the endpoint is now known to be down: the batch is made durable at once (so the SDK's processor
      // is released instead of waiting out the retry budget) and retried from the spool by the replay loop.
      if (spool) return this.giveUp(batch, `${grpcCodeName(outcome.code)}`);
      // not before the delay a throttling receiver asked for
      const delay = Math.max(backoffDelay(retry, attempt, this.options.random), outcome.retryDelayMillis ?? 0);
      const budgetEnd = Math.min(batch.submittedAt + retry.maxElapsedMillis, this.deadline);
      if (Date.now() + delay > budgetEnd) {
        return this.giveUp(batch, `${grpcCodeName(outcome.code)} after ${attempt + 1} attempt(s)`);
      }
      this.counters.retries++;
      await sleep(delay, this.wakeController.signal, this.closing);
    }
  }

  private async giveUp(batch: Batch, why: string): Promise<BatchOutcome> {
    if (this.options.spool) {
      this.spoolBatch(batch);
      return batch.done;
    }
    this.counters.failed++;
    this.once.log('error', 'gave-up', `${this.prefix()} dropping ${this.signal} batch (no spool configured): ${why}`);
    return 'failed';
  }

  private accepted(response: Buffer): void {
    if (this.down) {
      this.down = false;
      this.options.logger.info(`${this.prefix()} ${this.signal} export recovered`);
    }
    // re-arm the one-line reports; the outage warning only once a quiet period has passed, so an endpoint that
    // flaps (intermittent RESOURCE_EXHAUSTED under load) is reported once per period, not once per refusal
    this.once.reset();
    const now = Date.now();
    for (const [key, loggedAt] of this.downLoggedAt) {
      if (now - loggedAt < DOWN_REPORT_INTERVAL_MILLIS) this.once.log('warn', key, '', true);
      else this.downLoggedAt.delete(key);
    }
    if (response.length === 0) return;
    try {
      const partial = this.options.parseResponse(response);
      if (partial.rejected > 0) {
        this.counters.rejectedItems += partial.rejected;
        this.once.log(
          'warn',
          'partial',
          `${this.prefix()} receiver rejected ${partial.rejected} ${this.signal} item(s)${partial.message ? `: ${oneLine(partial.message)}` : ''}`,
        );
      }
    } catch {
      // an unparsable success response still means the batch was accepted
    }
  }

  private markDown(outcome: SendOutcome & { ok: false }): void {
    this.down = true;
    if (classifyHandshakeFailure(outcome.details)) return; // already logged once per cause by the handshake diagnostics
    const action = this.options.spool ? 'retrying; new batches go to the encrypted spool' : 'retrying with backoff';
    // one line per cause (refused, unreachable/no answer, each other code), each once per outage
    const key = `down:${outageCause(outcome)}`;
    if (
      this.once.log(
        'warn',
        key,
        `${this.prefix()} ${this.signal} export failed with ${grpcCodeName(outcome.code)} (${oneLine(outcome.details)}); ${action}`,
      )
    ) {
      this.downLoggedAt.set(key, Date.now());
    }
  }

  private refused(outcome: SendOutcome & { ok: false }): void {
    this.once.log(
      'error',
      `refused:${outcome.code}`,
      `${this.prefix()} receiver refused a ${this.signal} batch with ${grpcCodeName(outcome.code)} (${oneLine(outcome.details)}); not retrying`,
    );
  }
}

// Holds queued batches (telemetry), the spool and its key: prints only the signal.
printOnlySummary(DeliveryLane.prototype, 'DeliveryLane', (l) => ({ signal: l.signal }));
