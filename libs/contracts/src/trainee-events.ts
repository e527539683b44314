import type { ImportKind, ImportRowsSubmitted } from './import-events';
import { IntegrationEnvelope, TOPICS } from './envelope';

export const TRAINEE_TOPIC = TOPICS.trainee;

/** The groups a trainee may belong to, which statistics break figures down by (api.md `categories`). */
export const TRAINEE_CATEGORIES = ['poverty_registered', 'urban_unemployed', 'rural_migrant', 'veteran', 'disabled', 'graduate'] as const;

/**
 * Each category's Chinese title as the bureaus' statistical forms name it: the statistics exports' column
 * titles, and a name an import file may give it (among the shorter ones offices also write).
 */
export const TRAINEE_CATEGORY_TITLES: Record<(typeof TRAINEE_CATEGORIES)[number], string> = {
  poverty_registered: '脱贫人口（建档立卡）',
  urban_unemployed: '城镇登记失业人员',
  rural_migrant: '农村转移就业劳动力',
  veteran: '退役军人',
  disabled: '残疾人',
  graduate: '高校毕业生',
};

export type TraineeCategory = (typeof TRAINEE_CATEGORIES)[number];

/**
 * A trainee exists. Free of personal data (name, identity number, phone, birth date, gender): the topic
 * is kept forever and read by every context, and personal data must stay erasable. Only what a rule of
 * another context needs travels, and consumers drop it when PersonalDataErased arrives:
 * - the masked name (the surname and one star per further character, 张**), for public certificate
 *   verification;
 * - `workingAgeFrom`, the 16th birthday, only for someone under 16 on registering (placement refuses
 *   an earlier hire, domain.md section 4); null for everyone else, so an adult's birth date never leaves.
 *
 * v2 added `registeredBy`: the registering organisation is related to the trainee (domain.md section 9)
 * in every service that judges reads of them, not only in trainee-service. v1 messages are upcast with
 * null (see upcasters.ts): their registering organisation is unknown outside trainee-service.
 * v3 dropped `birthDate` and `gender` (in clear, 8 of the identity number's 18 characters) for
 * `workingAgeFrom`; v2 messages still on the topic are upcast by the same rule.
 * v4 dropped `regionCode` (6 more characters of the number): figures count by the organisations'
 * regions, never the trainee's (domain.md section 6), so no other context needs it.
 */
export interface TraineeRegisteredV4 {
  traineeId: string;
  nameMasked: string;
  categories: string[];
  registeredOn: string;
  /** The organisation of the registering user; null when a platform admin registered the trainee. */
  registeredBy: string | null;
  /** The first day the trainee may be hired when that is after `registeredOn`; null otherwise. */
  workingAgeFrom: string | null;
}

export type TraineeRegisteredV3 = TraineeRegisteredV4 & { regionCode: string };

export type TraineeRegisteredV2 = Omit<TraineeRegisteredV3, 'workingAgeFrom'> & { birthDate: string; gender: 'male' | 'female' };

export type TraineeRegisteredV1 = Omit<TraineeRegisteredV2, 'registeredBy'>;

/** A correction of the trainee's name or phone (PIPL article 46): the masked name as it now reads. */
export interface TraineeCorrectedV1 {
  traineeId: string;
  nameMasked: string;
  correctedOn: string;
}

/**
 * A registration made in error (a wrong identity number) was voided before anything referred to it:
 * consumers forget the trainee, so nothing new can refer to them.
 */
export interface TraineeRegistrationVoidedV1 {
  traineeId: string;
  voidedOn: string;
}

/** The trainee's personal data (name, identity number, phone, birth date, gender, region) was erased; the rest stands. */
export interface PersonalDataErasedV1 {
  traineeId: string;
  erasedOn: string;
  /**
   * The natural keys of the person's rows in import jobs of the kinds other services apply (their
   * enrolments and results, certificates), as ImportRowsSubmitted carried them: the owners' row keys
   * kept before keys named their trainee (ImportRowKeysTrainee) are found by these, and go with the
   * trainee's own. Keyed hashes, already on this topic with the trainee id in those batches. Absent on
   * messages published before it was added, and when the person had no such rows.
   */
  importNaturalKeys?: ImportNaturalKey[];
}

/** Where a natural key of an import row is kept: its organisation and kind lead the owners' key (import_row_keys). */
export interface ImportNaturalKey {
  organisationId: string;
  kind: ImportKind;
  naturalKey: string;
}

/**
 * The trainee was given a code to create their own user with (identity-service redeems it). Only the
 * code's hash travels (see activation-codes.ts); the code itself is answered once, to whoever issued it.
 */
export interface ActivationCodeIssuedV1 {
  traineeId: string;
  codeHash: string;
  /** The instant after which the code is refused (ISO 8601 UTC). */
  expiresAt: string;
  issuedOn: string;
}

/**
 * v2 says who issued the code and when they signed in to get the token they issued it with: a code issued
 * with the token of a session a password change or reset (or a second factor's reset) had ended is refused
 * at redemption, as identity refuses such a token every credential it makes itself. Null in codes of v1.
 */
export interface ActivationCodeIssuedV2 extends ActivationCodeIssuedV1 {
  /** `sessionsEnded`: the token's count of its user's session ends (AccessTokenClaims.sessions_ended), null when it did not say. */
  issuedBy: { userId: string; signedInAt: string | null; sessionsEnded?: number | null } | null;
}

/**
 * An organisation is no longer related to the trainee (domain.md section 9): the enrolment or hire voided
 * (EnrollmentVoided, EmploymentVoided) was the last fact trainee-service knew relating them. Announced by
 * trainee-service, which knows every fact of the relations made before facts were kept (its own log,
 * TraineeRelatingFactsFromTheLog); a service that does not know them (`facts_kept` false there) takes the
 * relation back on it, unless a fact it has kept since relates the pair still (a new hire, a certificate).
 * Keyed by the trainee. `voidedFacts`: the enrolments and hires that related the pair, every one voided,
 * so the relation goes whichever of this and their voids comes first.
 */
export interface TraineeUnrelatedV1 {
  traineeId: string;
  organisationId: string;
  voidedFacts: Array<{ kind: 'enrollment' | 'employment'; id: string }>;
}

export type TraineeIntegrationEvent =
  | IntegrationEnvelope<'TraineeRegistered', TraineeRegisteredV4>
  | IntegrationEnvelope<'TraineeCorrected', TraineeCorrectedV1>
  | IntegrationEnvelope<'TraineeRegistrationVoided', TraineeRegistrationVoidedV1>
  | IntegrationEnvelope<'PersonalDataErased', PersonalDataErasedV1>
  | IntegrationEnvelope<'ActivationCodeIssued', ActivationCodeIssuedV2>
  | IntegrationEnvelope<'TraineeUnrelated', TraineeUnrelatedV1>
  // Import batches for the services that own their rows (import-events.ts): no personal data.
  | ImportRowsSubmitted;
