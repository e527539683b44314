// The users of no organisation in the browser: a platform admin opens the platform admins and trainee
// accounts from the users page (by the keyboard), finds a trainee's own account by the trainee's id, creates a
// second platform admin (the only role offered there), sets a new password for the trainee who forgot theirs
// (it then signs in, the old one no more), and disables the second admin; on its own row it is offered
// neither disabling (409 cannot_disable_self) nor a password reset. It registers a bureau on the
// organisations page (a name and a region code, a region code with no province said at the field first).
// A bureau officer administering an
// organisation of its region is offered no link to that organisation's audit log, which the API refuses it,
// and is offered its own bureau's; registering organisations, it is not offered bureaus.
// Every new view checked with axe-core in both modes.
import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

/** This flow's numbers (37_000–37_999), one set per locale: both locales share the platform (activation.ts has 35_000–35_999). */
/** Another city's bureau per locale, whose users the officer is not offered. */
const NEIGHBOURING_CITY: Record<Locale, string> = { 'zh-CN': '431000', en: '431100' };
const SERIAL: Record<Locale, number> = { 'zh-CN': 37_000, en: 37_500 };
/** A city per locale for the bureau (one bureau per region), and a district of it for its school. */
const PLACES: Record<Locale, { city: string; district: string }> = {
  'zh-CN': { city: '430300', district: '430302' },
  en: { city: '430400', district: '430405' },
};

