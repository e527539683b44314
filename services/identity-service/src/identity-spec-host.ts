// The identity specs' host: identity-service alone on a database of its own, its first admin made with a
// known password, on the in-process transport (facts given with publishFacts).
import { Clock } from '@skills/domain-kernel';
import { createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { IdentityModule } from './identity.module';

/** The first admin's password (ADMIN_PASSWORD as the host starts). */
export const FIRST_ADMIN_PASSWORD = 'first-admin-Passw0rd';

export interface IdentitySpecHost {
  database: TestDatabase;
  host: TestHost;
}

/** Started in a spec's beforeAll; `clock` for a spec that moves time. */
export async function startIdentitySpecHost(options: { clock?: Clock } = {}): Promise<IdentitySpecHost> {
  const database = await createTestDatabase();
  process.env.ADMIN_PASSWORD = FIRST_ADMIN_PASSWORD;
  try {
    return { database, host: await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url, ...options }) };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** In the spec's afterAll: whatever of it was started. */
export async function closeIdentitySpecHost(started: Partial<IdentitySpecHost>): Promise<void> {
  delete process.env.ADMIN_PASSWORD;
  await started.host?.close();
  await started.database?.drop();
}

/** A request to the host `hostOf()` answers (set in beforeAll), with a bearer token when given. */
export const callerOf =
  (hostOf: () => TestHost) =>
  (method: string, route: string, body?: unknown, token?: string) =>
    http(hostOf().baseUrl, method, route, body, token ? { authorization: `Bearer ${token}` } : {});

/** The access token of a password sign-in on the host `hostOf()` answers, which must succeed. */
export const accessTokenOf =
  (hostOf: () => TestHost) =>
  async (username: string, password: string): Promise<string> => {
    const answer = await callerOf(hostOf)('POST', '/oauth/token', { grant_type: 'password', username, password });
    if (answer.status !== 200) throw new Error(`signing in ${username} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.access_token as string;
  };
