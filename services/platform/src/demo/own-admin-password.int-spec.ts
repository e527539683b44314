// The demo signs in as the first admin. A generated password is temporary (the platform printed it), so the
// demo chooses the admin's own, and writes it where the generated one was, for the person trying the platform.
import { IdentityModule } from '@skills/identity-service';
import { bearer, createTestDatabase, http, startTestHost } from '@skills/testing';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminPasswordFrom } from './load-demo';
import { ownAdminPassword } from './own-admin-password';

describe('the demo and the first admin’s generated password', () => {
  it('chooses the admin’s own in place of the temporary one, in its file, once', async () => {
    const database = await createTestDatabase();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'demo-admin-')), 'admin-password');
    process.env.ADMIN_PASSWORD_FILE = file;
    // Empty, not unset: test hosts otherwise give the first admin the test password.
    process.env.ADMIN_PASSWORD = '';
    const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    try {
      const generated = readFileSync(file, 'utf8').trim();
      const said: string[] = [];
      const chosen = await ownAdminPassword(host.baseUrl, adminPasswordFrom(process.env, file), (line) => said.push(line));
      expect(chosen).not.toBe(generated);
      expect(readFileSync(file, 'utf8').trim()).toBe(chosen);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(said.join('\n')).toContain(file);
      // The admin's own now: everything the admin may do, with it; the generated one signs in no more.
      const token = (await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: chosen })).body.access_token as string;
      expect((await http(host.baseUrl, 'GET', '/api/v1/me', undefined, bearer(token))).body).toMatchObject({ passwordChangeRequired: false });
      expect((await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: generated })).status).toBe(401);
      // Loaded again: the file's password is the admin's own, used as it is.
      expect(await ownAdminPassword(host.baseUrl, adminPasswordFrom(process.env, file), (line) => said.push(line))).toBe(chosen);
      expect(said).toHaveLength(1);
      // Given in ADMIN_PASSWORD and temporary (an admin reset it so): the demo cannot choose for the admin.
      const admin = bearer(token);
      const me = (await http(host.baseUrl, 'GET', '/api/v1/me', undefined, admin)).body;
      const other = { username: 'second.admin', password: 'second-admin-password', role: 'platform_admin' };
      expect((await http(host.baseUrl, 'POST', '/api/v1/users', other, admin)).status).toBe(201);
      const second = bearer((await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: other.username, password: other.password })).body.access_token);
      expect((await http(host.baseUrl, 'POST', `/api/v1/users/${me.userId}/password`, { password: 'reset-by-another', temporaryPassword: true }, second)).status).toBe(200);
      await expect(ownAdminPassword(host.baseUrl, { adminPassword: 'reset-by-another' }, () => undefined)).rejects.toThrow(/temporary one: sign in once, choose your own/);
    } finally {
      delete process.env.ADMIN_PASSWORD_FILE;
      delete process.env.ADMIN_PASSWORD;
      await host.close();
      await database.drop();
    }
  });
});
