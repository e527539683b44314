import { Inject, Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { auditMessage, enqueueMessages } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/messaging';
import { Transactions } from '@skills/postgres';
import { PermissionName } from '../auth/permissions';
import { CLOCK } from '../tokens';

/**
 * Reads of a trainee's full personal data are audited like commands (domain.md section 9): one line
 * through the service's outbox to the log identity-service keeps. Committed before the answer leaves,
 * so a read that could not be audited is not answered. Commands are audited by the CommandPipeline.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly transactions: Transactions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The caller read `resource` (a stream id, `trainee-<id>`; null when a lookup found nobody) with
   * `permission`. Ids and the permission's name only: never what was asked or answered.
   */
  async read(caller: Caller, permission: PermissionName, resource: string | null): Promise<void> {
    const { schema } = this.transactions.database;
    const entry = {
      at: this.clock.now().toISOString(),
      actor: actorOf(caller),
      action: permission,
      service: schema,
      resource,
      organisationId: caller.organisationId,
      correlationId: currentCorrelation().correlationId,
    };
    await this.transactions.run((tx) => enqueueMessages(tx, schema, [auditMessage('PersonalDataRead', entry)]));
  }
}
