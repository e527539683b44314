// Signing in in the browser with a second factor: a user with a confirmed TOTP (enrolled and confirmed
// through the API, the code computed with otpauth as identity-service does) opens a workspace's address
// with its query while signed out, is led to the sign-in page and back to all of it; on the way, no answer
// from the token endpoint is said as a failure (not as a wrong password), the one-time code field appears
// and takes the focus when the server asks for it, a wrong code is refused in words, and the right one
// signs in. Then the failures a page must say rather than wait for ever: who is signed in not answered
// (offered again), and a page's read not answered.
import { bearer, http } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectAlertedAgain, expectFocused, expectPageTitle } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

/** identity-service's TOTP (users/totps.ts): SHA-1, 6 digits, 30-second steps. */
const PERIOD_MS = 30_000;

export async function signInFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const zh = wordsOf('zh-CN');
  const en = wordsOf('en');
  const baseUrl = context.host.baseUrl;

  // A user who enrols their own second factor and confirms it with a code of the step before now (the
  // service accepts a step either side): the code signed in with below is of a later step, not yet used.
  const user = await context.newUser({ role: 'platform_admin' });
  const token = (await http(baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: user.username, password: user.password })).body.access_token as string;
  const enrolled = await http(baseUrl, 'POST', `/api/v1/users/${user.userId}/totp`, { currentPassword: user.password }, bearer(token));
  expect(enrolled.status).toBe(201);
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: PERIOD_MS / 1000, secret: Secret.fromBase32(enrolled.body.secret as string) });
  const confirmed = await http(baseUrl, 'POST', `/api/v1/users/${user.userId}/totp/confirm`, { code: totp.generate({ timestamp: Date.now() - PERIOD_MS }) }, bearer(token));
  expect(confirmed.body).toEqual({ id: user.userId, totp: 'confirmed' });

  // Signed out, a workspace's address with its query: the sign-in page is to lead back to all of it.
  const page = await context.newPage();
  const target = '/statistics?region=430200&period=2025-Q2';
  await page.goto(`${baseUrl}${target}`);
  await page.waitForURL(/\/sign-in\?next=/);
  expect(new URL(page.url()).searchParams.get('next')).toBe(target);
  if (locale === 'en') {
    await page.getByRole('button', { name: zh('layout.switchLanguage') }).click();
    await page.waitForFunction((wanted) => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === wanted, locale);
  }
  // The title is the page's, in its language (the switch just pressed, in English, rewrote it).
  await expectPageTitle(page, locale);
  await expectBrowserTextSizeFollowed(page);
  // Beneath the form, whom to ask for a forgotten password: there is no reset by e-mail or SMS.
  await page.locator('form ~ p').getByText(t('worker.signIn.forgotPassword', { trainee: t('worker.forgotPassword.trainee') }), { exact: true }).waitFor();
  await page.getByLabel(t('signIn.username')).fill(user.username);
  await page.getByLabel(t('signIn.password')).fill(user.password);
  const submit = page.getByRole('button', { name: t('signIn.submit'), exact: true });

  // No answer at all from the token endpoint: a failure, never "wrong username or password".
  await page.route('**/oauth/token', (route) => route.abort('internetdisconnected'));
  await submit.click();
  await page.getByRole('alert').filter({ hasText: t('common.failed') }).waitFor();
  expect(await page.getByText(t('signIn.refused')).count()).toBe(0);
  await page.unroute('**/oauth/token');

  // A wrong password refused twice (the token endpoint's answer made up here: real ones would spend this
  // address's failed sign-ins, which the other flows need): the second refusal is a new alert, said again.
  await page.route('**/oauth/token', (route) =>
    route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Unauthorized', status: 401, rule: 'invalid_grant' }) }),
  );
  await submit.click();
  await expectAlertedAgain(page.getByRole('alert').filter({ hasText: t('signIn.refused') }), () => submit.click());
  await page.unroute('**/oauth/token');
  // A language switch rewords the refusal said: it does not stay in the language left (the switch's button is
  // named in the language it leaves).
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  await page.getByRole('button', { name: t('layout.switchLanguage') }).click();
  await page.getByRole('alert').filter({ hasText: wordsOf(other)('signIn.refused') }).waitFor();
  expect(await page.getByText(t('signIn.refused')).count()).toBe(0);
  await page.getByRole('button', { name: wordsOf(other)('layout.switchLanguage') }).click();
  await page.getByRole('alert').filter({ hasText: t('signIn.refused') }).waitFor();

  // The right password: the server asks for the second factor, and the code field takes the focus.
  await submit.click();
  const code = page.getByLabel(t('signIn.totp'));
  await expectFocused(code);
  expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
  expect(await code.getAttribute('inputmode')).toBe('numeric');
  expect(await page.getByRole('alert').count()).toBe(0);
  await context.checkPage(page, locale, 'sign-in-code');

  // Said at the field before anything is sent: a code is 6 digits.
  await code.fill('12a');
  await page.getByText(t('signIn.totpDigits')).waitFor();
  // A wrong code is refused in words; the field is emptied and keeps the focus for the right one.
  const right = totp.generate();
  await code.fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
  await submit.click();
  await page.getByRole('alert').filter({ hasText: t('signIn.refusedWithCode') }).waitFor();
  await expectFocused(code);
  expect(await code.inputValue()).toBe('');

  // The code the app shows now, sent with Enter: signed in, back at the address with its query.
  await code.fill(totp.generate());
  await code.press('Enter');
  await page.waitForURL((url) => url.pathname + url.search === target);
  await page.getByRole('heading', { name: zh('statistics.title'), level: 1 }).or(page.getByRole('heading', { name: en('statistics.title'), level: 1 })).waitFor();

  // Who is signed in not answered (the network): the page says so and offers to ask again, not "Loading…" for ever.
  const failed = anyLanguage(page, 'common.failed');
  await page.route('**/api/v1/me', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await failed.waitFor();
  expect(await page.getByText(zh('common.loading')).or(page.getByText(en('common.loading'))).count()).toBe(0);
  await page.unroute('**/api/v1/me');
  await page.getByRole('button', { name: zh('common.tryAgain') }).or(page.getByRole('button', { name: en('common.tryAgain') })).click();
  await page.getByRole('heading', { name: zh('statistics.title'), level: 1 }).or(page.getByRole('heading', { name: en('statistics.title'), level: 1 })).waitFor();

  // A page's read not answered: its failure shown, not "Loading…" for ever.
  await page.route('**/api/v1/trainees/*/archive*', (route) => route.abort('internetdisconnected'));
  await page.goto(`${baseUrl}/trainees/${randomUUID()}/archive`);
  await failed.waitFor();
  expect(await page.getByText(zh('common.loading')).or(page.getByText(en('common.loading'))).count()).toBe(0);
  await page.unroute('**/api/v1/trainees/*/archive*');
}

