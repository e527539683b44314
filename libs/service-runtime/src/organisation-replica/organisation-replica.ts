import { Inject, Injectable } from '@nestjs/common';
import { BRAND_TOPIC, CERTIFICATION_TOPIC, OrganisationKind, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { unappliedLetterWhere } from '@skills/messaging';
import { Database, Sql } from '@skills/postgres';
import { CatchUp, FactsParked } from '../catch-up';
import { ORGANISATION_REPLICA_CONSUMER } from './organisation-replica.consumer';

export interface KnownOrganisation {
  kind: OrganisationKind;
  creditCode: string | null;
  regionCode: string;
}

/** The topics organisations are registered on (OrganisationReplicaConsumer). */
const REGISTRATION_TOPICS = [TRAINING_TOPIC, CERTIFICATION_TOPIC, PLACEMENT_TOPIC, BRAND_TOPIC];

/** The organisations a service knows of (`organisations`, kept by OrganisationReplicaConsumer). */
@Injectable()
export class OrganisationReplica {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    @Inject(ORGANISATION_REPLICA_CONSUMER) private readonly replicaConsumer: string,
  ) {}

  async find(organisationId: string): Promise<KnownOrganisation | undefined> {
    const { rows } = await this.database.query<KnownOrganisation>(
      'SELECT kind, credit_code AS "creditCode", region_code AS "regionCode" FROM organisations WHERE organisation_id = $1',
      [organisationId],
    );
    return rows[0];
  }

  /** An organisation's name as registered, if this service knows one of that kind by the id; null otherwise (a file names it by its id then). */
  async nameOf(organisationId: string, kind: OrganisationKind): Promise<string | null> {
    const { rows } = await this.database.query<{ name: string | null }>('SELECT name FROM organisations WHERE organisation_id = $1 AND kind = $2', [organisationId, kind]);
    return rows[0]?.name ?? null;
  }

  /**
   * The regions of these organisations as this service knows them, by the id as given (any spelling of a
   * uuid), read on the caller's transaction; one unknown is missing. An id that is no uuid fails the read.
   */
  async regionsOf(tx: Sql, organisationIds: string[]): Promise<Map<string, string>> {
    if (organisationIds.length === 0) return new Map();
    const { rows } = await tx.query<{ id: string; region_code: string }>(
      'SELECT d.id, o.region_code FROM unnest($1::text[]) AS d(id) JOIN organisations o ON o.organisation_id = d.id::uuid',
      [[...new Set(organisationIds)]],
    );
    return new Map(rows.map((row) => [row.id, row.region_code]));
  }

  /**
   * An organisation this service does not hold is looked for until it is found, or until every registration
   * accepted anywhere before the request arrived has been applied here (CatchUp.lookUp): one registered a
   * moment ago is found, and one that does not exist answers as soon as that is so, not after a fixed wait. Throws
   * FactsNotCaughtUp (503) when the registrations cannot be caught up with in time, and FactsParked (503)
   * while the organisation's registration waits here as a dead letter: never "unknown" for one registered.
   */
  async findCaughtUp(organisationId: string): Promise<KnownOrganisation | undefined> {
    const organisation = await this.catchUp.lookUp(REGISTRATION_TOPICS, () => this.find(organisationId));
    // Not known here: perhaps because its registration is the parked fact. One known is as registered: a
    // registration is never changed afterwards, so no fact parked since can make it other than it is.
    if (!organisation && (await this.registrationParked(organisationId))) throw new FactsParked(`organisation ${organisationId}'s registration`);
    return organisation;
  }

  /**
   * The regions of the organisations of these kinds with these credit codes, by upper-case code; a code
   * missing from the answer is no such organisation this service holds. Looked for as findCaughtUp looks
   * (CatchUp.lookUp): until all are found, or every registration accepted before the request has been
   * applied here, so one registered a moment ago is found; FactsNotCaughtUp (503) when that takes too long.
   */
  async regionsByCreditCodeCaughtUp(creditCodes: string[], kinds: OrganisationKind[]): Promise<Map<string, string>> {
    const wanted = [...new Set(creditCodes.map((code) => code.toUpperCase()))];
    const read = async () => {
      const { rows } = await this.database.query<{ credit_code: string; region_code: string }>(
        'SELECT upper(credit_code) AS credit_code, region_code FROM organisations WHERE upper(credit_code) = ANY($1::text[]) AND kind = ANY($2::text[])',
        [wanted, kinds],
      );
      return new Map(rows.map((row) => [row.credit_code, row.region_code]));
    };
    const all = await this.catchUp.lookUp(REGISTRATION_TOPICS, async () => {
      const known = await read();
      return wanted.every((code) => known.has(code)) ? known : undefined;
    });
    // Caught up and one still missing: those known, read once more (lookUp answers all or nothing).
    return all ?? read();
  }

  /** Whether a message about the organisation (its registration is keyed by its id) waits unapplied as a dead letter of the replica's consumer. */
  private async registrationParked(organisationId: string): Promise<boolean> {
    const { rows } = await this.database.query<{ parked: boolean }>(
      `SELECT ${unappliedLetterWhere(`d.consumer = $1 AND d.topic = ANY($2::text[]) AND d.envelope->>'aggregateId' = lower($3)`)} AS parked`,
      [this.replicaConsumer, REGISTRATION_TOPICS, organisationId],
    );
    return rows[0].parked;
  }
}
