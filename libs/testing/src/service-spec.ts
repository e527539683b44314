// The set-up of a service's HTTP spec, in one call: the worker's token issuer (before the host, so the
// host trusts it), a fresh database, the service's host on it in-process, and an apiSpec of its schema.
//
//   let service: ServiceSpec;
//   beforeAll(async () => (service = await startServiceSpec({ modules: [TrainingModule], service: 'training', clock })));
//   afterAll(() => service?.close());
import { Type } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { apiSpec, ApiSpec } from './api-spec';
import type { TestUser } from './sign-in';
import { createTestDatabase, TestDatabase } from './test-database';
import { startTestHost, TestHost } from './test-host';
import { testIssuer, TestIssuer } from './test-issuer';

export interface ServiceSpecOptions {
  modules: Type[];
  /** The service's schema, where apiSpec looks for the events a request records. */
  service: string;
  /** A fixed clock, to see rules judged "today" against a day of the test's choosing. */
  clock?: Clock;
  replicaWaitMs?: number;
  /** Further settings of the host, as the environment gives them (TestHostOptions.settings). */
  settings?: Record<string, string>;
  /**
   * The access token every request of the spec carries: one the issuer signs for this user, or one the
   * function answers once the host is up (for a user of an organisation registered through the host).
   */
  token?: TestUser | ((started: { host: TestHost; issuer: TestIssuer }) => Promise<string>);
}

export interface ServiceSpec {
  host: TestHost;
  spec: ApiSpec;
  issuer: TestIssuer;
  database: TestDatabase;
  /** Closes the spec and the host, and drops the database. */
  close(): Promise<void>;
}

/** Starts all of a service spec; if any part fails, closes what had started and rejects. */
export async function startServiceSpec(options: ServiceSpecOptions): Promise<ServiceSpec> {
  const issuer = await testIssuer();
  const database = await createTestDatabase();
  let host: TestHost | undefined;
  let spec: ApiSpec | undefined;
  const close = async () => {
    await spec?.close();
    await host?.close();
    await database.drop();
  };
  try {
    host = await startTestHost({ modules: options.modules, transport: 'in-process', databaseUrl: database.url, replicaWaitMs: options.replicaWaitMs, clock: options.clock, settings: options.settings });
    const token =
      typeof options.token === 'function' ? await options.token({ host, issuer }) : options.token ? await issuer.token(options.token) : undefined;
    spec = apiSpec({ host, databaseUrl: database.url, service: options.service, token });
    return { host, spec, issuer, database, close };
  } catch (error) {
    await close();
    throw error;
  }
}
