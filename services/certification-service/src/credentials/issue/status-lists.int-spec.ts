// Status list entries handed out for a batch of certifications at once, on a real PostgreSQL, with the
// real signing worker: the same entries as one certification at a time would get.
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CertificateNumbers, VoidedCertificates } from '../../certification.migrations';
import { CredentialsSchema } from '../credentials.schema';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner } from '../signing/credential-signer';
import { StatusLists } from './status-lists';

const ORIGIN = 'https://skills.example.cn';
const AT = '2021-06-01T08:00:00.000Z';

describe('status list entries for many certifications at once', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  const lists = new StatusLists(credentialSigner, new SigningKeys(credentialSigner, ORIGIN), ORIGIN);

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'certification', [CertificateNumbers, CredentialsSchema, VoidedCertificates]);
    database = new Database({ url: testDatabase.url, schema: 'certification' });
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
    await credentialSigner.close();
  });

  it('hands each evaluator its next entries in the batch order, the same entry again for a number asked twice, and signs each new list once', async () => {
    const [ours, theirs] = [randomUUID(), randomUUID()];
    const ask = (certificateNumber: string, evaluatorId: string) => ({ certificateNumber, evaluatorId, at: AT });

    const batch = await database.transaction((tx) => lists.allocateAll(tx, [ask('A1', ours), ask('B1', theirs), ask('A2', ours), ask('A1', ours)]));
    const single = await database.transaction((tx) => lists.allocate(tx, 'A3', ours, AT));
    const again = await database.transaction((tx) => lists.allocateAll(tx, [ask('A2', ours), ask('A4', ours), ask('B1', theirs)]));

    const entries = (allocations: Array<{ listNumber: number; listIndex: number }>) => allocations.map(({ listNumber, listIndex }) => [listNumber, listIndex]);
    expect(entries(batch)).toEqual([[0, 0], [0, 0], [0, 1], [0, 0]]);
    expect(batch[3]).toEqual(batch[0]);
    expect(new Set(batch.map((each) => each.subjectId)).size).toBe(3);
    expect(entries([single])).toEqual([[0, 2]]);
    expect(entries(again)).toEqual([[0, 1], [0, 3], [0, 0]]);
    expect(again[0]).toEqual(batch[2]);
    expect(again[2]).toEqual(batch[1]);
    const { rows } = await database.query<{ evaluator_id: string; list_number: number }>('SELECT evaluator_id, list_number FROM status_list_credentials ORDER BY evaluator_id');
    expect(rows.map((row) => [row.evaluator_id, row.list_number]).sort()).toEqual([[ours, 0], [theirs, 0]].sort());
  });
});
