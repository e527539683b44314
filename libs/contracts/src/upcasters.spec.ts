import { IntegrationEnvelope } from './envelope';
import { TraineeRegisteredV1, TraineeRegisteredV4 } from './trainee-events';
import { CourseScheduledV1, CourseScheduledV2 } from './training-events';
import { currentSchemaVersion, NewerSchemaVersion, upcast } from './upcasters';

const envelope = <Payload>(type: string, schemaVersion: number, payload: Payload): IntegrationEnvelope<string, Payload> => ({
  eventId: '3f1d2c4e-0000-4000-8000-000000000001',
  type,
  schemaVersion,
  aggregateId: 'c0ffee00-0000-4000-8000-000000000001',
  aggregateVersion: 1,
  occurredAt: '2021-03-01',
  recordedAt: '2021-02-20T02:00:00.000Z',
  correlationId: 'spec',
  payload,
});

const courseV1: CourseScheduledV1 = {
  courseId: 'c0ffee00-0000-4000-8000-000000000001',
  providerId: 'c0ffee00-0000-4000-8000-000000000002',
  providerCreditCode: '91430200MA4L00001P',
  title: '焊工（中级）',
  occupationCode: '6-18-02-04',
  kind: 'skill',
  capacity: 40,
  startDate: '2021-03-01',
  endDate: '2021-05-31',
};

const registeredV1: TraineeRegisteredV1 = {
  traineeId: 'c0ffee00-0000-4000-8000-000000000001',
  nameMasked: '张*',
  regionCode: '430202',
  birthDate: '1990-01-01',
  gender: 'male',
  categories: [],
  registeredOn: '2021-01-04',
};

describe('integration event upcasters', () => {
  it('publishes CourseScheduled and ActivationCodeIssued at v2, TraineeRegistered at v4 and other types at v1', () => {
    expect(currentSchemaVersion('CourseScheduled')).toBe(2);
    expect(currentSchemaVersion('ActivationCodeIssued')).toBe(2);
    expect(currentSchemaVersion('TraineeRegistered')).toBe(4);
    expect(currentSchemaVersion('TraineeEnrolled')).toBe(1);
  });

  it('upcasts a TraineeRegistered v1 to v4 registered by no known organisation, birth date, gender and region dropped', () => {
    const upcast1 = upcast(envelope('TraineeRegistered', 1, registeredV1));
    expect(upcast1.schemaVersion).toBe(4);
    const { birthDate: _birthDate, gender: _gender, regionCode: _regionCode, ...rest } = registeredV1;
    expect(upcast1.payload).toEqual<TraineeRegisteredV4>({ ...rest, registeredBy: null, workingAgeFrom: null });
  });

  it('upcasts a TraineeRegistered v3 to v4 without the region', () => {
    const v3 = { ...registeredV1, birthDate: undefined, gender: undefined, registeredBy: null, workingAgeFrom: null };
    const payload = upcast(envelope('TraineeRegistered', 3, v3)).payload as Record<string, unknown>;
    expect(payload).not.toHaveProperty('regionCode');
    expect(JSON.stringify(payload)).not.toContain('4302');
  });

  it('upcasts a TraineeRegistered v2 of a minor to the 16th birthday only', () => {
    const minor = { ...registeredV1, birthDate: '2010-06-15', registeredBy: 'c0ffee00-0000-4000-8000-000000000009' };
    const payload = upcast(envelope('TraineeRegistered', 2, minor)).payload as unknown as TraineeRegisteredV4;
    expect(payload.workingAgeFrom).toBe('2026-06-15');
    expect(JSON.stringify(payload)).not.toMatch(/2010|male|4302/);
  });

  it('upcasts a CourseScheduled v1 to v2 with the 2022 occupation edition', () => {
    const upcast1 = upcast(envelope('CourseScheduled', 1, courseV1));
    expect(upcast1.schemaVersion).toBe(2);
    expect(upcast1.payload).toEqual<CourseScheduledV2>({ ...courseV1, occupationEdition: '2022' });
  });

  it('upcasts an ActivationCodeIssued v1 to v2 issued by nobody known', () => {
    const v1 = { traineeId: 'c0ffee00-0000-4000-8000-000000000001', codeHash: 'ab'.repeat(32), expiresAt: '2021-06-29T02:00:00.000Z', issuedOn: '2021-06-15' };
    expect(upcast(envelope('ActivationCodeIssued', 1, v1)).payload).toEqual({ ...v1, issuedBy: null });
  });

  it('leaves a current message as it is', () => {
    const current = envelope('CourseScheduled', 2, { ...courseV1, occupationEdition: '2015' });
    expect(upcast(current)).toBe(current);
  });

  it('refuses a version newer than it knows instead of guessing, as NewerSchemaVersion: a consumer holds such a message, not parks it', () => {
    let refusal: unknown;
    try {
      upcast(envelope('CourseScheduled', 3, courseV1));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(NewerSchemaVersion);
    expect(refusal).toMatchObject({ type: 'CourseScheduled', schemaVersion: 3, known: 2, message: 'CourseScheduled v3 is newer than this consumer knows (v2)' });
  });

  it('refuses a version no producer publishes (not a whole number) as the message’s own fault, not as a newer one', () => {
    for (const version of [3.5, '3']) {
      const refuse = () => upcast(envelope('CourseScheduled', version as number, courseV1));
      expect(refuse).toThrow(`CourseScheduled has no schema version ${version}`);
      expect(refuse).not.toThrow(NewerSchemaVersion);
    }
  });
});
