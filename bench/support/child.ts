import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

/**
 * The benchmark runs each store and each service host in a process of its own: stores do not share
 * an event loop or global pg type parsers (Emmett's dumbo replaces the int8/json parsers
 * process-wide), and services run as they are deployed, one process each.
 */
interface Request {
  id: number;
  method: string;
  params: unknown;
}
interface Response {
  id: number;
  result?: unknown;
  error?: string;
}

const REGISTER = path.join(__dirname, '..', '..', 'tools', 'register.js');

export class ChildHandle {
  /** The name each running child was started under, by pid (where the CPU went: bench/support/process-cpu.ts). */
  static readonly names = new Map<number, string>();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: Response) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    if (child.pid !== undefined) ChildHandle.names.set(child.pid, name);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        if (child.pid !== undefined) ChildHandle.names.delete(child.pid);
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (code ${code})`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  /** Starts `module` (a .ts file under bench/) with the same TypeScript loader as `npm run bench`. */
  static start(name: string, module: string, env: NodeJS.ProcessEnv = {}): ChildHandle {
    const child = fork(module, [], {
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child (open it in Chrome DevTools).
      execArgv: ['-r', REGISTER, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new ChildHandle(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.child.send({ id, method, params } satisfies Request);
    });
  }

  /** Asks the child to clean up and waits for it to exit; kills it if it does not within the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.call('shutdown').catch(() => undefined);
    await this.exited;
    clearTimeout(killer);
  }
}

/** The child side: answers requests with the given handlers; `shutdown` runs `onShutdown` then disconnects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own params type
export function serveParent(handlers: Record<string, (params: any) => Promise<unknown>>, onShutdown: () => Promise<void>): void {
  if (!process.send) throw new Error('this module runs as a child of bench/run.ts');
  const reply = (response: Response) => process.send?.(response);
  process.on('message', async (request: Request) => {
    if (request.method === 'shutdown') {
      try {
        await onShutdown();
        reply({ id: request.id, result: null });
      } catch (error) {
        reply({ id: request.id, error: describe(error) });
      }
      process.disconnect();
      return;
    }
    const handler = handlers[request.method];
    if (!handler) return reply({ id: request.id, error: `no method ${request.method}` });
    try {
      reply({ id: request.id, result: (await handler(request.params)) ?? null });
    } catch (error) {
      reply({ id: request.id, error: describe(error) });
    }
  });
  // The parent died without asking: do not linger.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 5000).unref());
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}
