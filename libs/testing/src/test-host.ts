import { INestApplication, Type } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { createHost, loadRuntimeConfig } from '@skills/service-runtime';
import { waitForConsumerGroup } from './kafka';

/** The first admin's password in test hosts (startTestHost sets ADMIN_PASSWORD to it unless given). */
export const TEST_ADMIN_PASSWORD = 'test-admin-Passw0rd!';

export interface TestHostOptions {
  modules: Type[];
  databaseUrl: string;
  transport: 'in-process' | 'kafka';
  /** Kafka client id and consumer group, as a deployed service would have. */
  clientId?: string;
  kafkaBrokers?: string[];
  /** REPLICA_WAIT_MS (default 5 s in-process; 30 s over Kafka, where a fact crosses a loaded shared broker). */
  replicaWaitMs?: number;
  /** CATCH_UP_WAIT_MS and PUBLICATION_WAIT_MS (default: the platform's). */
  catchUpWaitMs?: number;
  publicationWaitMs?: number;
  /** A fixed clock, to see rules judged "today" against a day of the test's choosing. */
  clock?: Clock;
  /** Further settings as the environment gives them to a deployed host, e.g. `{ ACCESS_TOKEN_SECONDS: '5' }`. */
  settings?: Record<string, string>;
  /** The built web console to serve at `/`, as `npm start` does. */
  consoleDir?: string;
  /** A port of the test's choosing (default: any free one), for settings that name the host's own origin. */
  port?: number;
}

export interface TestHost {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** A real host (the same createHost as `npm start` and each service's main) on a free port. */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  // The first admin of a host with the identity module signs in with this password (see sign-in.ts).
  process.env.ADMIN_PASSWORD ??= TEST_ADMIN_PASSWORD;
  const config = loadRuntimeConfig(
    {
      TRANSPORT: options.transport,
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: (options.kafkaBrokers ?? []).join(','),
      REPLICA_WAIT_MS: String(options.replicaWaitMs ?? (options.transport === 'kafka' ? 30_000 : 5000)),
      ...(options.catchUpWaitMs === undefined ? {} : { CATCH_UP_WAIT_MS: String(options.catchUpWaitMs) }),
      ...(options.publicationWaitMs === undefined ? {} : { PUBLICATION_WAIT_MS: String(options.publicationWaitMs) }),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      PORT: '0',
      ...options.settings,
    },
  );
  const app = await createHost({ title: 'test host', clientId: options.clientId ?? 'test-host', config, modules: options.modules, clock: options.clock, consoleDir: options.consoleDir });
  await app.listen(options.port ?? 0, '127.0.0.1');
  if (options.transport === 'kafka') await waitForConsumerGroup(options.kafkaBrokers ?? [], options.clientId ?? 'test-host');
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** JSON over HTTP against a test host; answers status and parsed body. */
export async function http(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}
