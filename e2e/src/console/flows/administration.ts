// Administration in the browser: a platform admin, led from the welcome page to registering organisations,
// registers an employer (each field's rule said at it before anything is sent: a name missing, a credit code
// whose check character does not fit, a region code with no province, an industry code outside its section;
// bureaus offered among the kinds), creates a user for it (a bad username, a short password and differing
// ones said at their fields before sending, the server's refusal of an overlong password and of a username
// taken said at their fields), the box "must change it at first sign-in" left checked (their row in the list says
// they must change it, until they do), who then signs in and is taken to choose their own password from any page, told why, and goes on with it; sets a new password for them (a too-short one said at the field; the old one then signs in no
// more and their open session ends), disables them (the sign-in page then refuses them and their open session ends), is offered
// no API key of its own (domain.md section 9); a staff user of the employer is refused an API key with a session signed in
// over ten minutes before and signs in again from the refusal (its signing out ending the session on the server too),
// creates an API key whose secret is shown once and
// revokes it; the platform admin finds the user's creation in the organisation's
// audit log, and rotates the token-signing key twice and retires the key between. Every page checked with
// axe-core in both modes. On the way: the employer's registration, its answer lost and sent again, is
// recorded once, and its users are opened from the line saying it is registered (the register's list has
// it a moment later); the organisation picker says when more match than it lists.
import { http, testCreditCode, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Locator, Page, Request } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { ageSessions } from './sessions';
import { WorkspaceContext } from './workspace-context';

/** This area's numbers (34_000–34_999): one credit code per locale, as both locales share the platform. */
const CREDIT_CODE_NUMBER: Record<Locale, number> = { 'zh-CN': 34_000, en: 34_001 };
/** The first of the eleven schools of one name that the organisation picker lists ten of, per locale. */
const NAMESAKES_NUMBER: Record<Locale, number> = { 'zh-CN': 34_100, en: 34_200 };
const NAMESAKES = 11;