async function made(context: WorkspaceContext, path: string, body: unknown): Promise<string> {
  const answer = await http(context.host.baseUrl, 'POST', path, body, bearer(context.adminToken));
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

/** Until identity's register holds the organisations: a user is created for one, and a bureau officer's token carries its region, only then. */
async function registered(context: WorkspaceContext, ids: string[]): Promise<void> {
  await waitFor(
    async () => {
      const listed = (await http(context.host.baseUrl, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return ids.every((id) => listed.includes(id)) || undefined;
    },
    { description: 'the organisations to reach identity', timeoutMs: 30_000 },
  );
}

export async function platformAccountsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const serial = SERIAL[locale];

  // A trainee with their own account (as an activation code opens it): a user of no organisation.
  const traineeId = await made(context, '/api/v1/trainees', { name: locale === 'en' ? '王账英' : '王账中', idNumber: testAdultIdentityNumber(serial + 3), phone: '13800000000' });
  const traineeUser = await context.newUser({ role: 'trainee', traineeId });

  const admin = await context.newUser({ role: 'platform_admin' });
  const page = await context.newPage();
  await context.signIn(page, admin, locale);

  // ---- from the users page to the users of no organisation, by the keyboard ------------------------------
  await page.goto(`${base}/admin/users`);
  await page.getByRole('heading', { name: t('admin.users.title'), level: 1 }).waitFor();
  const openPlatform = page.getByRole('link', { name: t('admin.users.openPlatform') });
  await openPlatform.focus();
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { name: t('admin.users.ofPlatform'), level: 2 });
  await heading.waitFor();
  // The trainee's account by the trainee's id, linked to their archive; never their username.
  const traineeRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: t('admin.users.traineeArchive', { traineeId }) }) });
  await traineeRow.getByRole('cell', { name: t('admin.role.trainee'), exact: true }).waitFor();
  expect(await page.getByText(traineeUser.username).count()).toBe(0);
  // The first admin and this one are listed too: platform admins have no organisation either.
  const ownRow = page.getByRole('row').filter({ hasText: admin.username });
  await ownRow.getByRole('cell', { name: t('admin.role.platform_admin'), exact: true }).waitFor();
  // Never disabling oneself (the API refuses it: nobody enables a user again), nor one's own password set without the current one.
  expect(await ownRow.getByRole('button').count()).toBe(0);
  const ownToken = (await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: admin.username, password: admin.password })).body.access_token as string;
  const disablingSelf = await http(base, 'POST', `/api/v1/users/${admin.userId}/disable`, undefined, bearer(ownToken));
  expect({ status: disablingSelf.status, rule: disablingSelf.body.rule }).toEqual({ status: 409, rule: 'cannot_disable_self' });
  await context.checkPage(page, locale, 'admin-users-platform');

  // ---- a second platform admin: the only role offered, no organisation to administer ------------------------
  const second = `second-admin-${locale}-${randomUUID().slice(0, 6)}`.toLowerCase();
  const password = `pw-${randomUUID()}`;
  await page.getByRole('button', { name: t('admin.users.create') }).click();
  await page.getByLabel(t('admin.users.username')).fill(second);
  await page.getByLabel(t('admin.users.password'), { exact: true }).fill(password);
  await page.getByLabel(t('admin.users.passwordAgain')).fill(password);
  expect(await page.getByLabel(t('admin.users.role')).locator('option').allTextContents()).toEqual([t('admin.role.platform_admin')]);
  expect(await page.getByLabel(t('admin.users.makeOrgAdmin')).count()).toBe(0);
  await page.getByRole('button', { name: t('admin.users.createSubmit') }).click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('admin.users.created', { username: second }) }));
  const secondRow = page.getByRole('row').filter({ hasText: second });
  await secondRow.getByRole('cell', { name: t('admin.userStatus.active'), exact: true }).waitFor();
  const signedIn = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: second, password });
  expect(signedIn.status).toBe(200);

  // ---- the trainee forgot their password: a new one set here signs in, the old one no more ----------------
  const traineeAccount = t('admin.users.traineeAccountOf', { traineeId });
  await traineeRow.getByRole('button', { name: t('admin.users.resetPassword', { username: traineeAccount }) }).click();
  const resetStep = page.getByRole('group', { name: t('admin.users.resetPassword', { username: traineeAccount }) });
  const newPassword = `pw-${randomUUID()}`;
  await resetStep.getByLabel(t('admin.users.newPassword'), { exact: true }).fill(newPassword);
  await resetStep.getByLabel(t('admin.users.newPasswordAgain'), { exact: true }).fill(newPassword);
  await context.checkPage(page, locale, 'admin-users-platform-reset-password');
  await resetStep.getByRole('button', { name: t('admin.users.resetPasswordConfirm', { username: traineeAccount }) }).click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('admin.users.passwordReset', { username: traineeAccount }) }));
  const withNew = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: traineeUser.username, password: newPassword });
  expect(withNew.status).toBe(200);
  const withOld = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: traineeUser.username, password: traineeUser.password });
  expect({ status: withOld.status, rule: withOld.body.rule }).toEqual({ status: 401, rule: 'invalid_grant' });

  // ---- the second admin disabled: confirmed on the page, then refused at sign-in ----------------------------
  await secondRow.getByRole('button', { name: t('admin.users.disable', { username: second }) }).click();
  await page.getByText(t('admin.users.confirmDisable', { username: second })).waitFor();
  await page.getByRole('button', { name: t('admin.users.disableConfirm', { username: second }) }).click();
  await secondRow.getByRole('cell', { name: t('admin.userStatus.disabled'), exact: true }).waitFor();
  await expectFocused(heading);
  await context.checkPage(page, locale);
  const refused = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: second, password });
  expect(refused.status).toBe(401);

  // ---- a bureau registered on the organisations page: a name and a region code, no credit code ---------------
  const { city, district } = PLACES[locale];
  const bureauName = `${locale === 'en' ? 'Accounts flow bureau' : '账号流程人社局'} ${locale}`;
  await page.getByRole('link', { name: t('nav.adminOrganisations'), exact: true }).click();
  await page.getByRole('button', { name: t('admin.organisations.register') }).click();
  const form = page.locator('#register-organisation');
  await form.getByLabel(t('admin.organisations.kind')).selectOption('bureau');
  expect(await form.getByLabel(t('admin.organisations.creditCode')).count()).toBe(0);
  await form.getByText(t('onboarding.bureauRegionHint')).waitFor();
  await form.getByLabel(t('admin.organisations.name')).fill(bureauName);
  const region = form.getByLabel(t('admin.organisations.region'));
  await region.fill('990000');
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await expectSaidAtField(region, t('onboarding.bureauRegionRule'));
  await expectFocused(region);
  await context.checkPage(page, locale, 'admin-organisations-bureau');
  await region.fill(city);
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('admin.organisations.registered', { name: bureauName }) }));
  // Its users are opened from the line saying it is registered: the link names the new bureau's id.
  const bureauUsers = await page.getByRole('link', { name: t('admin.organisations.openUsers', { name: bureauName }) }).getAttribute('href');
  const bureau = new URL(bureauUsers ?? '', base).searchParams.get('organisationId') ?? '';
  expect(bureau).toMatch(/^[0-9a-f-]{36}$/);
  // One bureau per region: the same region again is said at the region, and nothing is registered.
  await page.getByRole('button', { name: t('admin.organisations.register') }).click();
  await form.getByLabel(t('admin.organisations.kind')).selectOption('bureau');
  await form.getByLabel(t('admin.organisations.name')).fill(`${bureauName} 2`);
  await region.fill(city);
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await expectSaidAtField(region, t('rule.bureau_region_registered'));
  await expectFocused(region);
  await page.getByRole('button', { name: t('admin.organisations.register') }).click();

  // ---- a bureau officer administering a school of its region: no link to an audit log it may not read -----
  const school = await made(context, '/api/v1/providers', { name: `${locale === 'en' ? 'Accounts flow school' : '账号流程培训学校'} ${locale}`, creditCode: testCreditCode(serial + 1), regionCode: district });
  await registered(context, [bureau, school]);
  const officer = await context.newUser({ role: 'bureau_officer', organisationId: bureau, orgAdmin: true });
  const officerToken = (await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: officer.username, password: officer.password })).body.access_token as string;
  expect((await http(base, 'GET', `/api/v1/audit?organisationId=${school}`, undefined, bearer(officerToken))).status).toBe(403);
  const officerPage = await context.newPage();
  await context.signIn(officerPage, officer, locale);
  await officerPage.goto(`${base}/admin/users?organisationId=${school}`);
  await officerPage.getByRole('heading', { name: t('admin.users.ofChosen'), level: 2 }).waitFor();
  // The school's users read (none yet): the page has settled, with no audit link and no platform accounts.
  await officerPage.getByRole('status').filter({ hasText: t('common.noneFound') }).waitFor();
  expect(await officerPage.getByRole('link', { name: t('admin.users.audit') }).count()).toBe(0);
  expect(await officerPage.getByRole('link', { name: t('admin.users.openPlatform') }).count()).toBe(0);
  // Its own bureau's users: the audit log it may read is linked (the officer, its first user, listed).
  expect((await http(base, 'GET', `/api/v1/audit?organisationId=${bureau}`, undefined, bearer(officerToken))).status).toBe(200);
  await officerPage.goto(`${base}/admin/users?organisationId=${bureau}`);
  await officerPage.getByRole('row').filter({ hasText: officer.username }).waitFor();
  await officerPage.getByRole('link', { name: t('admin.users.audit') }).waitFor();
  // The register of bureaus: its own bureau's users are linked, another bureau's (always refused it) not.
  const neighbourName = `${locale === 'en' ? 'Neighbouring bureau' : '邻市人社局'} ${locale}`;
  const neighbour = await made(context, '/api/v1/bureaus', { name: neighbourName, regionCode: NEIGHBOURING_CITY[locale] });
  await registered(context, [neighbour]);
  await officerPage.goto(`${base}/admin/organisations`);
  await officerPage.locator('#filter-kind').selectOption('bureau');
  await officerPage.getByRole('button', { name: t('common.search'), exact: true }).click();
  const bureauRow = (regionCode: string) => officerPage.getByRole('row').filter({ has: officerPage.getByRole('cell', { name: regionCode, exact: true }) });
  await bureauRow(NEIGHBOURING_CITY[locale]).waitFor();
  await bureauRow(city).getByRole('link', { name: t('admin.organisations.usersOf', { name: bureauName }) }).waitFor();
  expect(await bureauRow(NEIGHBOURING_CITY[locale]).getByRole('link', { name: t('admin.organisations.usersOf', { name: neighbourName }) }).count()).toBe(0);
  // Registering organisations of its region, it is not offered bureaus (a platform admin's alone).
  await officerPage.getByRole('button', { name: t('admin.organisations.register') }).click();
  expect(await officerPage.locator('#register-organisation').getByLabel(t('admin.organisations.kind')).locator('option').allTextContents()).toEqual(
    (['provider', 'evaluator', 'employer'] as const).map((kind) => t(`admin.kind.${kind}`)),
  );
}
