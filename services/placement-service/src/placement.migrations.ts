import { sqlMigration } from '@skills/postgres';
import { TraineeReplicaSchema, TraineeReplicaWorkingAge } from '@skills/service-runtime';

/** One employer per credit code. */
export const EmployerClaims = sqlMigration(
  'EmployerClaims',
  1732300000301,
  `CREATE TABLE employer_claims (
     credit_code text PRIMARY KEY,
     employer_id uuid NOT NULL UNIQUE
   )`,
  'DROP TABLE employer_claims',
);

/**
 * Which placement an employment lives in, and the active employments per trainee and employer: the
 * primary key refuses a second active employment at one employer even under concurrent hires.
 */
export const Employments = sqlMigration(
  'Employments',
  1732300000302,
  `CREATE TABLE employment_index (
     employment_id uuid PRIMARY KEY,
     placement_id uuid NOT NULL
   );
   CREATE TABLE active_employments (
     trainee_id uuid NOT NULL,
     employer_id uuid NOT NULL,
     employment_id uuid NOT NULL UNIQUE,
     PRIMARY KEY (trainee_id, employer_id)
   )`,
  'DROP TABLE active_employments; DROP TABLE employment_index',
);

/** Trainees known from trainee events, and their current level per occupation from certification events. */
export const PlacementReplicas = sqlMigration(
  'PlacementReplicas',
  1732300000303,
  `CREATE TABLE known_trainees (
     trainee_id uuid PRIMARY KEY
   );
   CREATE TABLE trainee_levels (
     trainee_id uuid NOT NULL,
     occupation_code text NOT NULL,
     level text,
     rank smallint NOT NULL,
     PRIMARY KEY (trainee_id, occupation_code)
   )`,
  'DROP TABLE trainee_levels; DROP TABLE known_trainees',
);

/** TraineeReplicaSchema widens `known_trainees` to the shared TraineeReplica's columns. */
export const placementMigrations = [EmployerClaims, Employments, PlacementReplicas, TraineeReplicaSchema, TraineeReplicaWorkingAge];
