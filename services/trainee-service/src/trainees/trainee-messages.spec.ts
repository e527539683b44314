import { currentSchemaVersion, TRAINEE_TOPIC, TraineeRegisteredV2, upcast } from '@skills/contracts';
import { RecordedEvent } from '@skills/event-sourcing';
import { TraineeRegistered } from './trainee.aggregate';
import { traineeIntegrationEvents } from './trainee-messages';

const registered: RecordedEvent<TraineeRegistered> = {
  type: 'TraineeRegistered',
  data: {
    traineeId: 't-1',
    personalData: { alg: 'A256GCM', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VhbGVk' },
    regionCode: '430202',
    birthDate: '1990-01-01',
    gender: 'male',
    categories: ['rural_migrant'],
    registeredOn: '2025-03-03',
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
    const [message] = traineeIntegrationEvents([registered], { nameMasked: '张*', registeredBy: 'org-1' });
    expect(message).toMatchObject({ topic: TRAINEE_TOPIC, key: 't-1' });
    expect(message.envelope.schemaVersion).toBe(currentSchemaVersion('TraineeRegistered'));
    expect(message.envelope.payload).toEqual<TraineeRegisteredV2>({
      traineeId: 't-1',
      nameMasked: '张*',
      regionCode: '430202',
      birthDate: '1990-01-01',
      gender: 'male',
      categories: ['rural_migrant'],
      registeredOn: '2025-03-03',
      registeredBy: 'org-1',
    });
    expect(JSON.stringify(message.envelope)).not.toContain('c2VhbGVk');
    // Consumers take it as it is: it is already their newest shape.
    expect(upcast(message.envelope)).toBe(message.envelope);
  });

  it('names no organisation for a platform admin', () => {
    const [message] = traineeIntegrationEvents([registered], { nameMasked: '张*', registeredBy: null });
    expect(message.envelope.payload).toMatchObject({ registeredBy: null });
  });
});
