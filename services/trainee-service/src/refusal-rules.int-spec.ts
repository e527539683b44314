// Every refusal rule of trainee-service's aggregates, provoked over HTTP on trainee-service alone, with
// the clock fixed; and the uniqueness of an identity number, which is the pipeline's claim. The table is
// checked against the rules the aggregates' source can raise.
import { fixedClock, identityCheckCharacter } from '@skills/domain-kernel';
import { activationCodeHash } from '@skills/contracts';
import { ApiSpec, bearer, refusalRulesOf, ServiceSpec, startServiceSpec, stream, testIdentityNumber, type TestIssuer } from '@skills/testing';
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
    personal_data_erased: async (spec) => {
      const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4245))).then(201);
      await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, admin).then(204);
      await spec.when('POST', `/api/v1/trainees/${body.id}/activation-codes`).then(409, [], { rule: 'personal_data_erased' });
      await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { phone: '13900000000' }, admin).then(409, [], { rule: 'personal_data_erased' });
    },
    trainee_referred: async (spec) => {
      const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4251))).then(201);
      // An enrolment arrived in the trainee's archive: the registration is referred to.
      const enrolled = { traineeId: body.id, key: 'enrolled:c-1', kind: 'enrolled', at: '2021-06-01', context: 'training', sourceEventId: randomUUID(), details: {} };
      await spec
        .given(stream(`archive-${body.id}`, { type: 'ArchiveEntryRecorded', data: enrolled }))
        .when('POST', `/api/v1/trainees/${body.id}/void`, { reason: 'mistyped identity number' })
        .then(409, [], { rule: 'trainee_referred' });
    },
  };

  it("has a scenario for exactly the rules trainee-service's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  it('judges the birth date against the injected clock: born today may register, and is registered today', async () => {
    const { events } = await spec.when('POST', '/api/v1/trainees', person(bornOn('2021-06-15', '124'))).then(201, [{ type: 'TraineeRegistered', data: { registeredOn: '2021-06-15' } }]);
    // Birth date, gender and region travel only sealed.
    expect(Object.keys(events[0].data).sort()).toEqual(['categories', 'personalData', 'registeredBy', 'registeredOn', 'traineeId']);
    expect(JSON.stringify(events[0].data)).not.toMatch(/430202|male/);
  });

  it('accepts a residence permit of a Hong Kong resident and a name with a middle dot', async () => {
    const first17 = '81000019900101123';
    const permit = first17 + identityCheckCharacter(first17);
    const { body } = await spec.when('POST', '/api/v1/trainees', { ...person(permit), name: '买买提·艾力' }).then(201);
    await spec.when('GET', `/api/v1/trainees/${body.id}`).then(200, [], { name: '买买提·艾力', regionCode: '810000', birthDate: '1990-01-01', gender: 'male', idNumberMasked: `810000********${permit.slice(14)}` });
  });

  it('corrects name and phone as the registering organisation, recorded sealed as a correction, the masked name republished', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4252))).then(201);
    const { events } = await spec
      .when('PATCH', `/api/v1/trainees/${body.id}`, { name: '张三丰', phone: '13900000001' })
      .then(200, [{ type: 'TraineeCorrected', data: { traineeId: body.id, fields: ['name', 'phone'], correctedOn: '2021-06-15' } }], { id: body.id });
    expect(JSON.stringify(events)).not.toMatch(/张三丰|13900000001/);
    await spec.when('GET', `/api/v1/trainees/${body.id}`).then(200, [], { name: '张三丰', phone: '13900000001', regionCode: '430202' });
    await spec.when('PATCH', `/api/v1/trainees/${body.id}`, {}).then(400, [], { rule: 'nothing_to_correct' });
    // A field given as null is no correction of it: refused naming the field (it was a 500).
    const nulls = await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { name: null, phone: null }).then(400, []);
    expect(new Set(nulls.body.errors.map((error: { field: string }) => error.field))).toEqual(new Set(['name', 'phone']));
    await spec.when('GET', `/api/v1/trainees/${body.id}`).then(200, [], { name: '张三丰', phone: '13900000001' });
    // Another school may not even read the trainee (404); an evaluator's role does not hold the permission (403).
    await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { name: '李四' }, bearer(await issuer.token({ role: 'school_staff', organisationId: randomUUID() }))).then(404);
    await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { name: '李四' }, bearer(await issuer.token({ role: 'evaluator_staff', organisationId: randomUUID() }))).then(403);
    await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { phone: '13900000002' }, bearer(await issuer.token({ role: 'trainee', traineeId: body.id }))).then(200);
  });

  it('voids a registration made in error: the trainee is unknown afterwards and the identity number free again', async () => {
    const idNumber = testIdentityNumber(4253);
    const { body } = await spec.when('POST', '/api/v1/trainees', person(idNumber)).then(201);
    await spec.when('PATCH', `/api/v1/trainees/${body.id}`, { name: '张三丰' }).then(200);
    // The reason is kept for good: not with a name the person was registered or corrected with, spaced or not.
    for (const reason of ['张三 本人另行登记', '录成了张 三丰', '误录张三丰']) {
      const refused = await spec.when('POST', `/api/v1/trainees/${body.id}/void`, { reason }).then(400, []);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'personal_data_in_text' })]);
      expect(JSON.stringify(refused.body)).not.toContain('张');
    }
    await spec.when('POST', `/api/v1/trainees/${body.id}/void`, { reason: 'mistyped identity number' }).then(200, [{ type: 'TraineeRegistrationVoided', data: { traineeId: body.id, voidedOn: '2021-06-15' } }]);
    await spec.when('GET', `/api/v1/trainees/${body.id}`).then(404);
    await spec.when('POST', `/api/v1/trainees/${body.id}/void`, { reason: 'again' }).then(404);
    await spec.when('POST', '/api/v1/trainees', person(idNumber)).then(201);
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

  it('issues an activation code valid for 14 days from the injected clock, recording only its hash', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4246))).then(201);
    const { body: issued, events } = await spec
      .when('POST', `/api/v1/trainees/${body.id}/activation-codes`)
      .then(201, [{ type: 'ActivationCodeIssued', data: { traineeId: body.id, expiresAt: '2021-06-29T02:00:00.000Z', issuedOn: '2021-06-15' } }], { expiresAt: '2021-06-29T02:00:00.000Z' });
    expect(issued.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(events[0].data.codeHash).toBe(activationCodeHash(issued.code.replace(/-/g, '')));
    expect(JSON.stringify(events)).not.toContain(issued.code.replace(/-/g, ''));
    expect(JSON.stringify(events)).not.toContain(issued.code);
  });

  it('answers 404 for an activation code of a trainee the caller may not read, or that does not exist, recording nothing', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4247))).then(201);
    const unrelated = bearer(await issuer.token({ role: 'employer_staff', organisationId: randomUUID() }));
    await spec.when('POST', `/api/v1/trainees/${body.id}/activation-codes`, undefined, unrelated).then(404, [], { entity: 'trainee' });
    await spec.when('POST', '/api/v1/trainees/00000000-0000-4000-8000-000000000000/activation-codes', undefined, admin).then(404, [], { entity: 'trainee' });
    const self = bearer(await issuer.token({ role: 'trainee', traineeId: body.id }));
    await spec.when('POST', `/api/v1/trainees/${body.id}/activation-codes`, undefined, self).then(403, [], { permission: 'trainees:issue-activation-code' });
    // A code makes the trainee a user: a token got with an API key issues none, even the admin's.
    const byKey = bearer(await issuer.token({ role: 'platform_admin', via: 'apiKey' }));
    await spec.when('POST', `/api/v1/trainees/${body.id}/activation-codes`, undefined, byKey).then(403, [], { permission: 'trainees:issue-activation-code', detail: expect.stringContaining('not an API key') });
    // Nor does it void a registration, which closes the trainee's own account for good: a person decides that.
    await spec.when('POST', `/api/v1/trainees/${body.id}/void`, { reason: '身份证号录入错误' }, byKey).then(403, [], { permission: 'trainees:void', detail: expect.stringContaining('not an API key') });
  });

  it('lets a trainee erase their own personal data, and refuses another trainee (404, as if unknown) and staff (403), nothing recorded', async () => {
    const { body } = await spec.when('POST', '/api/v1/trainees', person(testIdentityNumber(4244))).then(201);
    const other = bearer(await issuer.token({ role: 'trainee', traineeId: randomUUID() }));
    // Another trainee's id answers as an id of nobody: trying ids tells no trainee who is registered.
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, other).then(404, [], { entity: 'trainee' });
    await spec.when('DELETE', '/api/v1/trainees/00000000-0000-4000-8000-000000000000/personal-data', undefined, other).then(404, [], { entity: 'trainee' });
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`).then(403, [], { permission: 'trainees:erase-personal-data' });
    const self = bearer(await issuer.token({ role: 'trainee', traineeId: body.id }));
    await spec.when('DELETE', `/api/v1/trainees/${body.id}/personal-data`, undefined, self).then(204, [{ type: 'PersonalDataErased' }]);
  });
});
