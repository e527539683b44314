import { Client } from 'pg';

/**
 * A dedicated connection that LISTENs on channels and calls back on every NOTIFY, so relays and
 * projection runners wake as soon as a transaction commits instead of sleeping. It reconnects after
 * the server goes away; callers keep a slow poll as a safety net for notifications missed meanwhile.
 */
export class NotificationListener {
  private client?: Client;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channels: string[],
    private readonly onNotify: (channel: string) => void,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch(() => this.scheduleReconnect());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => this.onNotify(message.channel));
    client.on('error', () => this.scheduleReconnect());
    client.on('end', () => this.scheduleReconnect());
    await client.connect();
    for (const channel of this.channels) await client.query(`LISTEN "${channel}"`);
    this.client = client;
    // Whatever committed while we were not listening is picked up now.
    for (const channel of this.channels) this.onNotify(channel);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.client = undefined;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) this.connect().catch(() => this.scheduleReconnect());
    }, 500);
  }
}

/**
 * Runs `work` whenever woken, never twice at once; a wake during a run causes one more run.
 * Failures back off (up to 5 s) and retry, so a broker or database outage heals by itself.
 */
export class WakeableLoop {
  private running?: Promise<void>;
  private wakeAgain = false;
  private stopped = true;
  private pollTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    /** Returns true when there may be more to do right away. */
    private readonly work: () => Promise<boolean>,
    private readonly pollIntervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => {
      this.running = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Resolves once the loop has nothing left to do right now (used by tests and rebuilds). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    await this.idle();
  }

  private async runUntilIdle(): Promise<void> {
    try {
      while (!this.stopped && (await this.work())) {
        /* keep draining */
      }
      this.failures = 0;
    } catch (error) {
      this.failures++;
      this.onError(error);
      const delay = Math.min(5000, 50 * 2 ** this.failures);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.wake(), delay);
    }
  }
}
