import { INestApplication, Type } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { BROKER_LINK, BrokerLink } from '@skills/messaging';
import { createHost, loadRuntimeConfig } from '@skills/service-runtime';
import { waitForConsumerGroup } from './kafka';
import { waitFor } from './wait-for';

/** The first admin's password in test hosts (startTestHost sets ADMIN_PASSWORD to it unless given). */
export const TEST_ADMIN_PASSWORD = 'test-admin-Passw0rd!';

export interface TestHostOptions {
  modules: Type[];
  databaseUrl: string;
  transport: 'in-process' | 'kafka';
  /** Kafka client id and consumer group, as a deployed service would have. */
  clientId?: string;
  kafkaBrokers?: string[];
  /**
   * On Kafka, the broker is expected to be down at the start (a host started during an outage): the start
   * returns at once. Otherwise it returns once the host has ensured the topics and its consumers have joined
   * their group, and throws if that takes longer than `linkWaitMs`.
   */
  brokerDown?: boolean;
  /** How long a Kafka host may take to link to the broker (default 60 s). */
  linkWaitMs?: number;
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
  if (options.transport === 'kafka' && !options.brokerDown) {
    try {
      await linked(app, options.kafkaBrokers ?? [], options.clientId ?? 'test-host', options.linkWaitMs ?? 60_000);
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/**
 * Waits until the host's BrokerLink has ensured the topics and connected the consumers (it does so in the
 * background: the host answers before, readiness `degraded`), then until their group has settled.
 */
async function linked(app: INestApplication, brokers: string[], groupId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const link = app.get<BrokerLink>(BROKER_LINK);
  await waitFor(() => link.connected, { timeoutMs, description: 'the host to link to the broker' }).catch(() => {
    const what = link.topicsEnsured ? 'its consumers have not connected' : 'it has not ensured the topics';
    throw new Error(
      `startTestHost: the host did not link to the broker at ${brokers.join(',')} within ${timeoutMs / 1000} s (${what}); a test that starts it with the broker down passes brokerDown: true`,
    );
  });
  await waitForConsumerGroup(brokers, groupId, Math.max(deadline - Date.now(), 5000));
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
