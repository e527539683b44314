// Every refusal rule of trainee-service's aggregates, provoked over HTTP on trainee-service alone, with
// the clock fixed; and the uniqueness of an identity number, which is the pipeline's claim. The table is
// checked against the rules the aggregates' source can raise.
import { fixedClock, identityCheckCharacter } from '@skills/domain-kernel';
import { ApiSpec, bearer, refusalRulesOf, ServiceSpec, startServiceSpec, testIdentityNumber, type TestIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TraineeModule } from './trainee.module';

// "Today" is 2021-06-15 in China: someone born on 2021-06-16 cannot be registered yet, someone born today can.
const clock = fixedClock('2021-06-15T02:00:00.000Z');
const bornOn = (date: string, sequence = '123') => {
  const first17 = `430202${date.replace(/-/g, '')}${sequence}`;
  return first17 + identityCheckCharacter(first17);
};
const person = (idNumber: string) => ({ name: '张三', idNumber, phone: '13800000000' });

describe('trainees: every refusal rule over HTTP', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  /** The platform admin, who erases personal data (registrations go as a provider's staff, the spec's token). */
  let admin: Record<string, string>;
  let issuer: TestIssuer;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', clock, token: { role: 'school_staff', organisationId: randomUUID() } });
    ({ spec, issuer } = service);
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
  });

  afterAll(() => service?.close());

  const scenarios: Record<string, (spec: ApiSpec) => Promise<unknown>> = {
    identity_number_invalid: (spec) =>
      spec.when('POST', '/api/v1/trainees', person(bornOn('2021-06-16'))).then(400, [], { rule: 'identity_number_invalid', errors: [{ field: 'idNumber', rule: 'identity_number_invalid' }] }),
  };

  it("has a scenario for exactly the rules trainee-service's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  it('judges the birth date against the injected clock: born today may register, and is registered today', async () => {
    await spec.when('POST', '/api/v1/trainees', person(bornOn('2021-06-15', '124'))).then(201, [{ type: 'TraineeRegistered', data: { birthDate: '2021-06-15', registeredOn: '2021-06-15' } }]);
  });

  it('refuses a second registration of one identity number by its claim (409 with existingId), recording nothing', async () => {
    const idNumber = testIdentityNumber(4242);
    const { body } = await spec.when('POST', '/api/v1/trainees', person(idNumber)).then(201, [{ type: 'TraineeRegistered' }]);
    await spec.when('POST', '/api/v1/trainees', person(idNumber)).then(409, [], { rule: 'identity_number_registered', existingId: body.id });
  });

  it('dates an erasure by the injected clock, and answers 404 for a trainee never registered', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4243))).then(201);
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, admin).then(204, [{ type: 'PersonalDataErased', data: { erasedOn: '2021-06-15' } }]);
    await spec.when('DELETE', '/api/v1/trainees/00000000-0000-4000-8000-000000000000/personal-data', undefined, admin).then(404, [], { entity: 'trainee' });
  });

  it('lets a trainee erase their own personal data, and refuses another trainee and staff (403, nothing recorded)', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4244))).then(201);
    const other = bearer(await issuer.token({ role: 'trainee', traineeId: randomUUID() }));
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, other).then(403, [], { permission: 'trainees:erase-personal-data' });
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`).then(403, [], { permission: 'trainees:erase-personal-data' });
    const self = bearer(await issuer.token({ role: 'trainee', traineeId: body.id }));
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, self).then(204, [{ type: 'PersonalDataErased' }]);
  });
});
