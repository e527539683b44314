import { http } from '@skills/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { daysAgo, evaluatorWithPerson, WELDER } from './evaluator-setup';
import { WorkspaceContext } from './workspace-context';

/**
 * An evaluator's staff user revokes a certificate it issued: a revocation dated before the certificate is
 * said at the date's field and nothing is sent; dated after it, it is revoked. On the holder's archive the
 * certificate's line is then marked revoked with the day, its downloads grouped under a name saying so, and
 * its printable PDF, offered there, prints 已撤销.
 */
export async function archiveRevokedFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { host } = context;
  // This flow's numbers (31_200–31_299): one credit code and one identity number per locale.
  const n = 31_200 + (locale === 'en' ? 1 : 0);
  const { evaluatorId, staff, asStaff, traineeId } = await evaluatorWithPerson(context, locale, n, '株洲市电工技能评价中心', locale === 'en' ? '东方明辉' : '皇甫雅琴');
  const certifiedOn = daysAgo(30);
  const certified = await http(host.baseUrl, 'POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId, certifiedOn }, asStaff);
  if (certified.status !== 201) throw new Error(`certifying answered ${certified.status}: ${JSON.stringify(certified.body)}`);
  const number = certified.body.certificateNumber as string;

  const page = await context.newPage();
  await context.signIn(page, staff, locale);
  await page.getByRole('link', { name: t('nav.evaluatorCertificates'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certificates.title'), exact: true }).waitFor();
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: number, exact: true }) });
  await row.getByRole('button', { name: t('evaluator.revoke.startFor', { number }), exact: true }).click();
  await page.getByLabel(t('evaluator.revoke.reason'), { exact: true }).fill('考核材料不实');

  // A day before the certificate: said at the date's field as it is typed, and the confirmation stops there.
  const sent: string[] = [];
  page.on('request', (request) => request.url().includes('/revocation') && sent.push(request.url()));
  const date = page.getByLabel(t('evaluator.revoke.date'), { exact: true });
  await date.fill(daysAgo(31));
  await expectSaidAtField(date, t('evaluator.revoke.notBeforeCertified', { certifiedOn }));
  await page.getByRole('button', { name: t('evaluator.revoke.confirm'), exact: true }).click();
  await expectFocused(date);
  expect(sent).toEqual([]);
  // The day of issue itself is allowed; a later day is revoked.
  await date.fill(certifiedOn);
  expect(await date.getAttribute('aria-invalid')).toBeNull();
  const revokedOn = daysAgo(10);
  await date.fill(revokedOn);
  await page.getByRole('button', { name: t('evaluator.revoke.confirm'), exact: true }).click();
  await page.getByRole('status').filter({ hasText: t('evaluator.certificates.revoked', { number }) }).waitFor();

  // The holder's archive: the certified line is marked, not read as a certificate held.
  await page.goto(`${host.baseUrl}/trainees/${traineeId}/archive`);
  const line = page.locator('li[data-kind="certified"]').filter({ hasText: number });
  await line.getByText(t('archive.revokedOn', { date: revokedOn }), { exact: true }).waitFor();
  await page.locator('li[data-kind="certificate_revoked"]').filter({ hasText: number }).waitFor();
  const downloads = line.getByRole('group', { name: t('archive.revokedDownloads', { number }), exact: true });
  await downloads.getByRole('button', { name: t('credentials.download.json', { number }), exact: true }).waitFor();
  await context.checkPage(page, locale);
  // Its printable PDF, offered on the line as /me/certificates offers it, prints the revocation too.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('button', { name: t('archive.downloadRevokedCertificate', { number }), exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`certificate-${number}.pdf`);
  const file = join(mkdtempSync(join(tmpdir(), 'archive-revoked-')), download.suggestedFilename());
  await download.saveAs(file);
  // Not execFileSync: the platform answers in this same process and must not be blocked meanwhile.
  const text = (await promisify(execFile)('pdftotext', [file, '-'])).stdout;
  expect(text).toContain('已撤销');
  expect(text).toContain(number);
}