/**
 * The browser's own text size, set larger by its reader (20 px, not 16): the console's text follows it, and
 * elder-friendly mode makes it half as large again (30 px); at the browser's 16 px, elder mode is 24 px.
 */
async function expectBrowserTextSizeFollowed(page: Page): Promise<void> {
  const root = () => page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as { document: { documentElement: unknown }; getComputedStyle(element: unknown): { fontSize: string } };
    return getComputedStyle(document.documentElement).fontSize;
  });
  // The class alone, as the header's button sets it: pressing it signed out would be a choice the user then signs in with.
  const elder = (on: boolean) =>
    page.evaluate((value) => (globalThis as unknown as { document: { documentElement: { classList: { toggle(name: string, on: boolean): void } } } }).document.documentElement.classList.toggle('elder', value), on);
  const browser = await page.context().newCDPSession(page);
  expect(await root()).toBe('16px');
  await elder(true);
  expect(await root()).toBe('24px');
  await elder(false);
  await browser.send('Page.setFontSizes', { fontSizes: { standard: 20 } });
  expect(await root()).toBe('20px');
  await elder(true);
  expect(await root()).toBe('30px');
  await elder(false);
  await browser.send('Page.setFontSizes', { fontSizes: { standard: 16 } });
  await browser.detach();
}

/** An alert with the words of `key` in either language: the page's follows the user's preference, read from the server. */
const anyLanguage = (page: Page, key: 'common.failed') =>
  page
    .getByRole('alert')
    .filter({ hasText: wordsOf('zh-CN')(key) })
    .or(page.getByRole('alert').filter({ hasText: wordsOf('en')(key) }))
    .first();
