import { identityHashKeyFrom, Sealed, ServiceData, unseal } from '@skills/service-runtime';
import { Client } from 'pg';
import { unwrapDataKey } from '../personal-data/personal-data-keys';
import { PersonalData } from '../personal-data/sealed-personal-data';
import { identityHashWith } from './identity-hash';

/** One registered trainee's claim, sealed data key and registration's sealed personal data. */
interface Sample {
  identityHash: string;
  wrappedKey: Sealed;
  personalData: Sealed;
}

/**
 * ServiceDefinition.identityHashKeyMatches: whether IDENTITY_HASH_KEY hashes a registered trainee's identity
 * number, opened with the master key, to the claim stored for it. Asked where no check value stands for
 * the key: at every start of trainee-service on its own (it may share its database with others and writes
 * nothing at its start), at the all-in-one's start on data without a check value (a distributed
 * deployment's, restored), and of a backup's files before a restore writes. Read-only; undefined when no
 * trainee whose personal data stands has a claim (nothing to judge by).
 */
export async function identityHashKeyMatches(data: ServiceData, masterKey: Buffer, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  const sample = 'client' in data ? await sampleInDatabase(data.client, data.schema) : await sampleInRows(data.rows);
  if (!sample) return undefined;
  // The master key opened this table's keys already (judgeMasterKey), so these open.
  const dataKey = unwrapDataKey(masterKey, sample.wrappedKey);
  const { idNumber } = unseal<PersonalData>(dataKey, sample.personalData);
  return identityHashWith(identityHashKeyFrom(env), idNumber) === sample.identityHash;
}

async function sampleInDatabase(client: Client, schema: string): Promise<Sample | undefined> {
  const { rows } = await client.query<{ identity_hash: string; wrapped_key: Sealed; personal_data: Sealed }>(
    `SELECT c.identity_hash, k.wrapped_key, e.data->'personalData' AS personal_data
       FROM ${schema}.identity_claims c
       JOIN ${schema}.personal_data_keys k ON k.trainee_id = c.trainee_id
       JOIN ${schema}.events e ON e.stream_id = 'trainee-' || c.trainee_id AND e.event_type = 'TraineeRegistered' AND e.data ? 'personalData'
      LIMIT 1`,
  );
  const [row] = rows;
  return row && { identityHash: row.identity_hash, wrappedKey: row.wrapped_key, personalData: row.personal_data };
}

/** Claims taken at a time from a backup's files: their keys, then their registrations, are looked for among the copied rows. */
const CLAIMS_AT_A_TIME = 1000;

/**
 * The same join on a backup's copied tables, read as files (nothing is loaded yet): claims a thousand at
 * a time, the first of them with a data key and a registration that holds sealed personal data. The first
 * claims almost always have both (an erasure or a void takes the claim away with them), so the files are
 * read from their start until the first match, not whole.
 */
async function sampleInRows(rowsOf: (table: string) => AsyncIterable<Record<string, string | null>>): Promise<Sample | undefined> {
  let claims = new Map<string, string>();
  for await (const claim of rowsOf('identity_claims')) {
    if (claim.trainee_id !== null && claim.identity_hash !== null) claims.set(claim.trainee_id, claim.identity_hash);
    if (claims.size < CLAIMS_AT_A_TIME) continue;
    const sample = await sampleOfClaims(rowsOf, claims);
    if (sample) return sample;
    claims = new Map();
  }
  return claims.size > 0 ? sampleOfClaims(rowsOf, claims) : undefined;
}

async function sampleOfClaims(rowsOf: (table: string) => AsyncIterable<Record<string, string | null>>, claims: Map<string, string>): Promise<Sample | undefined> {
  const keys = new Map<string, Sealed>();
  for await (const key of rowsOf('personal_data_keys')) {
    if (key.trainee_id !== null && key.wrapped_key !== null && claims.has(key.trainee_id)) keys.set(key.trainee_id, JSON.parse(key.wrapped_key) as Sealed);
    if (keys.size === claims.size) break;
  }
  if (keys.size === 0) return undefined;
  for await (const event of rowsOf('events')) {
    if (event.event_type !== 'TraineeRegistered' || !event.stream_id?.startsWith('trainee-') || event.data === null) continue;
    const traineeId = event.stream_id.slice('trainee-'.length);
    const wrappedKey = keys.get(traineeId);
    if (!wrappedKey) continue;
    const { personalData } = JSON.parse(event.data) as { personalData?: Sealed };
    if (personalData) return { identityHash: claims.get(traineeId) as string, wrappedKey, personalData };
  }
  return undefined;
}
