// How the global setup tells whether a container runtime answers, and what it runs the tests' Postgres
// and Kafka on from that. Detection is testcontainers' own, pointed by DOCKER_HOST at what each test
// sets up locally (nothing listening, a socket path that does not exist, a host that never answers, a
// stand-in for the engine's API), with the machine's own Docker sockets and ~/.testcontainers.properties
// hidden, so the answers do not depend on whether this machine runs Docker.
import { mkdtempSync, rmSync, type PathLike } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chooseInfrastructure, type InfrastructureChoice, type InfrastructureFacts } from './container-runtime';

jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  const hidden = (file: PathLike) => /(^|\/)(docker\.sock|\.testcontainers\.properties)$/.test(String(file));
  return { ...actual, existsSync: (file: PathLike) => !hidden(file) && actual.existsSync(file) };
});

/** testcontainers keeps its configuration and client once found: each test loads a fresh copy. */
async function detectWith(dockerHost: string, timeoutMs: number, env: Record<string, string> = {}) {
  const saved = Object.fromEntries(['DOCKER_HOST', ...Object.keys(env)].map((name) => [name, process.env[name]]));
  Object.assign(process.env, env, { DOCKER_HOST: dockerHost });
  try {
    let result: { available: boolean; reason?: string; boolean: boolean } | undefined;
    await jest.isolateModulesAsync(async () => {
      const { containerRuntimeAvailable, detectContainerRuntime } = await import('./container-runtime');
      const detection = await detectContainerRuntime({ timeoutMs });
      result = { ...detection, boolean: await containerRuntimeAvailable({ timeoutMs }) };
    });
    return result as NonNullable<typeof result>;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A local server (TCP, or on a Unix socket) for the test's lifetime; sockets it accepted are destroyed on close. */
async function listen(server: net.Server, socketPath?: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => (socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const port = socketPath ? 0 : (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: one the system just handed out, closed again. */
async function closedPort(): Promise<number> {
  const server = await listen(net.createServer());
  await server.close();
  return server.port;
}

/** Stands in for a Docker engine: answers `/info` (what detection asks) and records what it was asked. */
const standInEngine = (asked: string[]) =>
  http.createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ ServerVersion: '27.0.0', OperatingSystem: 'stand-in', OSType: 'linux', Architecture: 'x86_64' }));
  });

