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
}

export type CertificationIntegrationEvent =
  | IntegrationEnvelope<'EvaluatorRegistered', EvaluatorRegisteredV1>
  | IntegrationEnvelope<'LevelCertified', LevelCertifiedV1>
  | IntegrationEnvelope<'CertificateRevoked', CertificateRevokedV1>
  // Certification's answers to import batches (import-events.ts): for trainee-service's import jobs only.
  | ImportRowsAnswered;
