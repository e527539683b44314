import { aggregateSpec } from '@skills/testing';
import type { Sealed } from '@skills/service-runtime';
import { personalDataOf } from '../personal-data/sealed-personal-data';
import { CorrectTrainee, IssueActivationCode, PersonalDataErased, RegisterTrainee, traineeAggregate, TraineeRegistered, VoidRegistration } from './trainee.aggregate';

// Decided at SPEC_NOW: 2025-03-03 in UTC+8, the registration and erasure date.
const given = aggregateSpec(traineeAggregate);

const personalData: Sealed = { alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VhbGVk' };

const register: RegisterTrainee = {
  type: 'RegisterTrainee',
  traineeId: 't-1',
  idNumber: '430202199001011233',
  personalData,
  categories: ['rural_migrant'],
  registeredBy: 'school-1',
};

const registered: TraineeRegistered = {
  type: 'TraineeRegistered',
  data: {
    traineeId: 't-1',
    personalData,
    categories: ['rural_migrant'],
    registeredOn: '2025-03-03',
    registeredBy: 'school-1',
  },
};

const erased: PersonalDataErased = { type: 'PersonalDataErased', data: { traineeId: 't-1', erasedOn: '2025-03-03' } };

describe('registering a trainee', () => {
  it('keeps the identity number, birth date, gender and region only inside the sealed personal data', () => {
    const { events } = given().when(register).then([registered]);
    expect(JSON.stringify(events)).not.toMatch(/430202|1990|male/);
  });

  it('seals what the number tells: birth date, gender (even sequence: female) and region, an explicit region kept', () => {
    expect(personalDataOf({ name: '王芳', idNumber: '11010519491231002X', phone: '13912345678' })).toMatchObject({ regionCode: '110105', birthDate: '1949-12-31', gender: 'female' });
    expect(personalDataOf({ name: '张三', idNumber: '430202199001011233', phone: '13912345678', regionCode: '430200' })).toMatchObject({ regionCode: '430200', gender: 'male' });
  });

  it('keeps each category once, in a stable order', () => {
    given()
      .when({ ...register, categories: ['urban_unemployed', 'poverty_registered', 'urban_unemployed'] })
      .then([{ ...registered, data: { ...registered.data, categories: ['poverty_registered', 'urban_unemployed'] } }]);
  });

  // Registering the same stream twice is the pipeline's mustNotExist; the same number, its identity claim.

  it('refuses an identity number whose check character is wrong, naming the field', () => {
    const refusal = given().when({ ...register, idNumber: '110105194912310021' }).thenRefuses('identity_number_invalid');
    expect(refusal).toMatchObject({ field: 'idNumber' });
  });

  it('refuses a birth date that is not a real date (1990-02-30, with a correct check character)', () => {
    const refusal = given().when({ ...register, idNumber: '430202199002301232' }).thenRefuses('identity_number_invalid');
    expect(refusal.message).toMatch(/date/);
  });

  it('refuses a birth date after the day of registration, by the clock the command is decided with', () => {
    // 1990-01-01 is tomorrow in UTC+8 at this instant; a moment later it is today.
    const refusal = aggregateSpec(traineeAggregate, new Date('1989-12-31T15:59:59Z'))().when(register).thenRefuses('identity_number_invalid');
    expect(refusal).toMatchObject({ field: 'idNumber' });
    expect(refusal.message).toMatch(/birth_date_in_future/);
    aggregateSpec(traineeAggregate, new Date('1989-12-31T16:00:00Z'))().when(register).then([{ ...registered, data: { ...registered.data, registeredOn: '1990-01-01' } }]);
  });
});

describe('erasing a trainee’s personal data', () => {
  const erase = { type: 'EraseTraineePersonalData' as const, traineeId: 't-1', by: { role: 'platform_admin' as const, traineeId: null } };

  it('records the erasure and keeps the rest of the profile', () => {
    const { state } = given(registered).when(erase).then([erased]);
    const { personalData: _sealed, ...profile } = registered.data;
    expect(state).toEqual({ status: 'erased', profile, erasedOn: '2025-03-03' });
  });

  it('changes nothing when the data is already erased', () => {
    given(registered, erased).when(erase).then([]);
  });

  it('lets the trainee erase their own data, and no one else’s', () => {
    given(registered).when({ ...erase, by: { role: 'trainee', traineeId: 't-1' } }).then([erased]);
    const refusal = (() => {
      try {
        given(registered).when({ ...erase, by: { role: 'trainee', traineeId: 't-2' } }).then([]);
      } catch (error) {
        return error as { permission?: string };
      }
    })();
    expect(refusal?.permission).toBe('trainees:erase-personal-data');
    expect(() => given(registered).when({ ...erase, by: { role: 'school_staff', traineeId: null } }).then([])).toThrow('a trainee erases only their own personal data');
  });

  // Erasing a trainee that was never registered is the pipeline's mustExist (404).
});

describe('issuing a trainee an activation code', () => {
  const issuedBy = { userId: 'u-1', signedInAt: '2025-03-03T00:58:00.000Z' };
  const issue: IssueActivationCode = { type: 'IssueActivationCode', traineeId: 't-1', codeHash: 'ab'.repeat(32), issuedBy };

  it('records the hash, issued today and valid for 14 days from now, by whom and their sign-in', () => {
    given(registered)
      .when(issue)
      .then([{ type: 'ActivationCodeIssued', data: { traineeId: 't-1', codeHash: 'ab'.repeat(32), expiresAt: '2025-03-17T01:00:00.000Z', issuedOn: '2025-03-03', issuedBy } }]);
  });

  it('refuses once the personal data is erased', () => {
    given(registered, erased).when(issue).thenRefuses('personal_data_erased');
  });
});

describe('correcting a trainee’s name or phone (PIPL article 46)', () => {
  const resealed: Sealed = { ...personalData, ciphertext: 'Y29ycmVjdGVk' };
  const correct = (by: CorrectTrainee['by']): CorrectTrainee => ({ type: 'CorrectTrainee', traineeId: 't-1', personalData: resealed, fields: ['name'], by });
  const corrected = { type: 'TraineeCorrected' as const, data: { traineeId: 't-1', personalData: resealed, fields: ['name' as const], correctedOn: '2025-03-03' } };

  it('records the correction, sealed, for the trainee, the registering organisation and a platform admin', () => {
    const { state } = given(registered).when(correct({ role: 'trainee', traineeId: 't-1', organisationId: null })).then([corrected]);
    expect(state).toMatchObject({ status: 'registered', personalData: resealed });
    given(registered).when(correct({ role: 'school_staff', traineeId: null, organisationId: 'school-1' })).then([corrected]);
    given(registered).when(correct({ role: 'platform_admin', traineeId: null, organisationId: null })).then([corrected]);
  });

  it('refuses (403) staff of another organisation and another trainee', () => {
    expect(() => given(registered).when(correct({ role: 'employer_staff', traineeId: null, organisationId: 'employer-1' })).then([])).toThrow('only the organisation that registered the trainee');
    expect(() => given(registered).when(correct({ role: 'trainee', traineeId: 't-2', organisationId: null })).then([])).toThrow('a trainee corrects only their own data');
  });

  it('refuses once the personal data is erased', () => {
    given(registered, erased).when({ ...correct({ role: 'platform_admin', traineeId: null, organisationId: null }), personalData: undefined }).thenRefuses('personal_data_erased');
  });
});

describe('voiding a registration made in error', () => {
  const voiding = (change: Partial<VoidRegistration> = {}): VoidRegistration => ({
    type: 'VoidRegistration',
    traineeId: 't-1',
    reason: 'mistyped identity number',
    referred: false,
    by: { role: 'school_staff', traineeId: null, organisationId: 'school-1' },
    ...change,
  });
  const voided = { type: 'TraineeRegistrationVoided' as const, data: { traineeId: 't-1', reason: 'mistyped identity number', voidedOn: '2025-03-03' } };

  it('voids while nothing refers to the trainee; afterwards the trainee is unknown', () => {
    const { state } = given(registered).when(voiding()).then([voided]);
    expect(state.status).toBe('voided');
    expect(() => given(registered, voided).when(voiding()).then([])).toThrow(/trainee/);
  });

  it('refuses once an enrolment, certificate or employment refers to the trainee', () => {
    given(registered).when(voiding({ referred: true })).thenRefuses('trainee_referred');
  });

  it('refuses (403) staff of another organisation', () => {
    expect(() => given(registered).when(voiding({ by: { role: 'school_staff', traineeId: null, organisationId: 'school-2' } })).then([])).toThrow('only the organisation that registered the trainee');
  });
});
