// A school's records of two years, entered out of business-date order, and the archive they make.
// Shared by the in-process and the Kafka archive specs so both check exactly the same thing.
import { bearer, http, testCreditCode, testIdentityNumber, testIssuer, TestUser, waitFor } from '@skills/testing';

export interface ArchiveScenarioHosts {
  /** Where trainee-service answers (register, archive). */
  trainee: string;
  /** Where training-service answers (providers, courses, enrolments, assessments). */
  training: string;
}

const expectCreated = (answer: { status: number; body: unknown }, what: string) => {
  if (answer.status !== 201 && answer.status !== 204) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as { id?: string };
};

/**
 * Course A (2021) is entered first: enrolment, a failed result, then a correction to a pass dated a
 * day later. Course B (2020) is entered afterwards: an enrolment and a withdrawal. The archive must
 * list B's entries before A's (business dates), show one assessed entry (the correction), and
 * nothing of course C, where another trainee studies.
 *
 * The platform admin registers the school; the school's staff registers both trainees (so the school is
 * related to them), schedules, enrols, withdraws, records results and reads the archive. Tokens come from
 * `tokenFor`: by default the test issuer, which the hosts must trust (`testIssuer()` before `startTestHost`);
 * a host with the identity module passes its own sign-in. Answers that staff's token, to read on.
 */
export async function runArchiveScenario(hosts: ArchiveScenarioHosts, seed: number, tokenFor: (user: TestUser) => Promise<string> = async (user) => (await testIssuer()).token(user)) {
  const admin = bearer(await tokenFor({ role: 'platform_admin' }));
  const provider = expectCreated(
    await http(hosts.training, 'POST', '/api/v1/providers', { name: '株洲新希望焊接培训学校', creditCode: testCreditCode(seed), regionCode: '430200' }, admin),
    'provider',
  );
  const providerId = provider.id as string;
  const schoolStaff = await tokenFor({ role: 'school_staff', organisationId: providerId });
  const staff = bearer(schoolStaff);
  const course = async (title: string, startDate: string, endDate: string) =>
    expectCreated(
      await http(hosts.training, 'POST', '/api/v1/courses', { providerId, title, occupationCode: '6-18-02-04', kind: 'skill', capacity: 30, startDate, endDate }, staff),
      title,
    ).id as string;
  const register = async (n: number) =>
    expectCreated(await http(hosts.trainee, 'POST', '/api/v1/trainees', { name: `档案学员${n}`, idNumber: testIdentityNumber(n), phone: '13800000000' }, staff), 'trainee').id as string;

  const [traineeId, otherId] = [await register(seed), await register(seed + 1)];
  const courseA = await course('焊工（中级）2021', '2021-03-01', '2021-05-31');
  const courseB = await course('焊工（初级）2020', '2020-09-01', '2020-12-31');
  const courseC = await course('焊工（高级）2021', '2021-03-01', '2021-06-30');

  const training = (method: string, path: string, body?: unknown) => http(hosts.training, method, path, body, staff).then((answer) => expectCreated(answer, `${method} ${path}`));
  await training('POST', `/api/v1/courses/${courseA}/enrollments`, { traineeId, enrolledOn: '2021-03-02' });
  await training('POST', `/api/v1/courses/${courseA}/assessments`, { traineeId, passed: false, score: 55, assessedOn: '2021-05-30' });
  await training('POST', `/api/v1/courses/${courseA}/assessments`, { traineeId, passed: true, score: 82, assessedOn: '2021-05-31' });
  await training('POST', `/api/v1/courses/${courseB}/enrollments`, { traineeId, enrolledOn: '2020-09-05' });
  await training('DELETE', `/api/v1/courses/${courseB}/enrollments/${traineeId}?withdrawnOn=2020-10-01`);
  await training('POST', `/api/v1/courses/${courseC}/enrollments`, { traineeId: otherId, enrolledOn: '2021-03-02' });

  const archive = await waitFor(
    async () => {
      const answer = await http(hosts.trainee, 'GET', `/api/v1/trainees/${traineeId}/archive`, undefined, staff);
      // Course A and course B travel on different partitions: wait for the last fact of each.
      const entries: Array<{ kind: string; passed?: boolean }> = answer.status === 200 ? answer.body.entries : [];
      const complete = entries.some((entry) => entry.kind === 'withdrew') && entries.some((entry) => entry.kind === 'assessed' && entry.passed);
      // The timeline alone: how fresh it was is the moment's, not the scenario's.
      const { freshness: _freshness, ...timeline } = answer.body ?? {};
      return complete ? timeline : undefined;
    },
    { timeoutMs: 30_000, description: 'the archive to hold the withdrawal from course B and the corrected result of course A' },
  );
  return { traineeId, otherId, courseA, courseB, courseC, archive, providerId, schoolStaff };
}
