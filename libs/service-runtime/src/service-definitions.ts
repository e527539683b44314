import { AnyProjection, EventStoreSchema, ParkedEventsSchema } from '@skills/event-sourcing';
import { MESSAGING_MIGRATIONS } from '@skills/messaging';
import { MigrationClass, refuseSchemaOfNewerBuild } from '@skills/postgres';
import type { Client } from 'pg';
import { DisabledUsersSchema } from './disabled-users';
import { RevokedApiKeysSchema } from './auth/revoked-api-keys';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency/idempotency-keys.schema';
import { databaseUrlFor, RuntimeConfig } from './runtime-config';

export interface ServiceDefinition {
  /** Also the Postgres schema and the key of `<NAME>_DATABASE_URL`. */
  name: string;
  migrations: MigrationClass[];
  /** The service's read models; a function of the settings where one depends on them (an origin, a switch). */
  projections?: AnyProjection[] | ((config: RuntimeConfig) => AnyProjection[]);
  /**
   * Its tables whose column holds values sealed with the master key (PERSONAL_DATA_KEY): a row in one of
   * them means the data holds personal data that only that key opens (keys/master-key-check.ts).
   */
  sealedWithMasterKey?: Array<{ table: string; column: string }>;
  /**
   * Its tables of keyed hashes of identity numbers (IDENTITY_HASH_KEY): a row in one means the data holds
   * hashes that only that key matches again (keys/master-key-check.ts).
   */
  hashedWithIdentityKey?: string[];
  /**
   * Whether IDENTITY_HASH_KEY (in `env`) is the key its data's identity numbers were hashed with, judged by
   * its data (read-only, the master key given): where no check value stands for the key, at the start of
   * the service deployed on its own, of the all-in-one on data without one (restored from a distributed
   * deployment, or older than check values), and of a restore on the backup's files before it writes;
   * undefined when there is nothing to judge by (keys/master-key-check.ts).
   */
  identityHashKeyMatches?: (data: ServiceData, masterKey: Buffer, env: NodeJS.ProcessEnv) => Promise<boolean | undefined>;
}

/**
 * A service's tables as a key check reads them: in a database (the service's schema), or in a backup's
 * files, each copied table's rows as column → text (COPY's text form, `null` for NULL) in the order copied.
 */
export type ServiceData = { client: Client; schema: string } | { rows: (table: string) => AsyncIterable<Record<string, string | null>> };

/**
 * Every service definition a module of this process declared (`ServiceRuntimeModule.forService` runs when
 * the module's file is imported). Tools that work on a service's data outside a running host (backup,
 * restore) need what the host knows, the migrations and the read models, without starting one: a running
 * host would publish, consume and write beside them.
 */
const declared = new Map<string, ServiceDefinition>();

export function declareService(definition: ServiceDefinition): void {
  declared.set(definition.name, definition);
}

/** In the order the modules were imported (the platform's: identity, trainee, training, …). */
export function declaredServices(): ServiceDefinition[] {
  return [...declared.values()];
}

/** Every migration of a service's schema, in the order the host runs them: the shared tables first, then its own. */
export function serviceMigrations(definition: Pick<ServiceDefinition, 'migrations'>): MigrationClass[] {
  return [EventStoreSchema, ParkedEventsSchema, ...MESSAGING_MIGRATIONS, ...IDEMPOTENCY_MIGRATIONS, DisabledUsersSchema, RevokedApiKeysSchema, ...definition.migrations];
}

export function serviceProjections(definition: ServiceDefinition, config: RuntimeConfig): AnyProjection[] {
  return typeof definition.projections === 'function' ? definition.projections(config) : (definition.projections ?? []);
}

/**
 * Refuses data a newer build migrated, in every schema of the services declared here, before any of them
 * starts: each service migrates in its own turn and then starts writing (projections, relays), so the
 * refusal of a later one would come after the earlier ones wrote (README, Upgrading).
 */
export async function refuseDataOfNewerBuild(config: RuntimeConfig): Promise<void> {
  for (const definition of declaredServices()) await refuseSchemaOfNewerBuild(databaseUrlFor(config, definition.name), definition.name, serviceMigrations(definition));
}
