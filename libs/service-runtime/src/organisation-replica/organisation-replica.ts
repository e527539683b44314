import { Inject, Injectable } from '@nestjs/common';
import { OrganisationKind } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { waitUntil } from '../wait-until';

export interface KnownOrganisation {
  kind: OrganisationKind;
  creditCode: string | null;
  regionCode: string;
}

/** The organisations a service knows of (`organisations`, kept by OrganisationReplicaConsumer). */
@Injectable()
export class OrganisationReplica {
  constructor(
    private readonly database: Database,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async find(organisationId: string): Promise<KnownOrganisation | undefined> {
    const { rows } = await this.database.query<KnownOrganisation>(
      'SELECT kind, credit_code AS "creditCode", region_code AS "regionCode" FROM organisations WHERE organisation_id = $1',
      [organisationId],
    );
    return rows[0];
  }

  /** Read-your-writes across services: an organisation registered a moment ago is waited for (REPLICA_WAIT_MS). */
  waitFor(organisationId: string): Promise<KnownOrganisation | undefined> {
    return waitUntil(() => this.find(organisationId), this.config.replicaWaitMs);
  }
}
