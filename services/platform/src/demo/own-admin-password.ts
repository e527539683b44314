import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { type DemoCredentials, signIn } from './load-demo';

/**
 * The first admin's password the demo signs in with. A generated one is temporary (the platform printed
 * it): its token may do nothing but choose the admin's own (403 password_change_required). Read from its
 * file, the demo chooses the admin's own and writes it to that file in its place (mode 600), so that
 * README's "sign in with the file's password" still holds; given in ADMIN_PASSWORD and temporary (an
 * admin reset it so), the demo cannot know what the admin would choose, and says so.
 */
export async function ownAdminPassword(baseUrl: string, credentials: DemoCredentials, log: (line: string) => void): Promise<string> {
  const current = credentials.adminPassword;
  const bearer = (await signIn(baseUrl, 'admin', current)).accessToken;
  const me = (await (await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { userId: string; passwordChangeRequired?: boolean };
  if (!me.passwordChangeRequired) return current;
  const file = credentials.passwordFile;
  if (!file) throw new Error('the admin’s password (ADMIN_PASSWORD) is a temporary one: sign in once, choose your own, and give that in ADMIN_PASSWORD');
  const chosen = randomBytes(18).toString('base64url');
  // Written beside the file first: a password changed but written nowhere would lock the admin out. A name
  // of this run's own: two loaders at once (npm start -- --demo and npm run demo) must not swap their files;
  // the second one's change is refused (its current password is no longer the admin's) and it writes nothing.
  const next = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  writeFileSync(next, `${chosen}\n`, { mode: 0o600 });
  const response = await fetch(`${baseUrl}/api/v1/users/${me.userId}/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ password: chosen, currentPassword: current }),
  });
  if (!response.ok) {
    rmSync(next, { force: true });
    throw new Error(`choosing the admin’s own password answered ${response.status}: ${JSON.stringify(await response.json().catch(() => ({})))}`);
  }
  renameSync(next, file);
  log(`the admin's generated password was a temporary one: the demo chose the admin's own, written to ${file} in its place`);
  return chosen;
}
