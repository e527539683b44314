// A real Chromium for the console's browser tests: Debian's `chromium` (.ci/run installs it with apt-get),
// driven by playwright-core. No browser download: the one the machine has is the one tested.
import AxeBuilder from '@axe-core/playwright';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { en, zhCN, type MessageKey } from '@skills/console';
import { PLATFORM_MODULES } from '@skills/platform';
import { BUILT_CONSOLE_DIR } from '@skills/service-runtime';
import { freePort, startTestHost, TEST_RUN_ENV, TestHost } from '@skills/testing';

export type Locale = 'zh-CN' | 'en';

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The console's own words, so a test finds a button by what a clerk reads on it in that language. */
export const wordsOf = (locale: Locale) => (key: MessageKey, values: Record<string, string | number> = {}) =>
  CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export async function launchChromium(): Promise<Browser> {
  const executablePath = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!executablePath) throw new Error(`no Chromium at ${CHROMIUM_CANDIDATES.join(', ')}: install Debian's chromium (see .ci/run) or set CHROMIUM_PATH`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The console as `npm start` serves it: built by Nx (cached when nothing changed), while the test loads its data. */
export async function buildConsole(): Promise<void> {
  // Once a test run, whichever suite asks first; the others wait for it under the lock. Two builds at
  // once rewrite dist/console under each other's pages (a page loading mid-build finds no script).
  const run = process.env[TEST_RUN_ENV] ?? randomUUID();
  const built = join(BUILT_CONSOLE_DIR, '.built-for-test-run');
  const lockTarget = join(tmpdir(), 'skills-console-build');
  mkdirSync(lockTarget, { recursive: true });
  // stale: a holder that died frees the lock after a minute (a live one keeps refreshing it). The waits
  // and the build's own bound end a hung build instead of the run.
  const release = await lockfile.lock(lockTarget, { stale: 60_000, retries: { retries: 200, minTimeout: 1000, maxTimeout: 1000 } });
  try {
    if (existsSync(built) && readFileSync(built, 'utf8') === run) return;
    await promisify(execFile)('npx', ['nx', 'run', 'console:build'], { env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 });
    writeFileSync(built, run);
  } finally {
    await release();
  }
}

/** axe-core on the page as it stands: the WCAG 2.1 A and AA rules; answers the serious and critical violations. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

export const SCREENSHOTS = join(process.cwd(), 'docs', 'console');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** What a QR code image on the page says, decoded from its pixels as a phone's camera would. */
export async function decodeQr(image: Locator): Promise<string> {
  const png = PNG.sync.read(await image.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('the QR code could not be decoded');
  return code.data;
}

/** Text on the page that looks like a catalogue key (`verify.title`): a string that escaped translation. */
export async function untranslatedKeys(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  const prefixes = [...new Set(Object.keys(zhCN).map((key) => key.split('.')[0]))].join('|');
  return text.match(new RegExp(`\\b(${prefixes})\\.[a-zA-Z_]+\\b`, 'g')) ?? [];
}

/**
 * The all-in-one platform serving the built console on a port known before it starts (its origin is
 * PUBLIC_ORIGIN, the certificates' verification URLs), with these settings on top.
 */
export async function startConsoleHost(databaseUrl: string, settings: Record<string, string> = {}): Promise<TestHost> {
  const port = await freePort();
  return startTestHost({
    modules: PLATFORM_MODULES,
    transport: 'in-process',
    databaseUrl,
    port,
    consoleDir: BUILT_CONSOLE_DIR,
    settings: { PUBLIC_ORIGIN: `http://127.0.0.1:${port}`, ...settings },
  });
}
