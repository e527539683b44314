import { Injectable } from '@nestjs/common';
import { OrganisationKind } from '@skills/contracts';
import { Database } from '@skills/postgres';
import type { User } from '../users/user.aggregate';

/** What the register knows of an organisation a user acts for. */
export interface OrganisationSummary {
  kind: OrganisationKind;
  regionCode: string;
}

/**
 * What identity knows of an organisation from the register (organisations.consumer.ts): its kind and
 * region, for the region in access tokens and a bureau officer's say over the users of its region.
 * Not waited for: an organisation registered a moment ago and not yet here reads as unknown, which
 * only ever grants less (a token without a region; a bureau officer refused).
 */
@Injectable()
export class OrganisationRegister {
  constructor(private readonly database: Database) {}

  async find(organisationId: string): Promise<OrganisationSummary | undefined> {
    const { rows } = await this.database.query<{ kind: OrganisationKind; region_code: string }>('SELECT kind, region_code FROM organisations WHERE organisation_id = $1', [organisationId]);
    return rows[0] ? { kind: rows[0].kind, regionCode: rows[0].region_code } : undefined;
  }

  /** The organisation a user's stream says they act for, as the register knows it; null for none or unknown. */
  async ofUser(user: User): Promise<OrganisationSummary | null> {
    const organisationId = user.status === 'unknown' ? null : user.user.organisationId;
    return organisationId ? ((await this.find(organisationId)) ?? null) : null;
  }
}
