import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/** One command of an open-loop run: when it was due, when it went out, when (and whether) it was accepted. */
export interface Command {
  scheduledAt: number;
  sentAt: number;
  acceptedAt?: number;
  /** The id the replica is polled for, once accepted. */
  id?: string;
}

export interface OpenLoopRun {
  commands: Command[];
  /** 'accepted' or what went wrong (an HTTP status, an error). */
  outcomes: string[];
  sendWindowMs: number;
}

/**
 * Sends `rate` commands per second for `durationMs`, each at its scheduled time (start + i / rate)
 * whether or not earlier ones have been answered; resolves once every answer is in. `send` sets the
 * command's acceptedAt and id when it is accepted.
 */
export async function openLoop(rate: number, durationMs: number, send: (command: Command) => Promise<string>): Promise<OpenLoopRun> {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const commands: Command[] = [];
  const answers: Promise<string>[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (commands.length < due) {
        const command: Command = { scheduledAt: start + (commands.length * 1000) / rate, sentAt: performance.now() };
        commands.push(command);
        answers.push(send(command));
      }
      if (commands.length >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendWindowMs = Math.max(1, commands[commands.length - 1].sentAt - start);
  return { commands, outcomes: await Promise.all(answers), sendWindowMs };
}

/** Commands per second actually sent over the run's send window. */
export function achievedRate(run: OpenLoopRun): number {
  return ((run.commands.length - 1) * 1000) / run.sendWindowMs;
}

/** Outcomes other than 'accepted', counted by kind. */
export function rejections(run: OpenLoopRun): Record<string, number> {
  const rejected: Record<string, number> = {};
  for (const outcome of run.outcomes) if (outcome !== 'accepted') rejected[outcome] = (rejected[outcome] ?? 0) + 1;
  return rejected;
}

export interface ReplicaPoller {
  /** Ids accepted but not seen yet; `watch` adds one. */
  readonly pending: Set<string>;
  /** Id → performance.now() of the first poll that returned it. */
  readonly seenAt: Map<string, number>;
  watch(id: string): void;
  stop(): Promise<void>;
}

/**
 * One query for all pending ids every `intervalMs` (`sql` takes the ids as $1::uuid[] and returns
 * them as `id`); the time an id is first returned is its visibility time. Polling, not a NOTIFY
 * trigger: Postgres serialises every notifying commit in the cluster on one lock ("database 0"), so a
 * trigger would slow down the very commits being measured.
 */
export function pollReplica(client: Client, sql: string, intervalMs: number): ReplicaPoller {
  const pending = new Set<string>();
  const seenAt = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      if (pending.size > 0) {
        const { rows } = await client.query<{ id: string }>(sql, [[...pending]]);
        const at = performance.now();
        for (const { id } of rows) {
          pending.delete(id);
          seenAt.set(id, at);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - began))));
    }
  })();
  return {
    pending,
    seenAt,
    watch: (id) => {
      if (!seenAt.has(id)) pending.add(id);
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
