import { Role } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { http, TEST_ADMIN_PASSWORD } from './test-host';

export interface TestUser {
  role: Role;
  organisationId?: string;
  traineeId?: string;
  orgAdmin?: boolean;
  /** The region of the user's organisation (a test issuer's token claim; identity reads it from the register). */
  regionCode?: string;
  /** How the token was got (a test issuer's claim): signed in (`token`, the default) or with an API key. */
  via?: 'token' | 'apiKey';
}

async function token(baseUrl: string, username: string, password: string): Promise<string> {
  const answer = await http(baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password });
  if (answer.status !== 200) throw new Error(`signing in as ${username} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}

/** The first admin's access token on a host whose identity module was started with TEST_ADMIN_PASSWORD. */
export const adminToken = (baseUrl: string) => token(baseUrl, 'admin', TEST_ADMIN_PASSWORD);

/**
 * A new user of that role, created by the admin through the API, signed in: their access token and id.
 * The real path, scrypt and all, so a test acts as people do.
 */
export async function signInAs(baseUrl: string, user: TestUser): Promise<{ token: string; userId: string; password: string; renew: () => Promise<string> }> {
  const username = `${user.role}.${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const created = await http(baseUrl, 'POST', '/api/v1/users', { username, password, ...user }, { authorization: `Bearer ${await adminToken(baseUrl)}` });
  if (created.status !== 201) throw new Error(`creating ${username} answered ${created.status}: ${JSON.stringify(created.body)}`);
  // renew: a fresh token for a run longer than a token lives (ACCESS_TOKEN_SECONDS), e.g. the API fuzz.
  const renew = () => token(baseUrl, username, password);
  return { token: await renew(), userId: created.body.id as string, password, renew };
}

/** Authorization header of a token, for `http(…, headers)`. */
export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
