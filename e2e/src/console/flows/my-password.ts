// One's own password in the browser: a signed-in user opens "Change password" from the header, is told at
// the field that the current password they typed is wrong (said by the server) and that a new one is too
// short (said before sending, nothing sent), then changes it. They stay signed in (a new session with the
// new password: the change ended the old one), and through the API the new password signs in, the old one
// no more. The page checked with axe-core in both modes.
import { http } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Request } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

export async function myPasswordFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const user = await context.newUser({ role: 'platform_admin' });
  const page = await context.newPage();
  await context.signIn(page, user, locale);
  const passwordChanges: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/v1/users/${user.userId}/password`)) passwordChanges.push(request);
  });

  // From the header, by the keyboard: the one link beside the user's name.
  const link = page.getByRole('banner').getByRole('link', { name: t('myPassword.link') });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: t('myPassword.title'), level: 1 }).waitFor();
  const current = page.getByLabel(t('myPassword.current'), { exact: true });
  const newPassword = page.getByLabel(t('myPassword.new'), { exact: true });
  const newAgain = page.getByLabel(t('myPassword.newAgain'), { exact: true });
  const submit = page.getByRole('button', { name: t('myPassword.submit') });

  // A wrong current password: the server's refusal said at its field, which takes the focus.
  const chosen = `new-${randomUUID()}`;
  await current.fill('not-my-password-at-all');
  await newPassword.fill(chosen);
  await newAgain.fill(chosen);
  await submit.click();
  await page.locator('#my-password-currentPassword-error').getByText(t('fieldRule.current_password_wrong')).waitFor();
  await expectFocused(current);
  expect(passwordChanges).toHaveLength(1);
  await context.checkPage(page, locale, 'me-password');

  // A new password too short: said at its field before anything is sent.
  await current.fill(user.password);
  await newPassword.fill('short');
  await newAgain.fill('short');
  await submit.click();
  await page.locator('#my-password-password-error').getByText(t('myPassword.passwordShort')).waitFor();
  await expectFocused(newPassword);
  expect(passwordChanges).toHaveLength(1);

  // A valid change: said, and the user still signed in, with a session that renews (a reload keeps them in).
  await newPassword.fill(chosen);
  await newAgain.fill(chosen);
  await submit.click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('myPassword.changed') }));
  expect(passwordChanges).toHaveLength(2);
  await context.checkPage(page, locale);
  await page.reload();
  await page.getByRole('heading', { name: t('myPassword.title'), level: 1 }).waitFor();
  await page.getByRole('button', { name: t('layout.signOut') }).waitFor();

  // The new password signs in, the old one no more.
  const withNew = await http(context.host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: user.username, password: chosen });
  expect({ status: withNew.status, token: typeof withNew.body.access_token }).toEqual({ status: 200, token: 'string' });
  const withOld = await http(context.host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: user.username, password: user.password });
  expect({ status: withOld.status, rule: withOld.body.rule }).toEqual({ status: 401, rule: 'invalid_grant' });
}
