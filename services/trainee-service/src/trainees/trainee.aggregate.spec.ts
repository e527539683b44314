import { aggregateSpec } from '@skills/testing';
import type { Sealed } from '@skills/service-runtime';
import { IssueActivationCode, PersonalDataErased, RegisterTrainee, traineeAggregate, TraineeRegistered } from './trainee.aggregate';

// Decided at SPEC_NOW: 2025-03-03 in UTC+8, the registration and erasure date.
const given = aggregateSpec(traineeAggregate);

const personalData: Sealed = { alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VhbGVk' };

const register: RegisterTrainee = {
  type: 'RegisterTrainee',
  traineeId: 't-1',
  idNumber: '430202199001011233',
  personalData,
  categories: ['rural_migrant'],
};

const registered: TraineeRegistered = {
  type: 'TraineeRegistered',
  data: {
    traineeId: 't-1',
    personalData,
    regionCode: '430202',
    birthDate: '1990-01-01',
    gender: 'male',
    categories: ['rural_migrant'],
    registeredOn: '2025-03-03',
  },
};

const erased: PersonalDataErased = { type: 'PersonalDataErased', data: { traineeId: 't-1', erasedOn: '2025-03-03' } };

describe('registering a trainee', () => {
  it('derives birth date, gender and region from the identity number and keeps only the sealed personal data', () => {
    const { events } = given().when(register).then([registered]);
    expect(JSON.stringify(events)).not.toContain('430202199001011233');
  });

  it('derives a female trainee from an even sequence digit, and an X check character is accepted', () => {
    given()
      .when({ ...register, idNumber: '11010519491231002x' })
      .then([{ ...registered, data: { ...registered.data, regionCode: '110105', birthDate: '1949-12-31', gender: 'female' } }]);
  });

  it('keeps an explicit region code', () => {
    given()
      .when({ ...register, regionCode: '430200' })
      .then([{ ...registered, data: { ...registered.data, regionCode: '430200' } }]);
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
    expect(state).toEqual({ status: 'erased', profile: { ...registered.data, personalData: undefined }, erasedOn: '2025-03-03' });
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
  const issue: IssueActivationCode = { type: 'IssueActivationCode', traineeId: 't-1', codeHash: 'ab'.repeat(32) };

  it('records the hash, issued today and valid for 14 days from now', () => {
    given(registered)
      .when(issue)
      .then([{ type: 'ActivationCodeIssued', data: { traineeId: 't-1', codeHash: 'ab'.repeat(32), expiresAt: '2025-03-17T01:00:00.000Z', issuedOn: '2025-03-03' } }]);
  });

  it('refuses once the personal data is erased', () => {
    given(registered, erased).when(issue).thenRefuses('personal_data_erased');
  });
});
