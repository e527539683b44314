import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline } from '@skills/event-sourcing';
import { OrganisationReplica } from '@skills/service-runtime';
import { brandActorOf } from './brand-actor';
import { BrandReader } from './brand.aggregate';

/** The roles that read a brand as one of its building units, by their organisation's credit code. */
const BUILDING_UNIT_ROLES: ReadonlySet<Caller['role']> = new Set(['school_staff', 'employer_staff']);

/** The caller as `refuseBrandReader` judges them: their bureau's region, or their organisation's credit code. */
@Injectable()
export class BrandReaders {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly organisations: OrganisationReplica,
  ) {}

  async of(caller: Caller): Promise<BrandReader> {
    const actor = await brandActorOf(this.commands, caller);
    // Waited for only when unknown: a school or employer registered a moment ago may not have reached us yet.
    const unit = BUILDING_UNIT_ROLES.has(caller.role) && caller.organisationId !== null ? await this.organisations.findCaughtUp(caller.organisationId) : undefined;
    return { ...actor, creditCode: unit?.creditCode ?? null };
  }
}
