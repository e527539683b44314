import { sqlMigration } from '@skills/postgres';

/**
 * The organisations related to a trainee (domain.md section 9): the one that registered them, and every
 * provider that enrolled, evaluator that certified and employer that hired them, as their facts arrive.
 * Staff of these organisations may read the trainee in full, their archive and their ladder.
 *
 * This is trainee-service's own `TraineeRelations` migration, moved here unchanged in name and
 * timestamp: a trainee-service database that already ran it records it as done and does not run it
 * again, while every other service that lists it creates the table. IF NOT EXISTS only makes that
 * safe should a table of that name exist anyway.
 */
export const TraineeRelationsSchema = sqlMigration(
  'TraineeRelations',
  1733200000001,
  `CREATE TABLE IF NOT EXISTS trainee_relations (
     trainee_id uuid NOT NULL,
     organisation_id text NOT NULL,
     PRIMARY KEY (trainee_id, organisation_id)
   )`,
  'DROP TABLE trainee_relations',
);
