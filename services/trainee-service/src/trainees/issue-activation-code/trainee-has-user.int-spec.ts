// trainee-service alone issuing activation codes against what identity-service told it of the trainees'
// users (TraineeUserCreated, UserDisabled on the identity topic, given as facts): no code for a trainee who
// holds an active user (409 trainee_has_user, recording nothing), one again once that user is disabled,
// and the refusal told only to whoever may read the trainee.
import { IDENTITY_TOPIC, TraineeUserCreatedV1, UserDisabledV1 } from '@skills/contracts';
import { fact, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from '../../trainee.module';

describe('trainees: no activation code for a trainee who holds an active user', () => {
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', token: { role: 'school_staff', organisationId: randomUUID() } });
  });

  afterAll(() => service?.close());

  const register = async (n: number): Promise<string> =>
    (await service.spec.when('POST', '/api/v1/trainees', { name: '张三', idNumber: testIdentityNumber(n), phone: '13800000000' }).then(201)).body.id;
  const userCreated = (traineeId: string, userId: string) =>
    fact(IDENTITY_TOPIC, 'TraineeUserCreated', { traineeId, userId, createdOn: '2021-06-15' } satisfies TraineeUserCreatedV1, { key: userId });
  const userDisabled = (userId: string) => fact(IDENTITY_TOPIC, 'UserDisabled', { userId, disabledOn: '2021-06-16' } satisfies UserDisabledV1, { key: userId });
  const issue = (traineeId: string) => service.spec.when('POST', `/api/v1/trainees/${traineeId}/activation-codes`);

  it("refuses a code once the trainee's user exists, and issues one again once that user is disabled", async () => {
    const traineeId = await register(7301);
    const other = await register(7302);
    await issue(traineeId).then(201, [{ type: 'ActivationCodeIssued' }]);
    const userId = randomUUID();
    const refused = await service.spec.given(userCreated(traineeId, userId)).when('POST', `/api/v1/trainees/${traineeId}/activation-codes`).then(409, [], { rule: 'trainee_has_user' });
    // Whose account it is is not said.
    expect(JSON.stringify(refused.body)).not.toContain(userId);
    // Another trainee's code is no business of this user's.
    await issue(other).then(201, [{ type: 'ActivationCodeIssued', data: { traineeId: other } }]);
    await service.spec.given(userDisabled(userId)).when('POST', `/api/v1/trainees/${traineeId}/activation-codes`).then(201, [{ type: 'ActivationCodeIssued', data: { traineeId } }]);
    // The person's own account, made with that code, holds the trainee again.
    await service.spec.given(userCreated(traineeId, randomUUID())).when('POST', `/api/v1/trainees/${traineeId}/activation-codes`).then(409, [], { rule: 'trainee_has_user' });
  });

  it('takes the disabling whichever of the two messages arrives first, and a creation told twice once', async () => {
    const traineeId = await register(7303);
    const userId = randomUUID();
    const created = userCreated(traineeId, userId);
    await service.spec.given(userDisabled(userId), created, created).when('POST', `/api/v1/trainees/${traineeId}/activation-codes`).then(201, [{ type: 'ActivationCodeIssued' }]);
  });

  it('answers staff of an unrelated organisation 404 as for a read, not whether the trainee has an account', async () => {
    const traineeId = await register(7304);
    const stranger = await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() });
    await service.spec
      .given(userCreated(traineeId, randomUUID()))
      .when('POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, { authorization: `Bearer ${stranger}` })
      .then(404, [], { entity: 'trainee' });
  });
});
