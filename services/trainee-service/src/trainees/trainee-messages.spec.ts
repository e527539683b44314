import { currentSchemaVersion, TRAINEE_TOPIC, TraineeRegisteredV4, upcast } from '@skills/contracts';
import { RecordedEvent } from '@skills/event-sourcing';
import { TraineeRegistered } from './trainee.aggregate';
import { traineeIntegrationEvents } from './trainee-messages';

const registered: RecordedEvent<TraineeRegistered> = {
  type: 'TraineeRegistered',
  data: {
    traineeId: 't-1',
    personalData: { alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VhbGVk' },
    categories: ['rural_migrant'],
    registeredOn: '2025-03-03',
    registeredBy: 'org-1',
  },
  eventId: 'ev-1',
  streamId: 'trainee-t-1',
  streamVersion: 1,
  schemaVersion: 1,
  position: { transactionId: '1', globalPosition: '1' },
  metadata: { correlationId: 'corr-1' },
  recordedAt: '2025-03-03T01:00:00.000Z',
};

describe('TraineeRegistered as other contexts receive it', () => {
  it('names the registering organisation, at the current schema version, and no personal data', () => {
    const [message] = traineeIntegrationEvents([registered], { nameMasked: '张*', birthDate: '1990-01-01' });
    expect(message).toMatchObject({ topic: TRAINEE_TOPIC, key: 't-1' });
    expect(message.envelope.schemaVersion).toBe(currentSchemaVersion('TraineeRegistered'));
    expect(message.envelope.payload).toEqual<TraineeRegisteredV4>({
      traineeId: 't-1',
      nameMasked: '张*',
      categories: ['rural_migrant'],
      registeredOn: '2025-03-03',
      registeredBy: 'org-1',
      workingAgeFrom: null,
    });
    expect(JSON.stringify(message.envelope)).not.toContain('c2VhbGVk');
    expect(JSON.stringify(message.envelope)).not.toMatch(/1990|male|4302/);
    // Consumers take it as it is: it is already their newest shape.
    expect(upcast(message.envelope)).toBe(message.envelope);
  });

  it('names no organisation for a platform admin', () => {
    const [message] = traineeIntegrationEvents([{ ...registered, data: { ...registered.data, registeredBy: null } }], { nameMasked: '张*', birthDate: '1990-01-01' });
    expect(message.envelope.payload).toMatchObject({ registeredBy: null });
  });

  it("says only a minor's 16th birthday, never the birth date itself", () => {
    const [message] = traineeIntegrationEvents([registered], { nameMasked: '张*', birthDate: '2010-06-15' });
    expect(message.envelope.payload).toMatchObject({ workingAgeFrom: '2026-06-15' });
    expect(JSON.stringify(message.envelope)).not.toContain('2010');
  });
});
