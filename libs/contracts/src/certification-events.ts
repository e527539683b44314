import type { ImportRowsAnswered } from './import-events';
import { IntegrationEnvelope, TOPICS } from './envelope';

export const CERTIFICATION_TOPIC = TOPICS.certification;

export type SkillLevelV1 = 'apprentice' | 'junior' | 'intermediate' | 'senior' | 'technician' | 'senior_technician' | 'special_technician' | 'chief_technician';

export interface EvaluatorRegisteredV1 {
  evaluatorId: string;
  name: string;
  creditCode: string;
  kind: 'employer' | 'social_organisation';
  regionCode: string;
  evaluatorCode: string;
}

/** A certificate was issued: the worker stands at `level` in the occupation from `certifiedOn`. */
export interface LevelCertifiedV1 {
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
  level: SkillLevelV1;
  previousLevel: SkillLevelV1 | null;
  /** `imported`: a certificate of an earlier year recorded as it was issued (the ladder's rules not judged again). */
  route: 'assessment' | 'direct' | 'exceptional' | 'appointment' | 'imported';
  /** Set on an imported certificate whose number is of an earlier format, kept as issued (not domain.md section 1's). */
  legacyNumber?: boolean;
  evaluatorId: string;
  evaluatorName: string;
  evaluatorCreditCode: string;
  /**
   * The evaluator's region as registered when the certificate was issued: certification figures
   * count by it. Absent on messages published before it was added (consumers look the evaluator up).
   */
  evaluatorRegionCode?: string;
  certifiedOn: string;
  /**
   * Which recording of the number this is: 2 for a number recorded again after its first recording was
   * voided (CertificateVoided), and so on; absent for the first. A number's recordings may belong to
   * different workers, whose messages travel under different keys (partitions): a consumer keeps the
   * recording with what it keeps of the certificate, and lets a message of an earlier recording than it
   * holds change nothing (recordingOf).
   */
  recording?: number;
}

/** A certificate was revoked; `levelAfter` is the worker's level in the occupation now (null: none). */
export interface CertificateRevokedV1 {
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
  revokedLevel: SkillLevelV1;
  levelAfter: SkillLevelV1 | null;
  reason: string;
  revokedOn: string;
  /** The recording of the number revoked (LevelCertifiedV1.recording); absent for the first. */
  recording?: number;
}

/**
 * A certificate recorded in error was voided: as if it had never been recorded. Consumers forget what they
 * keep of it (this recording of the number, for this worker); the worker's level in the occupation is
 * `levelAfter` (null: none). The number is free again: an import may record it once more, perhaps for
 * another worker, as its next recording.
 */
export interface CertificateVoidedV1 {
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
  voidedLevel: SkillLevelV1;
  levelAfter: SkillLevelV1 | null;
  /** The evaluator that had issued it (whose relation to the worker may have rested on it alone). */
  evaluatorId: string;
  /**
   * Whether the evaluator issued the worker another certificate still recorded (any occupation, revoked ones
   * included): its relation to the worker stands on that one. What a consumer that did not keep which
   * certificates relate them (before it did) judges the relation by.
   */
  evaluatorHoldsOthers: boolean;
  voidedOn: string;
  /** The recording of the number voided (LevelCertifiedV1.recording); absent for the first. */
  recording?: number;
}

/** The recording of a certificate's number a certification message is about: 1 unless it says another. */
export function recordingOf(payload: { recording?: number }): number {
  return payload.recording ?? 1;
}

export type CertificationIntegrationEvent =
  | IntegrationEnvelope<'EvaluatorRegistered', EvaluatorRegisteredV1>
  | IntegrationEnvelope<'LevelCertified', LevelCertifiedV1>
  | IntegrationEnvelope<'CertificateRevoked', CertificateRevokedV1>
  | IntegrationEnvelope<'CertificateVoided', CertificateVoidedV1>
  // Certification's answers to import batches (import-events.ts): for trainee-service's import jobs only.
  | ImportRowsAnswered;
