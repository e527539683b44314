// Setting up a second factor on the sign-in page, on a platform whose REQUIRE_TOTP_ROLES names the role of
// the user (context.hostRequiringTotp): their password answers the enrolment step, not a session; the page
// shows the key as a QR code and as text (read here as a user who types it would, the codes computed with
// otpauth as identity-service does), a wrong code is refused at its field, the right one confirms, and the
// sign-in's code field asks for the next code, which signs in. Nothing of it kept in storage or the address.
// Then an administrator resets the second factor from the users screen through its inline confirmation
// (a second reset said in words: there is none), and the user's next sign-in asks for a new one.
import { adminToken, bearer, http, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { Page } from 'playwright-core';
import { decodeQr, Locale, wordsOf } from '../browser';
import { expectFocused, signInThroughPage } from '../page-checks';
import { ROLE_REQUIRING_TOTP, WorkspaceContext } from './workspace-context';

// What the functions given to page.evaluate use, in the browser (this project's TypeScript has no DOM library).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const sessionStorage: any;
declare const localStorage: any;
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** identity-service's TOTP (users/totps.ts): SHA-1, 6 digits, 30-second steps. */
const PERIOD_MS = 30_000;

/** This area's numbers (36_000–36_999): one credit code per locale, as both locales share the second platform. */
const CREDIT_CODE_NUMBER: Record<Locale, number> = { 'zh-CN': 36_000, en: 36_001 };

/**
 * A code of the step before now is accepted while now is that step or the next: not within the last
 * seconds of a step, or the step may turn before the server checks it.
 */
async function clearOfStepEnd(page: Page): Promise<void> {
  const into = Date.now() % PERIOD_MS;
  if (into > PERIOD_MS - 5_000) await page.waitForTimeout(PERIOD_MS - into + 250);
}

export async function totpEnrolmentFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const zh = wordsOf('zh-CN');
  const en = wordsOf('en');
  const { baseUrl } = await context.hostRequiringTotp();

  const asAdmin = async () => bearer(await adminToken(baseUrl));
  const made = async (path: string, body: unknown) => {
    const answer = await http(baseUrl, 'POST', path, body, await asAdmin());
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const employer = await made('/api/v1/employers', { name: `株洲双因子装备 ${locale}`, creditCode: testCreditCode(CREDIT_CODE_NUMBER[locale]), industryCode: 'C37', regionCode: '430200' });
  const newUser = async (fields: Record<string, unknown>) => {
    const username = `${String(fields.role)}.${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const created = await made('/api/v1/users', { username, password, ...fields });
    return { username, password, userId: created.id as string };
  };
  const clerk = await newUser({ role: ROLE_REQUIRING_TOTP, organisationId: employer.id });
  const admin = await newUser({ role: 'platform_admin' });

  /** A fresh page at the sign-in, in `locale`, the clerk's username and password sent: the enrolment step is next. */
  const signInAsClerk = async (): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    if (locale === 'en') {
      await page.getByRole('button', { name: zh('layout.switchLanguage') }).click();
      await page.waitForFunction((wanted) => document.documentElement.lang === wanted, locale);
    }
    await page.getByLabel(t('signIn.username')).fill(clerk.username);
    await page.getByLabel(t('signIn.password')).fill(clerk.password);
    await page.getByLabel(t('signIn.password')).press('Enter');
    return page;
  };
  const enrolmentHeading = (page: Page) => page.getByRole('heading', { name: t('signIn.enrol.title'), level: 2 });
  const shownKey = async (page: Page) => (await page.getByTestId('totp-secret').innerText()).trim();

  // ---- the password answers the enrolment step, said in words, its heading taking the focus ----------------
  const page = await signInAsClerk();
  await expectFocused(enrolmentHeading(page));
  await page.getByText(t('rule.totp_enrolment_required')).waitFor();
  await page.getByText(t('signIn.enrol.step3')).waitFor();

  // The key as text in groups of four (for typing it), and the same key in the QR code (for scanning it).
  const grouped = await shownKey(page);
  expect(grouped).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  const secret = grouped.replace(/\s/g, '');
  const scanned = new URL(await decodeQr(page.getByRole('img', { name: t('signIn.enrol.qrAlt') })));
  expect(scanned.protocol).toBe('otpauth:');
  expect(scanned.searchParams.get('secret')).toBe(secret);
  expect(decodeURIComponent(scanned.pathname)).toContain(clerk.username);
  // Neither the key nor the token that enrols it is kept anywhere but the page's memory, nor in its address.
  const stored = await page.evaluate(() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)]));
  expect(stored).not.toContain(secret);
  expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  expect(page.url()).not.toContain(secret);
  await context.checkPage(page, locale, 'sign-in-enrol');

  // Copying the key says whether it worked (a browser may refuse the clipboard: then it says to copy by hand).
  await page.getByRole('button', { name: t('signIn.enrol.copy'), exact: true }).click();
  await page.getByRole('status').filter({ hasText: t('signIn.enrol.copied') }).or(page.getByRole('status').filter({ hasText: t('signIn.enrol.copyFailed') })).waitFor();

  // ---- confirming: the code's form said at the field, a wrong code refused there, the right one confirms --
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: PERIOD_MS / 1000, secret: Secret.fromBase32(secret) });
  const code = page.getByLabel(t('signIn.enrol.code'));
  const confirm = page.getByRole('button', { name: t('signIn.enrol.confirm'), exact: true });
  await code.fill('12');
  await confirm.click();
  await page.getByText(t('signIn.totpDigits')).waitFor();
  await expectFocused(code);
  expect(await code.getAttribute('aria-invalid')).toBe('true');
  await code.fill(totp.generate({ timestamp: Date.now() + 3_600_000 }));
  await confirm.click();
  await page.getByText(t('signIn.enrol.codeRefused')).waitFor();
  await expectFocused(code);
  expect(await code.inputValue()).toBe('');

  // The code of the step before now (the service accepts a step either side), sent with Enter: the code
  // signed in with below is of a later step, not yet used.
  await clearOfStepEnd(page);
  await code.fill(totp.generate({ timestamp: Date.now() - PERIOD_MS }));
  await code.press('Enter');
  await page.getByRole('status').filter({ hasText: t('signIn.enrol.done') }).waitFor();
  const signInCode = page.getByLabel(t('signIn.totp'));
  await expectFocused(signInCode);
  await page.getByText(t('signIn.enrol.nextCodeHint')).waitFor();
  // What was typed before is still there: the next code is all the sign-in needs.
  expect(await page.getByLabel(t('signIn.username')).inputValue()).toBe(clerk.username);
  await signInCode.fill(totp.generate());
  await signInCode.press('Enter');
  await page.getByRole('button', { name: en('layout.signOut') }).or(page.getByRole('button', { name: zh('layout.signOut') })).first().waitFor();
  expect(await page.evaluate(() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)]))).not.toContain(secret);

  // ---- an administrator resets it from the users screen, through the inline confirmation --------------------
  const adminPage = await context.newPage();
  await signInThroughPage(adminPage, baseUrl, admin.username, admin.password, locale);
  await adminPage.goto(`${baseUrl}/admin/users?organisationId=${employer.id}`);
  await adminPage.getByRole('heading', { name: t('admin.users.ofChosen') }).waitFor();
  const row = adminPage.getByRole('row').filter({ hasText: clerk.username });
  const names = { username: clerk.username };
  const reset = row.getByRole('button', { name: t('admin.users.resetTotp', names), exact: true });
  const resetConfirm = row.getByRole('button', { name: t('admin.users.resetTotpConfirm', names), exact: true });
  await reset.click();
  await row.getByText(t('admin.users.confirmResetTotp', names)).waitFor();
  await expectFocused(resetConfirm);
  await context.checkPage(adminPage, locale, 'admin-users-reset-totp');
  // Cancel: back to the button, nothing done.
  await row.getByRole('button', { name: t('common.cancel'), exact: true }).click();
  await expectFocused(reset);
  await reset.click();
  await resetConfirm.click();
  // The step closed: the focus is on the line saying it is done.
  await expectFocused(row.getByRole('status').filter({ hasText: t('admin.users.totpReset', names) }));
  // Once more: the clerk has none now, and the screen says so in words (409 totp_not_enrolled).
  await reset.click();
  await resetConfirm.click();
  await row.getByRole('alert').filter({ hasText: t('admin.users.totpNotEnrolled', names) }).waitFor();

  // ---- the clerk's role asks one: their next sign-in sets up a new key; they may go back to the form -------
  const again = await signInAsClerk();
  await expectFocused(enrolmentHeading(again));
  expect((await shownKey(again)).replace(/\s/g, '')).not.toBe(secret);
  await again.getByRole('button', { name: t('signIn.enrol.cancel'), exact: true }).click();
  await expectFocused(again.getByLabel(t('signIn.username')));
  expect(await again.getByLabel(t('signIn.password')).inputValue()).toBe(clerk.password);
}
