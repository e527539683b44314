import { IntegrationEnvelope, TOPICS } from './envelope';
import { Actor } from './identity';

export const AUDIT_TOPIC = TOPICS.audit;

/**
 * One line of the audit log (domain.md section 9): who did or read what, when. Only ids and action
 * names, never personal data (no names, identity numbers or phones, no request bodies): the log is kept
 * for good, while a trainee's personal data must stay erasable.
 */
export interface AuditEntryV1 {
  /** When it happened (ISO instant), by the platform's clock. */
  at: string;
  actor: Actor;
  /** The command's type (`EnrollTrainee`) or, for a read, the permission it used (`trainees:read`). */
  action: string;
  /** The service that accepted the command or answered the read. */
  service: string;
  /** The stream the command wrote (`course-<id>`) or the read was of (`trainee-<id>`); null when a read found nothing. */
  resource: string | null;
  /**
   * The organisation whose resource it is, for its administrator's view: the actor's own, unless the
   * command names another (a user managed by a platform admin or a bureau: the user's organisation).
   * An administrator sees the entries of its organisation's resources and of its organisation's users.
   */
  organisationId: string | null;
  correlationId: string;
}

export type AuditEvent =
  /** A user's command recorded events (work the platform does by itself is not audited here). */
  | IntegrationEnvelope<'CommandAccepted', AuditEntryV1>
  /** A user read a trainee's full personal data, or looked a trainee up. */
  | IntegrationEnvelope<'PersonalDataRead', AuditEntryV1>;

export type AuditEventType = AuditEvent['type'];
