// npm run demo [baseUrl]: loads the demo data set into a running platform (default http://localhost:3000,
// where `npm start` listens), then prints each brand's verdict as of 2021-09-30. It signs in as admin with
// ADMIN_PASSWORD or, when that is unset, the generated password `npm start` wrote to
// .data/postgres/admin-password (ADMIN_PASSWORD_FILE, or admin-password in PLATFORM_DATA_DIR, if set).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { adminPasswordFrom, demoSettled, demoVerdicts, loadDemo, signIn } from './load-demo';

async function main() {
  const baseUrl = (process.argv[2] ?? 'http://localhost:3000').replace(/\/$/, '');
  const passwordFile = process.env.ADMIN_PASSWORD_FILE ?? join(process.env.PLATFORM_DATA_DIR ?? join(process.cwd(), '.data', 'postgres'), 'admin-password');
  const started = performance.now();
  const summary = await loadDemo(baseUrl, (line) => console.log(line), adminPasswordFrom(process.env, passwordFile));
  console.log(`loaded ${summary.trainees} trainees and ${summary.certificates.length} certificates in ${Math.round((performance.now() - started) / 1000)} s`);
  // The brand figures follow the training and placement events: wait (a minute at most) until they have settled.
  const { accessToken } = await signIn(baseUrl, summary.reader.username, summary.reader.password);
  let verdicts = await demoVerdicts(baseUrl, summary, accessToken);
  for (let waited = 0; !demoSettled(verdicts) && waited < 60; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    verdicts = await demoVerdicts(baseUrl, summary, accessToken);
  }
  console.log(`the brands' qualification, as ${summary.reader.username} (the Zhuzhou bureau; send its token as "authorization: Bearer …"):`);
  for (const brand of verdicts) {
    console.log(`${brand.qualifies ? 'qualifies     ' : 'does not yet  '} ${brand.name}  ${baseUrl}/api/v1/brands/${brand.id}/qualification?asOf=2021-09-30`);
  }
  console.log(`a certificate to verify (no token needed): ${baseUrl}/api/v1/certificates/${summary.certificates[0]}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