/** Eleven schools whose names share `name`, through the API: more than the organisation picker lists. */
async function registerNamesakes(context: WorkspaceContext, locale: Locale, name: string): Promise<void> {
  for (let index = 0; index < NAMESAKES; index++) {
    const school = { name: `${name} ${index}`, creditCode: testCreditCode(NAMESAKES_NUMBER[locale] + index), regionCode: '430200' };
    const registered = await http(context.host.baseUrl, 'POST', '/api/v1/providers', school, { authorization: `Bearer ${context.adminToken}` });
    if (registered.status !== 201) throw new Error(`registering ${school.name} answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  }
}

/** How many refresh tokens of the user still renew: none once their sessions ended. */
async function liveRefreshTokens(databaseUrl: string, userId: string): Promise<number> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM identity.refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    return Number(rows[0].n);
  } finally {
    await sql.end();
  }
}

/** The credit code with its check character changed: 18 characters of the alphabet, the check not fitting. */
const withWrongCheck = (code: string) => code.slice(0, 17) + (code[17] === '0' ? '1' : '0');

/** Notes the page's requests to `path` (a POST to the API): none is sent while the console's own check finds a field wrong. */
function notePosts(page: Page, path: string): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === path) sent.push(request.url());
  });
  return sent;
}

/** Presses `retry` (a search, a reload) until `target` shows: what other services publish arrives a moment later. */
async function untilVisible(page: Page, target: ReturnType<Page['locator']>, retry: () => Promise<unknown>, description: string): Promise<void> {
  await waitFor(
    async () => {
      if (await target.first().isVisible()) return true;
      await retry();
      await target
        .first()
        .waitFor({ timeout: 1_000 })
        .catch(() => undefined);
      return (await target.first().isVisible()) || undefined;
    },
    { timeoutMs: 30_000, description },
  );
}

export async function administrationFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const admin = await context.newUser({ role: 'platform_admin' });
  const page = await context.newPage();
  await context.signIn(page, admin, locale);
  const namesake = `${locale === 'en' ? 'Admin flow namesake school' : '管理流程同名学校'} ${randomUUID().slice(0, 6)}`;
  await registerNamesakes(context, locale, namesake);

  // ---- the welcome page: a platform admin is led on to setting the platform up ---------------------------
  await page.goto(`${context.host.baseUrl}/`);
  await page.getByRole('heading', { name: t('onboarding.nextSteps'), level: 2 }).waitFor();
  await page.getByRole('link', { name: t('onboarding.manageUsers') }).waitFor();
  await context.checkPage(page, locale);
  await page.getByRole('link', { name: t('onboarding.registerOrganisations') }).click();

  // ---- organisations: register an employer ---------------------------------------------------------
  const employerName = `${locale === 'en' ? 'Admin flow rail works' : '管理流程轨道装备公司'} ${randomUUID().slice(0, 6)}`;
  await page.getByRole('heading', { name: t('admin.organisations.title'), level: 1 }).waitFor();
  await page.getByRole('button', { name: t('admin.organisations.register') }).click();
  const form = page.locator('#register-organisation');
  // A platform admin registers bureaus too (domain.md section 9).
  expect(await form.getByLabel(t('admin.organisations.kind')).locator('option').allTextContents()).toEqual(
    (['bureau', 'provider', 'evaluator', 'employer'] as const).map((kind) => t(`admin.kind.${kind}`)),
  );
  await form.getByLabel(t('admin.organisations.kind')).selectOption('employer');
  // Each field's rule said at it before anything is sent, the focus on the first wrong one (the name, left empty).
  const employerPosts = notePosts(page, '/api/v1/employers');
  const nameField = form.getByLabel(t('admin.organisations.name'));
  const creditCodeField = form.getByLabel(t('admin.organisations.creditCode'));
  const regionField = form.getByLabel(t('admin.organisations.region'));
  const industryField = form.getByLabel(t('admin.organisations.industryCode'));
  await creditCodeField.fill(withWrongCheck(testCreditCode(CREDIT_CODE_NUMBER[locale])));
  await regionField.fill('430012');
  await industryField.fill('C99');
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await expectSaidAtField(nameField, t('onboarding.nameRequired'));
  await expectFocused(nameField);
  await expectSaidAtField(creditCodeField, t('onboarding.creditCodeRule'));
  await expectSaidAtField(regionField, t('onboarding.regionRule'));
  await expectSaidAtField(industryField, t('onboarding.industryRule'));
  await context.checkPage(page, locale, 'admin-organisations-said-at-fields');
  // A code too short is told its shape, not a mistyped check character.
  await creditCodeField.fill('9143020');
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await expectSaidAtField(creditCodeField, t('onboarding.creditCodeShape'));
  expect(employerPosts).toEqual([]);
  await nameField.fill(employerName);
  await form.getByLabel(t('admin.organisations.creditCode')).fill(testCreditCode(CREDIT_CODE_NUMBER[locale]));
  await form.getByLabel(t('admin.organisations.region')).fill('430211');
  await form.getByLabel(t('admin.organisations.industryCode')).fill('C37');
  await context.checkPage(page, locale, 'admin-organisations');
  // The first sending's answer is lost on the way back (the employer registered all the same): pressed
  // again, the same command is answered with the same employer, not refused as a credit code registered.
  const employers = (url: URL) => url.pathname === '/api/v1/employers';
  let registeredFirst: { status: number; id?: string } | undefined;
  await page.route(
    employers,
    async (route) => {
      const answer = await route.fetch();
      registeredFirst = { status: answer.status(), id: ((await answer.json()) as { id?: string }).id };
      await route.abort('connectionreset');
    },
    { times: 1 },
  );
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await form.getByRole('alert').filter({ hasText: t('common.failed') }).waitFor();
  expect(registeredFirst).toMatchObject({ status: 201, id: expect.any(String) });
  await page.unroute(employers);
  await form.getByRole('button', { name: t('admin.organisations.registerSubmit') }).click();
  await page.getByText(t('admin.organisations.registered', { name: employerName })).waitFor();
  // The form closed: the keyboard's focus is on the line saying so, not lost to <body>.
  await expectFocused(page.getByRole('status').filter({ hasText: t('admin.organisations.registered', { name: employerName }) }));
  await context.checkPage(page, locale);

  // ---- users: create one for the employer, opened from the line saying it is registered ---------------
  await page.getByRole('link', { name: t('admin.organisations.openUsers', { name: employerName }) }).click();
  await page.getByRole('heading', { name: t('admin.users.of', { name: employerName }) }).waitFor();
  const organisationId = new URL(page.url()).searchParams.get('organisationId');
  expect(organisationId).toBe(registeredFirst?.id);
  // No catalogue prefix before a dot (`admin.`): checkPage would take the username for an untranslated key.
  const username = `rail-clerk-${locale}-${randomUUID().slice(0, 6)}`.toLowerCase();
  const password = `pw-${randomUUID()}`;
  await page.getByRole('button', { name: t('admin.users.create') }).click();
  const usernameField = page.getByLabel(t('admin.users.username'));
  const passwordField = page.getByLabel(t('admin.users.password'), { exact: true });
  const passwordAgainField = page.getByLabel(t('admin.users.passwordAgain'));
  const createSubmit = page.getByRole('button', { name: t('admin.users.createSubmit') });
  // The rules the console judges, said at their fields before anything is sent, the focus on the first wrong one.
  const userPosts = notePosts(page, '/api/v1/users');
  await usernameField.fill('no spaces');
  await passwordField.fill('short');
  await passwordAgainField.fill('shorter');
  await createSubmit.click();
  await expectSaidAtField(usernameField, t('onboarding.usernameRule'));
  await expectFocused(usernameField);
  await expectSaidAtField(passwordField, t('admin.users.passwordShort'));
  await expectSaidAtField(passwordAgainField, t('admin.users.passwordsDiffer'));
  await context.checkPage(page, locale, 'admin-users-said-at-fields');
  expect(userPosts).toEqual([]);
  // One the console does not judge, the server's refusal (a password past its 200 characters) said at the field, which takes the focus.
  const overlong = 'p'.repeat(201);
  await usernameField.fill(username);
  await passwordField.fill(overlong);
  await passwordAgainField.fill(overlong);
  await createSubmit.click();
  await expectSaidAtField(passwordField, t('fieldRule.isLength'));
  await expectFocused(passwordField);
  expect(userPosts).toHaveLength(1);
  await passwordField.fill(password);
  await passwordAgainField.fill(password);
  // The employer's kind leaves one role to choose.
  expect(await page.getByLabel(t('admin.users.role')).locator('option').allTextContents()).toEqual([t('admin.role.employer_staff')]);
  // A password the administrator knows: by default the user must choose their own at the first sign-in.
  expect(await page.getByLabel(t('temporaryPasswords.mustChange')).isChecked()).toBe(true);
  await createSubmit.click();
  await page.getByText(t('admin.users.created', { username })).waitFor();
  await expectFocused(page.getByRole('status').filter({ hasText: t('admin.users.created', { username }) }));
  const userRow = page.getByRole('row').filter({ hasText: username });
  await userRow.getByRole('cell', { name: t('admin.userStatus.active'), exact: true }).waitFor();
  // The box left checked: their row says, in words, that they have yet to change it.
  const mustChange = userRow.getByRole('cell', { name: t('admin.users.mustChangePassword'), exact: true });
  await mustChange.waitFor();
  await context.checkPage(page, locale, 'admin-users');
  // The same username again: taken, said at the username.
  await page.getByRole('button', { name: t('admin.users.create') }).click();
  await usernameField.fill(username);
  await passwordField.fill(password);
  await passwordAgainField.fill(password);
  await createSubmit.click();
  await expectSaidAtField(usernameField, t('rule.username_taken'));
  await expectFocused(usernameField);
  await page.getByRole('button', { name: t('admin.users.create') }).click();

  // The organisation picker lists ten of the eleven namesakes and says more match; one name alone, no such line.
  await waitFor(
    async () => {
      const found = await http(context.host.baseUrl, 'GET', `/api/v1/organisations?q=${encodeURIComponent(namesake)}&limit=20`);
      return (found.body.items as unknown[]).length === NAMESAKES || undefined;
    },
    { timeoutMs: 30_000, description: 'the namesakes in the register' },
  );
  const picker = page.getByRole('search').filter({ has: page.getByLabel(t('admin.picker.search')) });
  await picker.getByLabel(t('admin.picker.search')).fill(namesake);
  await picker.getByRole('button', { name: t('common.search') }).click();
  await page.getByRole('status').filter({ hasText: t('admin.picker.moreMatch', { shown: 10 }) }).waitFor();
  expect(await page.getByRole('list', { name: t('admin.picker.matches') }).getByRole('button').count()).toBe(10);
  await picker.getByLabel(t('admin.picker.search')).fill(employerName);
  await picker.getByRole('button', { name: t('common.search') }).click();
  await page.getByRole('list', { name: t('admin.picker.matches') }).getByRole('button').filter({ hasText: employerName }).waitFor();
  expect(await page.getByRole('list', { name: t('admin.picker.matches') }).getByRole('button').count()).toBe(1);
  expect(await page.getByText(t('admin.picker.moreMatch', { shown: 10 })).count()).toBe(0);
  // What it found is said by the status line, for a screen reader too; and the same search again says it again
  // (the line emptied while it is on its way, then filled), where words left as they were are not announced.
  const found = page.getByRole('status').filter({ hasText: t('search.found', { count: 1 }) });
  await found.waitFor();
  await found.evaluate((line) => {
    const status = line as unknown as { textContent: string; said?: string[] };
    status.said = [];
    const Observer = (globalThis as unknown as { MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void } }).MutationObserver;
    new Observer(() => status.said?.push(status.textContent)).observe(line, { childList: true, subtree: true, characterData: true });
  });
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/organisations');
  await picker.getByRole('button', { name: t('common.search') }).click();
  await answered;
  await page.getByRole('list', { name: t('admin.picker.matches') }).getByRole('button').filter({ hasText: employerName }).waitFor();
  expect(await found.evaluate((line) => (line as unknown as { said: string[] }).said)).toEqual(['', t('search.found', { count: 1 })]);

  // The new user signs in, in a page of their own, and is taken to choose their own password, told why,
  // from whatever page they open; chosen (by the keyboard), they go on.
  const userPage = await context.newPage();
  await context.signIn(userPage, { username, password }, locale);
  await userPage.waitForURL(/\/me\/password$/);
  const why = userPage.getByText(t('temporaryPasswords.why'));
  await why.waitFor();
  await userPage.goto(`${context.host.baseUrl}/admin/api-keys`);
  await userPage.waitForURL(/\/me\/password$/);
  await why.waitFor();
  await context.checkPage(userPage, locale, 'me-password-temporary');
  // A public page is left alone: anyone verifies a certificate, signed in or not, so /verify stays (its heading
  // seen once the session is read, which is when the user would be taken away).
  await userPage.goto(`${context.host.baseUrl}/verify`);
  await userPage.getByText(t('layout.signedInAs', { username }), { exact: true }).waitFor();
  await userPage.getByRole('heading', { level: 1, name: t('verify.title'), exact: true }).waitFor({ timeout: 10_000 });
  expect(new URL(userPage.url()).pathname).toBe('/verify');
  await userPage.goto(`${context.host.baseUrl}/me/password`);
  await why.waitFor();
  const chosen = `own-${randomUUID()}`;
  await userPage.getByLabel(t('myPassword.current'), { exact: true }).fill(password);
  await userPage.getByLabel(t('myPassword.new'), { exact: true }).fill(chosen);
  await userPage.getByLabel(t('myPassword.newAgain'), { exact: true }).fill(chosen);
  await userPage.getByRole('button', { name: t('myPassword.submit') }).focus();
  await userPage.keyboard.press('Enter');
  await expectFocused(userPage.getByRole('status').filter({ hasText: t('myPassword.changed') }));
  // Signed in again with their own (GET /api/v1/me read again): the line goes.
  await why.waitFor({ state: 'detached' });
  await userPage.goto(`${context.host.baseUrl}/admin/api-keys`);
  await userPage.getByRole('heading', { name: t('admin.apiKeys.title'), level: 1 }).waitFor();
  expect(new URL(userPage.url()).pathname).toBe('/admin/api-keys');
  // The administrator's list, read again, no longer says they must change it.
  await page.reload();
  await page.getByRole('heading', { name: t('admin.users.of', { name: employerName }) }).waitFor();
  await userRow.getByRole('cell', { name: t('admin.userStatus.active'), exact: true }).waitFor();
  expect(await mustChange.count()).toBe(0);

  // ---- reset their password (forgotten): typed twice, a too-short one said at the field, nothing sent ------
  const passwordChanges: string[] = [];
  const notePasswordChange = (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/password')) passwordChanges.push(request.url());
  };
  page.on('request', notePasswordChange);
  await userRow.getByRole('button', { name: t('admin.users.resetPassword', { username }) }).click();
  await page.getByText(t('admin.users.confirmResetPassword', { username })).waitFor();
  const resetStep = page.getByRole('group', { name: t('admin.users.resetPassword', { username }) });
  const newPasswordField = resetStep.getByLabel(t('admin.users.newPassword'), { exact: true });
  const newPasswordAgain = resetStep.getByLabel(t('admin.users.newPasswordAgain'), { exact: true });
  // The step opened in place of its button: the keyboard's focus is in its first field.
  await expectFocused(newPasswordField);
  expect(await resetStep.getByLabel(t('temporaryPasswords.mustChange')).isChecked()).toBe(true);
  const resetConfirm = resetStep.getByRole('button', { name: t('admin.users.resetPasswordConfirm', { username }) });
  await newPasswordField.fill('too-short');
  await newPasswordAgain.fill('too-short');
  await resetConfirm.click();
  await resetStep.getByText(t('admin.users.passwordShort'), { exact: true }).waitFor();
  expect(await newPasswordField.getAttribute('aria-invalid')).toBe('true');
  await expectFocused(newPasswordField);
  await context.checkPage(page, locale, 'admin-users-reset-password');
  expect(passwordChanges).toEqual([]);
  const newPassword = `pw-${randomUUID()}`;
  await newPasswordField.fill(newPassword);
  await newPasswordAgain.fill(newPassword);
  await resetConfirm.click();
  const passwordReset = page.getByRole('status').filter({ hasText: t('admin.users.passwordReset', { username }) });
  await expectFocused(passwordReset);
  expect(passwordChanges).toHaveLength(1);
  // Set with the box checked: their row, read again, says so once more.
  await mustChange.waitFor();
  page.off('request', notePasswordChange);
  // The new password signs in, the old one no more.
  const withNew = await http(context.host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password: newPassword });
  expect({ status: withNew.status, token: typeof withNew.body.access_token }).toEqual({ status: 200, token: 'string' });
  const withOld = await http(context.host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password });
  expect({ status: withOld.status, rule: withOld.body.rule }).toEqual({ status: 401, rule: 'invalid_grant' });
  // Their session signed in with the old one ended: the next page they open is the sign-in page. They sign in with the new one.
  await userPage.goto(`${context.host.baseUrl}/admin/api-keys`);
  await userPage.waitForURL(/\/sign-in/, { timeout: 30_000 });
  await context.signIn(userPage, { username, password: newPassword }, locale);
  // Set by the administrator again, the box left checked: theirs to change again first.
  await userPage.waitForURL(/\/me\/password$/);
  await userPage.getByText(t('temporaryPasswords.why')).waitFor();

  // ---- disable them: an inline confirmation, then the user is refused and their session ends ----------
  await userRow.getByRole('button', { name: t('admin.users.disable', { username }) }).click();
  await page.getByText(t('admin.users.confirmDisable', { username })).waitFor();
  await page.getByRole('button', { name: t('admin.users.disableConfirm', { username }) }).click();
  await userRow.getByRole('cell', { name: t('admin.userStatus.disabled'), exact: true }).waitFor();
  // The step went with the row's change: focus is on the heading of the organisation's users.
  await expectFocused(page.getByRole('heading', { name: t('admin.users.of', { name: employerName }) }));

  // Their open session: the next page they open finds them signed out, at the sign-in page.
  await userPage.goto(`${context.host.baseUrl}/admin/api-keys`);
  await userPage.waitForURL(/\/sign-in/, { timeout: 30_000 });
  const userWords = wordsOf((await userPage.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'zh-CN');
  await userPage.getByLabel(userWords('signIn.username')).fill(username);
  await userPage.getByLabel(userWords('signIn.password')).fill(newPassword);
  await userPage.getByRole('button', { name: userWords('signIn.submit') }).click();
  // With the right password: told the account is closed, not that the password is wrong (to be tried again and again).
  await userPage.getByRole('alert').filter({ hasText: userWords('rule.account_closed') }).waitFor();
  expect(await userPage.getByText(userWords('signIn.refused')).count()).toBe(0);

  // ---- API keys: a platform admin makes none (domain.md section 9), it only reads and revokes them ----------
  await page.goto(`${context.host.baseUrl}/admin/api-keys`);
  await page.getByRole('heading', { name: t('admin.apiKeys.title'), level: 1 }).waitFor();
  await page.getByText(t('admin.apiKeys.noneForPlatformAdmin')).waitFor();
  expect(await page.getByRole('button', { name: t('admin.apiKeys.create') }).count()).toBe(0);
  await context.checkPage(page, locale, 'admin-api-keys-platform-admin');

  // ---- API keys: a staff user's own, only within ten minutes of signing in, the way to sign in again in the refusal ----
  const keyMaker = await context.newUser({ role: 'employer_staff', organisationId: organisationId ?? undefined });
  const keyPage = await context.newPage();
  await context.signIn(keyPage, keyMaker, locale);
  const keyName = `${locale === 'en' ? 'Nightly import' : '夜间导入'} ${randomUUID().slice(0, 6)}`;
  // Eleven minutes on: the page, opened again, renews its token from the session, which keeps its sign-in's time.
  await ageSessions(context.databaseUrl, keyMaker.userId, 11);
  await keyPage.goto(`${context.host.baseUrl}/admin/api-keys`);
  await keyPage.getByRole('heading', { name: t('admin.apiKeys.title'), level: 1 }).waitFor();
  await keyPage.getByLabel(t('admin.apiKeys.name')).fill(keyName);
  await keyPage.getByRole('button', { name: t('admin.apiKeys.create') }).click();
  await keyPage.getByRole('alert').filter({ hasText: t('rule.recent_sign_in_required') }).waitFor();
  await context.checkPage(keyPage, locale, 'admin-api-keys-sign-in-again');
  await keyPage.getByRole('button', { name: t('admin.apiKeys.signInAgain') }).click();
  await keyPage.waitForURL(/\/sign-in\?next=/);
  // Signing out ended the session on the server too (POST /oauth/revoke, sent without waiting): none of its refresh tokens is live.
  await waitFor(async () => ((await liveRefreshTokens(context.databaseUrl, keyMaker.userId)) === 0 ? true : undefined), {
    timeoutMs: 10_000,
    description: 'the signed-out session ended on the server',
  });
  // Signed out, the page is in the browser's language until the user's preferences are read again.
  const signInWords = wordsOf((await keyPage.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'zh-CN');
  await keyPage.getByLabel(signInWords('signIn.username')).fill(keyMaker.username);
  await keyPage.getByLabel(signInWords('signIn.password')).fill(keyMaker.password);
  await keyPage.getByRole('button', { name: signInWords('signIn.submit') }).click();
  await keyPage.waitForURL(/\/admin\/api-keys$/);

  // ---- API keys: the secret shown once, then the key revoked ---------------------------------------------
  await keyPage.getByRole('link', { name: t('nav.adminApiKeys') }).click();
  await keyPage.getByRole('heading', { name: t('admin.apiKeys.title'), level: 1 }).waitFor();
  await keyPage.getByLabel(t('admin.apiKeys.name')).fill(keyName);
  await keyPage.getByRole('button', { name: t('admin.apiKeys.create') }).click();
  await keyPage.getByText(t('admin.apiKeys.onceWarning')).waitFor();
  const secret = (await keyPage.getByTestId('api-key-secret').innerText()).trim();
  expect(secret.length).toBeGreaterThanOrEqual(40);
  // As the import tool takes it (IMPORT_API_KEY=CLIENT_ID:CLIENT_SECRET), with a button to copy it whole.
  expect((await keyPage.getByTestId('api-key-for-import-tool').innerText()).trim()).toMatch(new RegExp(`^key_[^:]+:${secret}$`));
  await keyPage.getByRole('button', { name: t('admin.apiKeys.copyForImportTool') }).waitFor();
  await context.checkPage(keyPage, locale, 'admin-api-keys');
  await keyPage.getByRole('button', { name: t('admin.apiKeys.stored') }).click();
  // The secret's panel went: focus is back on the button that made it.
  await expectFocused(keyPage.getByRole('button', { name: t('admin.apiKeys.create'), exact: true }));
  // Gone from the page, and never in the list.
  expect(await keyPage.getByText(secret).count()).toBe(0);
  const keyRow = keyPage.getByRole('row').filter({ hasText: keyName });
  await keyRow.getByRole('cell', { name: t('admin.keyStatus.active'), exact: true }).waitFor();
  await keyRow.getByRole('button', { name: t('admin.apiKeys.revoke', { name: keyName }) }).click();
  await keyPage.getByRole('button', { name: t('admin.apiKeys.revokeConfirm', { name: keyName }) }).click();
  await keyRow.getByRole('cell', { name: t('admin.keyStatus.revoked'), exact: true }).waitFor();
  // The step went with its row's change: focus is on the line saying which key was revoked.
  await expectFocused(keyPage.getByRole('status').filter({ hasText: t('admin.apiKeys.revoked', { name: keyName }) }));

  // ---- the audit log of the employer: the user's creation (the audit topic arrives a moment later) -------
  await page.goto(`${context.host.baseUrl}/admin/audit?organisationId=${organisationId}`);
  await page.getByRole('heading', { name: t('admin.audit.title'), level: 1 }).waitFor();
  expect(await page.getByLabel(t('admin.audit.organisation')).inputValue()).toBe(organisationId);
  // The action in words, its code word beneath.
  const creation = page.getByRole('row').filter({ hasText: t('auditAction.CreateUser') }).filter({ hasText: 'CreateUser' });
  await untilVisible(page, creation, () => page.getByRole('button', { name: t('admin.audit.apply') }).click(), "the user's creation in the audit log");
  await creation.filter({ hasText: admin.userId }).first().waitFor();
  await context.checkPage(page, locale, 'admin-audit');
  // A window the API refuses (it ends before it starts): its error alone, not the rows of the filters
  // before beneath it as if they were this window's, and no "nothing found" under the error.
  await page.getByLabel(t('admin.audit.from'), { exact: true }).fill('2021-03-31');
  await page.getByLabel(t('admin.audit.to'), { exact: true }).fill('2021-03-01');
  await page.getByRole('button', { name: t('admin.audit.apply') }).click();
  await page.getByRole('alert').filter({ hasText: t('fieldRule.window_ends_before_it_starts') }).waitFor();
  expect(await creation.count()).toBe(0);
  expect(await page.getByText(t('common.noneFound'), { exact: true }).count()).toBe(0);

  // ---- token signing keys: rotated twice, then the key made by the first rotation retired -----------------
  // Never the key that signed before: this admin's session and the other flows' tokens were signed with it.
  // The middle key signed only what was issued between the two rotations, a moment apart.
  await page.getByRole('link', { name: t('nav.adminSigningKeys') }).click();
  const keysHeading = page.getByRole('heading', { name: t('admin.signingKeys.title'), level: 1 });
  await keysHeading.waitFor();
  const keyRowOf = (kid: string) => page.getByRole('row').filter({ hasText: kid });
  const stateCell = (within: Page | Locator, state: 'signing' | 'published' | 'retired') => within.getByRole('cell', { name: t(`admin.signingKeyState.${state}`), exact: true });
  const signingKid = async () => (await page.getByRole('row').filter({ has: stateCell(page, 'signing') }).locator('code').innerText()).trim();
  /** Rotates through the confirm step; once the key that signed shows as still verifying, the new one's kid. */
  const rotate = async (): Promise<string> => {
    const before = await signingKid();
    await page.getByRole('button', { name: t('admin.signingKeys.rotate'), exact: true }).click();
    await page.getByText(t('admin.signingKeys.confirmRotate')).waitFor();
    await page.getByRole('button', { name: t('admin.signingKeys.rotateConfirm'), exact: true }).click();
    await stateCell(keyRowOf(before), 'published').waitFor();
    const after = await signingKid();
    expect(after).not.toBe(before);
    await page.getByRole('status').filter({ hasText: t('admin.signingKeys.rotated', { kid: after }) }).waitFor();
    return after;
  };
  const signedBefore = await signingKid();
  const middle = await rotate();
  const newest = await rotate();
  await stateCell(keyRowOf(middle), 'published').waitFor();

  // The middle key's own step, naming it; the page checked with the list and the step shown.
  await keyRowOf(middle).getByRole('button', { name: t('admin.signingKeys.retireFor', { kid: middle }) }).click();
  await page.getByText(t('admin.signingKeys.confirmRetire', { kid: middle })).waitFor();
  const retireConfirm = page.getByRole('button', { name: t('admin.signingKeys.retireConfirm', { kid: middle }) });
  await expectFocused(retireConfirm);
  await context.checkPage(page, locale, 'admin-signing-keys');
  await retireConfirm.click();
  await stateCell(keyRowOf(middle), 'retired').waitFor();
  // The step went with the row's change: focus is on the page's heading.
  await expectFocused(keysHeading);
  // The others as they were: the key that signed before still verifies, the newest signs.
  await stateCell(keyRowOf(signedBefore), 'published').waitFor();
  await stateCell(keyRowOf(newest), 'signing').waitFor();
}
