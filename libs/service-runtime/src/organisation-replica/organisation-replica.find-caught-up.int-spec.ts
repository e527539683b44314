// OrganisationReplica.findCaughtUp on a real Postgres, its facts caught up (one process, no source ahead of
// it): an organisation whose registration waits as a dead letter of the replica's consumer is FactsParked
// (503), as TraineeReplica answers for a trainee's, never "unknown"; one never registered is unknown.
import { PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { MESSAGING_MIGRATIONS, TransportConfig } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, parkDeadLetter, testCreditCode, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CatchUp, FactsParked } from '../catch-up';
import { RuntimeConfig } from '../runtime-config';
import { ServiceRegistry } from '../service-registry';
import { OrganisationReplica } from './organisation-replica';
import { OrganisationReplicaSchema } from './organisation-replica.schema';

const CONSUMER = 'probe.organisations';

describe('OrganisationReplica.findCaughtUp: a registration parked as a dead letter', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let catchUp: CatchUp;
  let replica: OrganisationReplica;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'replica', [EventStoreSchema, ...MESSAGING_MIGRATIONS, OrganisationReplicaSchema]);
    database = new Database({ url: testDatabase.url, schema: 'replica' });
    catchUp = new CatchUp({ transport: 'in-process' } as TransportConfig, { catchUpWaitMs: 1000 } as RuntimeConfig, new ServiceRegistry());
    replica = new OrganisationReplica(database, catchUp, CONSUMER);
  });

  afterAll(async () => {
    await catchUp?.onApplicationShutdown();
    await database?.close();
    await testDatabase?.drop();
  });

  /** The registration as the consumer parks one it could not apply (keyed by the organisation); its event id. */
  const park = (topic: string, type: string, organisationId: string, payload: Record<string, unknown>): Promise<string> => parkDeadLetter(database, CONSUMER, topic, { type, aggregateId: organisationId, payload });
  const employerRegistered = (employerId: string) => park(PLACEMENT_TOPIC, 'EmployerRegistered', employerId, { employerId, name: '株洲焊接厂', creditCode: testCreditCode(1), regionCode: '430200' });

  it('answers FactsParked, not unknown, while the registration waits as a dead letter, asked in any case of the id', async () => {
    const employerId = randomUUID();
    await employerRegistered(employerId);
    await expect(replica.findCaughtUp(employerId)).rejects.toBeInstanceOf(FactsParked);
    await expect(replica.findCaughtUp(employerId.toUpperCase())).rejects.toBeInstanceOf(FactsParked);
  });

  it('answers unknown once the letter is applied (its message in the inbox) and for an id nobody registered, whatever other letters wait', async () => {
    const employerId = randomUUID();
    const letter = await employerRegistered(employerId);
    await database.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [CONSUMER, letter]);
    await park(TRAINING_TOPIC, 'ProviderRegistered', randomUUID(), { providerId: randomUUID() });
    expect(await replica.findCaughtUp(employerId)).toBeUndefined();
    expect(await replica.findCaughtUp(randomUUID())).toBeUndefined();
  });

  it('finds one registered here whatever letters about it wait: a registration is never changed afterwards', async () => {
    const employerId = randomUUID();
    await database.query(`INSERT INTO organisations (organisation_id, kind, name, credit_code, region_code) VALUES ($1, 'employer', '株洲焊接厂', $2, '430200')`, [employerId, testCreditCode(2)]);
    await employerRegistered(employerId);
    expect(await replica.findCaughtUp(employerId)).toEqual({ kind: 'employer', creditCode: testCreditCode(2), regionCode: '430200' });
  });
});
