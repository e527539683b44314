import { identityHashKeyFrom, Sealed, unseal } from '@skills/service-runtime';
import { Client } from 'pg';
import { unwrapDataKey } from '../personal-data/personal-data-keys';
import { PersonalData } from '../personal-data/sealed-personal-data';
import { identityHashWith } from './identity-hash';

/**
 * For trainee-service deployed on its own, at its start (ServiceDefinition.identityHashKeyMatches):
 * whether IDENTITY_HASH_KEY hashes a registered trainee's identity number, opened with the master key, to
 * the claim stored for it. The all-in-one keeps a check value for this; a service on its own may share
 * its database with others and writes nothing at its start, so it judges by its data. Read-only;
 * undefined when no trainee whose personal data stands has a claim (nothing to judge by).
 */
export async function identityHashKeyMatches(client: Client, schema: string, masterKey: Buffer, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  const { rows } = await client.query<{ identity_hash: string; wrapped_key: Sealed; personal_data: Sealed }>(
    `SELECT c.identity_hash, k.wrapped_key, e.data->'personalData' AS personal_data
       FROM ${schema}.identity_claims c
       JOIN ${schema}.personal_data_keys k ON k.trainee_id = c.trainee_id
       JOIN ${schema}.events e ON e.stream_id = 'trainee-' || c.trainee_id AND e.event_type = 'TraineeRegistered' AND e.data ? 'personalData'
      LIMIT 1`,
  );
  const [sample] = rows;
  if (!sample) return undefined;
  // The master key opened this table's keys already (judgeMasterKey), so these open.
  const dataKey = unwrapDataKey(masterKey, sample.wrapped_key);
  const { idNumber } = unseal<PersonalData>(dataKey, sample.personal_data);
  return identityHashWith(identityHashKeyFrom(env), idNumber) === sample.identity_hash;
}