describe('container runtime detection (testcontainers)', () => {
  // testcontainers' own answer that nothing works: a detection that gave up on the time given would
  // say `no container runtime answered within … ms` instead (see the silent host below).
  const NO_RUNTIME = 'no container runtime (Could not find a working container runtime strategy)';

  it('answers false, promptly, when nothing listens at DOCKER_HOST', async () => {
    const detection = await detectWith(`tcp://127.0.0.1:${await closedPort()}`, 10_000);
    // Refused at once, not timed out: the reason is testcontainers', not the timer's.
    expect(detection).toMatchObject({ available: false, boolean: false, reason: NO_RUNTIME });
  });

  it('answers false when DOCKER_HOST is a Unix socket that does not exist', async () => {
    const socket = path.join(os.tmpdir(), `no-such-dir-${process.pid}`, 'engine.sock');
    const detection = await detectWith(`unix://${socket}`, 10_000);
    expect(detection).toMatchObject({ available: false, boolean: false, reason: NO_RUNTIME });
  });

  it('answers false within the time given when the host accepts connections but never answers', async () => {
    const silent = await listen(net.createServer(() => undefined));
    try {
      // The timer's answer: the detection gave up on the time given rather than waiting for the host.
      const detection = await detectWith(`tcp://127.0.0.1:${silent.port}`, 300);
      expect(detection).toMatchObject({ available: false, boolean: false, reason: 'no container runtime answered within 300 ms' });
    } finally {
      await silent.close();
    }
  });

  it('answers true when something at DOCKER_HOST answers the Docker API (so false above is about the engine)', async () => {
    const asked: string[] = [];
    const engine = await listen(standInEngine(asked));
    try {
      const detection = await detectWith(`tcp://127.0.0.1:${engine.port}`, 10_000);
      expect(detection).toMatchObject({ available: true, boolean: true });
      expect(detection.reason).toBeUndefined();
      expect(asked).toContain('GET /info');
    } finally {
      await engine.close();
    }
  });

  it('does not look at the machine’s own Docker sockets (hidden here, so these answers hold on any machine)', async () => {
    // An engine on the rootless socket path (XDG_RUNTIME_DIR/docker.sock) that testcontainers would try.
    const runtimeDir = mkdtempSync(path.join(os.tmpdir(), 'skills-runtime-dir-'));
    const socket = path.join(runtimeDir, 'docker.sock');
    const asked: string[] = [];
    const engine = await listen(standInEngine(asked), socket);
    try {
      const hidden = await detectWith(`tcp://127.0.0.1:${await closedPort()}`, 10_000, { XDG_RUNTIME_DIR: runtimeDir });
      expect(hidden).toMatchObject({ available: false, reason: NO_RUNTIME });
      expect(asked).toEqual([]);
      // The same engine, named by DOCKER_HOST, answers: it was the hiding, not the stand-in. (The host
      // override spares testcontainers looking for the Docker network's gateway when run in a container.)
      const named = await detectWith(`unix://${socket}`, 10_000, { XDG_RUNTIME_DIR: runtimeDir, TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' });
      expect(named).toMatchObject({ available: true });
      expect(asked).toContain('GET /info');
    } finally {
      await engine.close();
      rmSync(runtimeDir, { recursive: true, force: true });
    }
  });
});

describe('chooseInfrastructure', () => {
  const facts = (overrides: Partial<InfrastructureFacts>): InfrastructureFacts => ({ env: {}, runtimeAvailable: false, javaAvailable: false, ...overrides });

  it.each<[string, Partial<InfrastructureFacts>, InfrastructureChoice]>([
    ['a runtime and java: containers first, the local ways as fall-backs', { runtimeAvailable: true, javaAvailable: true }, { postgres: ['container', 'embedded'], kafka: ['container', 'local broker'], kafkaLeftOut: [] }],
    ['a runtime, no java: containers, and the embedded Postgres to fall back on', { runtimeAvailable: true }, { postgres: ['container', 'embedded'], kafka: ['container'], kafkaLeftOut: ['no java'] }],
    ['no runtime, java: the embedded Postgres and the local broker', { javaAvailable: true, runtimeReason: 'no container runtime (refused)' }, { postgres: ['embedded'], kafka: ['local broker'], kafkaLeftOut: ['no container runtime (refused)'] }],
    ['neither: the embedded Postgres and no Kafka, saying why', {}, { postgres: ['embedded'], kafka: [], kafkaLeftOut: ['no container runtime', 'no java'] }],
    ['DATABASE_URL and KAFKA_BROKERS set: those, whatever else answers', { env: { DATABASE_URL: 'postgres://db/x', KAFKA_BROKERS: 'k:9092' }, runtimeAvailable: true, javaAvailable: true }, { postgres: ['DATABASE_URL'], kafka: ['KAFKA_BROKERS'], kafkaLeftOut: [] }],
    ['only DATABASE_URL set: it, and a Kafka container', { env: { DATABASE_URL: 'postgres://db/x' }, runtimeAvailable: true }, { postgres: ['DATABASE_URL'], kafka: ['container'], kafkaLeftOut: ['no java'] }],
    ['only KAFKA_BROKERS set, nothing else: it, with nothing said missing', { env: { KAFKA_BROKERS: 'k:9092' } }, { postgres: ['embedded'], kafka: ['KAFKA_BROKERS'], kafkaLeftOut: [] }],
    ['empty DATABASE_URL and KAFKA_BROKERS: as if unset', { env: { DATABASE_URL: '', KAFKA_BROKERS: '' }, runtimeAvailable: true }, { postgres: ['container', 'embedded'], kafka: ['container'], kafkaLeftOut: ['no java'] }],
  ])('with %s', (_case, given, expected) => {
    expect(chooseInfrastructure(facts(given))).toEqual(expected);
  });

  it('always has a way to Postgres, and a container only where a runtime answers', () => {
    for (const runtimeAvailable of [true, false]) {
      for (const javaAvailable of [true, false]) {
        const choice = chooseInfrastructure(facts({ runtimeAvailable, javaAvailable }));
        expect(choice.postgres.at(-1)).toBe('embedded');
        expect([...choice.postgres, ...choice.kafka].includes('container')).toBe(runtimeAvailable);
        expect(choice.kafka.includes('local broker')).toBe(javaAvailable);
      }
    }
  });
});
