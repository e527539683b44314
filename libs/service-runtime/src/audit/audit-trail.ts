import { Inject, Injectable } from '@nestjs/common';
import { actorOf, AuditEventType, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { auditMessage, enqueueMessages } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/messaging';
import { Transactions } from '@skills/postgres';
import { PoolClient } from 'pg';
import { PermissionName } from '../auth/permissions';
import { CLOCK } from '../tokens';

/**
 * Reads of a trainee's full personal data are audited like commands (domain.md section 9): one line
 * through the service's outbox to the log identity-service keeps. Committed before the answer leaves,
 * so a read that could not be audited is not answered. Commands are audited by the CommandPipeline; the
 * few changes made outside the event log, here (`changed`).
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
    await this.transactions.run((tx) => this.enqueue(tx, 'PersonalDataRead', caller, permission, resource, caller.organisationId));
  }

  /**
   * A change the caller made outside the event log (a signing key rotated or retired), in the change's own
   * transaction `tx`: audited as a command is (`action`, as a command's type), or not made at all.
   */
  changed(tx: PoolClient, caller: Caller, action: string, resource: string, organisationId: string | null): Promise<void> {
    return this.enqueue(tx, 'CommandAccepted', caller, action, resource, organisationId);
  }

  private async enqueue(tx: PoolClient, type: AuditEventType, caller: Caller, action: string, resource: string | null, organisationId: string | null): Promise<void> {
    const { schema } = this.transactions.database;
    const entry = { at: this.clock.now().toISOString(), actor: actorOf(caller), action, service: schema, resource, organisationId, correlationId: currentCorrelation().correlationId };
    await enqueueMessages(tx, schema, [auditMessage(type, entry)]);
  }
}
