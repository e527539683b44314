// What every console browser test does on a page: sign in through the sign-in page as a person would, and
// check a page with axe-core in normal and in elder-friendly mode (switched with the header's button).
import { Locator, Page } from 'playwright-core';
import { waitFor } from '@skills/testing';
import { accessibilityViolations, Locale, screenshot, untranslatedKeys, wordsOf } from './browser';

// What the functions given to page.waitForFunction and evaluate use, in the browser (this project's TypeScript has no DOM library).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(element: unknown): any;

/** Signs in through the sign-in page and, for English, switches the language (kept with the user). */
export async function signInThroughPage(page: Page, baseUrl: string, username: string, password: string, locale: Locale): Promise<void> {
  const zh = wordsOf('zh-CN');
  const en = wordsOf('en');
  await page.goto(`${baseUrl}/sign-in`);
  const words = wordsOf((await page.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'zh-CN');
  await page.getByLabel(words('signIn.username')).fill(username);
  await page.getByLabel(words('signIn.password')).fill(password);
  await page.getByRole('button', { name: words('signIn.submit') }).click();
  await page.getByRole('button', { name: en('layout.signOut') }).or(page.getByRole('button', { name: zh('layout.signOut') })).first().waitFor();
  await switchLocale(page, locale);
}

/** Switches a page (signed in or not) to `locale` with the header's button, if it is not in it. */
export async function switchLocale(page: Page, locale: Locale): Promise<void> {
  const lang = await page.locator('html').getAttribute('lang');
  if (lang !== locale) await page.getByRole('button', { name: wordsOf(locale === 'en' ? 'zh-CN' : 'en')('layout.switchLanguage') }).click();
  await page.waitForFunction((wanted) => document.documentElement.lang === wanted, locale);
}

/**
 * No untranslated key, and axe-core finds no serious or critical violation, in normal mode and then in
 * elder-friendly mode, and back; each mode's screenshot (docs/console/<shot>-<locale>-<mode>.png) when named.
 */
export async function checkPage(page: Page, locale: Locale, shot?: string): Promise<void> {
  const words = wordsOf(locale);
  expect(await untranslatedKeys(page)).toEqual([]);
  await expectPageTitle(page, locale);
  expect(await accessibilityViolations(page)).toEqual([]);
  if (shot) await screenshot(page, `${shot}-${locale}-normal`);
  const elder = page.getByRole('button', { name: words('layout.elderMode') });
  await elder.click();
  await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
  expect(await accessibilityViolations(page)).toEqual([]);
  if (shot) await screenshot(page, `${shot}-${locale}-elder`);
  await elder.click();
  await page.waitForFunction(() => !document.documentElement.classList.contains('elder'));
}

/**
 * The browser's title (tabs, history) names the page: its heading (or the title a heading naming a person gives
 * instead, data-page-title), then the console's name, in the page's language; not the console's name alone,
 * the same on every page (WCAG 2.4.2).
 */
export async function expectPageTitle(page: Page, locale: Locale): Promise<void> {
  const words = wordsOf(locale);
  await page.locator('main h1').first().waitFor();
  const seen = await page.evaluate(() => ({
    title: document.title as string,
    heading: ((document.querySelector('main h1')?.getAttribute('data-page-title') ?? document.querySelector('main h1')?.textContent ?? '') as string).replace(/\s+/g, ' ').trim(),
  }));
  expect(seen.heading).not.toBe('');
  expect(seen.title).toBe(words('page.title', { heading: seen.heading, app: words('app.name') }));
}

/**
 * A date field shows the console's focus ring (3 px) at each of its focus stops reached with Tab, the calendar
 * button inside it included (where :focus-visible does not match the field): not only the browser's thin one.
 */
export async function expectDateFieldRinged(field: Locator): Promise<void> {
  const page = field.page();
  await field.focus();
  const stops: string[] = [];
  const read = () =>
    field.evaluate((element) => ({
      holdsFocus: element === document.activeElement,
      ring: `${getComputedStyle(element).outlineStyle} ${getComputedStyle(element).outlineWidth}`,
    }));
  for (let seen = await read(); seen.holdsFocus && stops.length < 6; seen = await read()) {
    stops.push(seen.ring);
    await page.keyboard.press('Tab');
  }
  // The day, month and year, then the calendar button.
  expect(stops.length).toBeGreaterThanOrEqual(4);
  expect(stops).toEqual(stops.map(() => 'solid 3px'));
}

/**
 * `alert` (shown now) is said again when `again` repeats what caused it: a new alert element with the same
 * words takes its place. The same element left as it was, its words unchanged, is not announced a second time.
 */
export async function expectAlertedAgain(alert: Locator, again: () => Promise<unknown>): Promise<void> {
  const page = alert.page();
  await alert.waitFor();
  await alert.evaluate((element) => (element as unknown as { setAttribute(name: string, value: string): void }).setAttribute('data-said-before', ''));
  await again();
  await alert.and(page.locator(':not([data-said-before])')).waitFor({ timeout: 5_000 });
  expect(await page.locator('[data-said-before]').count()).toBe(0);
}

/**
 * A field said wrong at itself: marked invalid, and `words` in an element its aria-describedby names (so a
 * screen reader reads them with the field), not only somewhere on the page.
 */
export async function expectSaidAtField(field: Locator, words: string): Promise<void> {
  await waitFor(async () => ((await field.getAttribute('aria-invalid')) === 'true' || undefined), { description: `the field to be marked invalid (${words})` });
  const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const said = await Promise.all(describedBy.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
  if (!said.some((text) => text.includes(words))) throw new Error(`the field's description does not say "${words}": ${JSON.stringify(said)}`);
}

/**
 * `target` holds the keyboard's focus, waiting a few seconds for it: after a success that took away (or
 * disabled) the control that had it, the console moves it on. Fails naming what holds it instead (<body>: lost).
 */
export async function expectFocused(target: Locator): Promise<void> {
  await target.waitFor();
  const read = () =>
    target.evaluate((element) => ({
      holdsFocus: element === document.activeElement,
      target: (element as unknown as { outerHTML: string }).outerHTML.slice(0, 160),
      focused: (document.activeElement?.outerHTML as string | undefined)?.slice(0, 160) ?? null,
    }));
  let seen = await read();
  for (let tries = 0; tries < 50 && !seen.holdsFocus; tries++) {
    await target.page().waitForTimeout(100);
    seen = await read();
  }
  expect({ holdsFocus: seen.holdsFocus, focused: seen.focused }).toEqual({ holdsFocus: true, focused: seen.target });
}

/**
 * The first POST (or `method`) to `pattern` reaches the server, and its answer is lost on the way back
 * (the connection reset); later ones pass. Answers the Idempotency-Key each carried, as they are sent.
 */
export async function loseFirstAnswer(page: Page, pattern: string, method: 'POST' | 'DELETE' = 'POST'): Promise<(string | undefined)[]> {
  const keys: (string | undefined)[] = [];
  await page.route(pattern, async (route) => {
    if (route.request().method() !== method) return route.fallback();
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length > 1) return route.fallback();
    await route.fetch();
    await route.abort('connectionreset');
  });
  return keys;
}
