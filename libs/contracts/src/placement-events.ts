import { IntegrationEnvelope, TOPICS } from './envelope';

export const PLACEMENT_TOPIC = TOPICS.placement;

export interface EmployerRegisteredV1 {
  employerId: string;
  name: string;
  creditCode: string;
  industryCode: string;
  regionCode: string;
}

export interface PlacementPostedV1 {
  placementId: string;
  employerId: string;
  employerCreditCode: string;
  employerIndustryCode: string;
  title: string;
  occupationCode: string;
  industryCode: string;
  openings: number;
  minLevel?: string;
  wageMin: number;
  wageMax: number;
  regionCode: string;
  postedOn: string;
}

export interface PlacementClosedV1 {
  placementId: string;
  closedOn: string;
}

/**
 * A trainee started work. Carries what other contexts judge by: who employs them (credit code, the
 * natural key across services), in which industry and occupation, from when.
 */
export interface TraineeHiredV1 {
  employmentId: string;
  placementId: string;
  traineeId: string;
  employerId: string;
  employerCreditCode: string;
  /** The employer's own industry, which labour brands judge employment by. */
  employerIndustryCode: string;
  /** The placement's industry (defaults to the employer's). */
  industryCode: string;
  occupationCode: string;
  /** The placement's region (where the work is). */
  regionCode: string;
  /**
   * The employer's region as registered when the placement was posted: hires count by it. Absent on
   * messages published before it was added (consumers look the employer up).
   */
  employerRegionCode?: string;
  startDate: string;
  monthlyWage: number;
}

/** An employment ended; it was active on every day before `endDate` (start ≤ D < end). */
export interface EmploymentEndedV1 {
  employmentId: string;
  traineeId: string;
  employerId: string;
  employerCreditCode: string;
  employerIndustryCode: string;
  industryCode: string;
  occupationCode: string;
  startDate: string;
  endDate: string;
  reason: string;
}

/**
 * A hire recorded in error, voided: as if it had never been recorded (domain.md section 4 knows no such
 * hire). Consumers take the employment away wherever they hold it, ended or not; an employment's messages
 * are keyed by its trainee, so the void follows its TraineeHired (and any EmploymentEnded) on one partition.
 * The void's reason is kept in placement-service's log only: it is free text and may name people.
 */
export interface EmploymentVoidedV1 extends Omit<TraineeHiredV1, 'monthlyWage'> {
  voidedOn: string;
}

export type PlacementIntegrationEvent =
  | IntegrationEnvelope<'EmployerRegistered', EmployerRegisteredV1>
  | IntegrationEnvelope<'PlacementPosted', PlacementPostedV1>
  | IntegrationEnvelope<'PlacementClosed', PlacementClosedV1>
  | IntegrationEnvelope<'TraineeHired', TraineeHiredV1>
  | IntegrationEnvelope<'EmploymentEnded', EmploymentEndedV1>
  | IntegrationEnvelope<'EmploymentVoided', EmploymentVoidedV1>;
