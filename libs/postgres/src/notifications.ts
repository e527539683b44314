import { Client } from 'pg';

/**
 * The listeners of this process, by server URL and channel, so a commit here wakes them directly
 * (Database.wakeAfterCommit) with no NOTIFY round trip on the writer's pool. Keyed by URL as given: the same server
 * under another spelling only falls back to a NOTIFY.
 */
class ListenersInThisProcess {
  private readonly byChannel = new Map<string, Set<(channel: string) => void>>();

  add(url: string, channel: string, onNotify: (channel: string) => void): void {
    const key = `${url} ${channel}`;
    this.byChannel.set(key, (this.byChannel.get(key) ?? new Set()).add(onNotify));
  }

  remove(url: string, channel: string, onNotify: (channel: string) => void): void {
    this.byChannel.get(`${url} ${channel}`)?.delete(onNotify);
  }

  /** Calls this process's listeners of the channel; false when there are none. */
  wake(url: string, channel: string): boolean {
    const listeners = this.byChannel.get(`${url} ${channel}`);
    if (!listeners || listeners.size === 0) return false;
    for (const onNotify of listeners) {
      try {
        onNotify(channel);
      } catch {
        // A listener only wakes a loop; its failure must not fail the commit that woke it.
      }
    }
    return true;
  }
}

export const listenersInThisProcess = new ListenersInThisProcess();

/**
 * A dedicated connection that LISTENs on channels and calls back on every NOTIFY, so relays and
 * projection runners wake as soon as a transaction commits instead of sleeping. Commits in this process
 * reach it directly (listenersInThisProcess); the NOTIFY is for commits elsewhere. It reconnects after
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
    for (const channel of this.channels) listenersInThisProcess.add(this.url, channel, this.onNotify);
    await this.connect().catch(() => this.scheduleReconnect());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const channel of this.channels) listenersInThisProcess.remove(this.url, channel, this.onNotify);
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
      // A loop stopped while this pass ran has no next pass.
      if (!this.stopped) this.retryTimer = setTimeout(() => this.wake(), delay);
    }
  }
}
