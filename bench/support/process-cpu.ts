import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time of the processes under this one (the benchmark's children, the embedded Postgres and its
 * backends, the Kafka broker) and of this one, read from Linux's /proc at two moments: where the
 * machine's cores went during a measured run. Elsewhere than Linux there is no snapshot.
 */
export interface CpuSnapshot {
  at: number;
  processes: Map<number, ProcessCpu>;
}

export interface ProcessCpu {
  pid: number;
  parent: number;
  /** The command name (`postgres`, `java`, `node`, `pgbench`). */
  name: string;
  /** Its command line (a Postgres process says what it is there: `postgres: autovacuum worker …`). */
  command: string;
  /** Its own user + system time, ms. */
  ownMs: number;
  /** The time of its children that have exited and been waited for (Postgres backends that ended, pgbench), ms. */
  exitedChildrenMs: number;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** This process and every process under it, now. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const all = new Map<number, ProcessCpu>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Fields after the command name (which may hold spaces): state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (field: number) => (Number(fields[field - 3]) * 1000) / CLOCK_TICKS;
      all.set(Number(pid), { pid: Number(pid), parent: Number(fields[1]), name, command: '', ownMs: ms(14) + ms(15), exitedChildrenMs: ms(16) + ms(17) });
    } catch {
      // exited meanwhile
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 0; at = all.get(at)?.parent) {
      if (at === process.pid) return true;
      if (at === 1) return false;
    }
    return false;
  };
  const ours = [...all].filter(([pid]) => isOurs(pid));
  for (const [pid, each] of ours) {
    try {
      each.command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      // exited meanwhile: no command line to tell what it was
    }
  }
  return { at: performance.now(), processes: new Map(ours) };
}

/**
 * CPU ms spent between two snapshots, summed per group: `groupOf` names the group of a process, or
 * leaves it out. A process's exited children count in its own group, except this process's (the
 * benchmark's own children that ended, e.g. pgbench), which are the group `exited children`. Without
 * `exitedChildren` they do not count at all: a child's whole life is added to its parent's figures only
 * when it ends (an autovacuum worker that began before `from`), which lumps into a short window.
 */
export function cpuSpent(from: CpuSnapshot, to: CpuSnapshot, groupOf: (process: ProcessCpu) => string | undefined, options: { exitedChildren?: boolean } = {}): Map<string, number> {
  const countExited = options.exitedChildren ?? true;
  const spent = new Map<string, number>();
  const add = (group: string | undefined, ms: number) => {
    if (group !== undefined && ms > 0) spent.set(group, (spent.get(group) ?? 0) + ms);
  };
  for (const [pid, now] of to.processes) {
    const before = from.processes.get(pid);
    const own = now.ownMs - (before?.ownMs ?? 0);
    const exited = countExited ? now.exitedChildrenMs - (before?.exitedChildrenMs ?? 0) : 0;
    if (pid === process.pid) {
      add(groupOf(now), own);
      add('exited children', exited);
    } else add(groupOf(now), own + exited);
  }
  return spent;
}

/** Every process under this one together (the import bench's Postgres: the server is its only child). */
export function childrenCpuMs(snapshot: CpuSnapshot | undefined): number | undefined {
  if (!snapshot) return undefined;
  let ms = 0;
  for (const [pid, each] of snapshot.processes) if (pid !== process.pid) ms += each.ownMs + each.exitedChildrenMs;
  return snapshot.processes.size > 1 ? ms : undefined;
}
