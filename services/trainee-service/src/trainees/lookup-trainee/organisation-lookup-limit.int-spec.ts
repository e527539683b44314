// The lookup limit of an organisation (domain.md section 9: lookups are rate-limited): its administrator
// creates its users, so the limit per user alone is multiplied by creating more of them. The users of one
// organisation together make at most ORGANISATION_LOOKUPS_PER_HOUR; another organisation's are not counted.
import { Caller } from '@skills/contracts';
import { auditLines, bearer, http, ServiceSpec, startServiceSpec, testAdultIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';
import { LOOKUPS_PER_HOUR, ORGANISATION_LOOKUPS_PER_HOUR, TraineeLookups } from './trainee-lookups';

/** The audit lines trainee-service sends (identity-service keeps them; here they are only collected). */
const { module: AuditLinesModule } = auditLines();

describe('the lookups of an organisation’s users, counted together', () => {
  let service: ServiceSpec;
  let n = 0;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule, AuditLinesModule], service: 'trainee' });
  });

  afterAll(async () => {
    await service?.close();
  });

  const clerkOf = (organisationId: string): Caller => ({
    userId: randomUUID(),
    username: `clerk-${n++}`,
    role: 'evaluator_staff',
    organisationId,
    organisationKind: 'evaluator',
    orgAdmin: false,
    traineeId: null,
    regionCode: null,
    via: 'token',
  });
  const lookUpNobody = async (caller: Caller) =>
    http(service.host.baseUrl, 'POST', '/api/v1/trainees/lookup', { idNumber: testAdultIdentityNumber(400_000 + n++), name: '查无此人' }, bearer(await service.issuer.token({ role: 'evaluator_staff', organisationId: caller.organisationId ?? undefined, userId: caller.userId })));

  it('refuses a new user’s lookup too_many_lookups once the organisation’s users made its limit, and counts no other organisation’s', async () => {
    const organisationId = randomUUID();
    const lookups = service.host.app.get(TraineeLookups);
    // Each clerk makes their own hour's full share (as many clerks as the organisation's limit takes), through the one path every lookup takes.
    for (let clerk = 0; clerk < ORGANISATION_LOOKUPS_PER_HOUR / LOOKUPS_PER_HOUR; clerk++) {
      const caller = clerkOf(organisationId);
      for (let made = 0; made < LOOKUPS_PER_HOUR; made++) await lookups.counted(caller, async () => null);
    }

    const newClerk = clerkOf(organisationId);
    expect(await lookUpNobody(newClerk)).toMatchObject({ status: 429, body: { rule: 'too_many_lookups' } });
    // An import's rows count alike: none is answered past the organisation's limit.
    expect(await lookups.answerable(newClerk, [{ found: null, counted: true, asked: 'a-question' }])).toEqual([false]);
    expect((await lookUpNobody(clerkOf(randomUUID()))).status).toBe(404);
  });
});
