import { Inject, Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { RUNTIME_CONFIG, RuntimeConfig, waitUntil } from '@skills/service-runtime';

/** The credit codes of providers and employers, as OrganisationCreditCodesConsumer records them. */
@Injectable()
export class OrganisationCreditCodes {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async find(organisationId: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ creditCode: string }>('SELECT credit_code AS "creditCode" FROM organisation_credit_codes WHERE organisation_id = $1', [organisationId]);
    return rows[0]?.creditCode;
  }

  /** A unit registered a moment ago may not have reached this service yet (REPLICA_WAIT_MS). */
  waitFor(organisationId: string): Promise<string | undefined> {
    return waitUntil(() => this.find(organisationId), this.config.replicaWaitMs);
  }
}
