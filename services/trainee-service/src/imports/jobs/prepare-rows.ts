import { Injectable } from '@nestjs/common';
import { ImportKind, ImportRowOutcome } from '@skills/contracts';
import { ageOnDate, samePersonName } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { refusalOf, validatedAs } from '@skills/service-runtime';
import { createHmac } from 'node:crypto';
import { identityHash, identityHashSecret } from '../../trainees/identity-hash';
import { RegisterTraineeDto } from '../../trainees/register-trainee/register-trainee.dto';
import { TraineeAnswer, TraineeAnswers } from '../../trainees/trainee-answer';
import { FileRow } from '../files';
import { PersonDto } from './person.dto';

/** A row of a file made ready for its job: keyed, its person resolved, or refused with the reason. */
export interface PreparedRow {
  row: number;
  naturalKey: string | null;
  key: string | null;
  traineeId: string | null;
  cells: Record<string, string>;
  fields: Record<string, string | undefined>;
  refusal: ImportRowOutcome | null;
}

export interface JobScope {
  kind: ImportKind;
  organisationId: string;
  courseId: string | null;
}

/** The fields that name the person: they stay in trainee-service; the rest travels to the owner. */
export const PERSON_FIELDS = ['name', 'idNumber'];

/**
 * Keyed hashes (IDENTITY_HASH_KEY), as the identity claims are: the natural key names the person or the
 * certificate, so an unkeyed hash would give the identity number back to anyone who tries them all.
 */
const keyed = (text: string) => createHmac('sha256', identityHashSecret()).update(text).digest('base64url');

/** The same row's natural key in every upload: kind, organisation, course, and the person or certificate. */
function naturalKeyOf(scope: JobScope, fields: FileRow['fields']): string {
  const natural = scope.kind === 'certificates' ? fields.certificateNumber : fields.idNumber;
  return keyed([scope.kind, scope.organisationId, scope.courseId ?? '', natural ?? ''].join('|'));
}

/** The natural key of a person's row in an organisation's trainees files (an erasure finds them by it). */
export const traineesRowKey = (organisationId: string, idNumber: string): string => naturalKeyOf({ kind: 'trainees', organisationId, courseId: null }, { idNumber });

/** The natural key and every cell's value: the same row again has the same key, a changed row another. */
function keyOf(naturalKey: string, fields: FileRow['fields']): string {
  const cells = Object.keys(fields).sort().map((field) => [field, fields[field] ?? null]);
  return keyed(`${naturalKey}|${JSON.stringify(cells)}`);
}

/**
 * Checks what can be checked before anything is written: the cells the file reader found wrong,
 * the person's fields by the API's own rules (RegisterTraineeDto for a trainee, the identity number
 * and name otherwise), a duplicate within the file (a trainee or a certificate number twice; a person
 * twice in a results file is a correction, applied in file order), and for enrolments and
 * certificates, the registered trainee with that identity number and name. The rules of the facts
 * themselves are judged by their owner in the job's dry run.
 */
@Injectable()
export class PrepareRows {
  constructor(
    private readonly database: Database,
    private readonly trainees: TraineeAnswers,
  ) {}

  async prepare(scope: JobScope, rows: FileRow[]): Promise<PreparedRow[]> {
    const firstRowOf = new Map<string, number>();
    const prepared: PreparedRow[] = [];
    for (const fileRow of rows) {
      const naturalKey = naturalKeyOf(scope, fileRow.fields);
      const base = { row: fileRow.row, cells: fileRow.cells, fields: fileRow.fields, naturalKey, key: keyOf(naturalKey, fileRow.fields), traineeId: null };
      const refusal = await this.refusalOf(scope, fileRow, naturalKey, firstRowOf);
      if (refusal) {
        prepared.push({ ...base, refusal });
        continue;
      }
      if (!firstRowOf.has(naturalKey)) firstRowOf.set(naturalKey, fileRow.row);
      if (scope.kind === 'trainees') {
        prepared.push({ ...base, refusal: null });
        continue;
      }
      const person = await this.personOf(fileRow);
      prepared.push({ ...base, traineeId: person?.id ?? null, refusal: person ? personRefusal(scope, fileRow, person) : notFound(fileRow.row) });
    }
    return prepared;
  }

  private async refusalOf(scope: JobScope, fileRow: FileRow, naturalKey: string, firstRowOf: Map<string, number>): Promise<ImportRowOutcome | null> {
    const [problem] = fileRow.problems;
    if (problem) return { row: fileRow.row, outcome: 'refused', ...problem };
    try {
      if (scope.kind === 'trainees') await validatedAs(RegisterTraineeDto, traineeBody(fileRow.fields));
      else await validatedAs(PersonDto, { name: fileRow.fields.name, idNumber: fileRow.fields.idNumber });
    } catch (error) {
      return refusalOf(fileRow.row, error);
    }
    const first = firstRowOf.get(naturalKey);
    if (first !== undefined && scope.kind !== 'enrolments_and_results') {
      const field = scope.kind === 'certificates' ? 'certificateNumber' : 'idNumber';
      return { row: fileRow.row, outcome: 'refused', field, rule: 'duplicate_in_file', detail: `row ${first} of this file has the same ${field}` };
    }
    return null;
  }

  /** The registered trainee with this identity number and name (as the lookup compares names); undefined if none. */
  private async personOf(fileRow: FileRow): Promise<TraineeAnswer | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(fileRow.fields.idNumber ?? '')]);
    if (!rows[0]) return undefined;
    const trainee = await this.trainees.find(rows[0].trainee_id).catch(() => undefined);
    return trainee?.name && samePersonName(trainee.name, fileRow.fields.name ?? '') ? trainee : undefined;
  }
}

const notFound = (row: number): ImportRowOutcome => ({ row, outcome: 'refused', field: 'idNumber', rule: 'not_found', detail: 'no registered trainee has this identity number and name; import the trainees first' });

/**
 * What only this service can judge of a resolved person's row: a certificate dated before the holder
 * was born (the rule of POST /api/v1/certifications). The birth date never leaves this service, so the
 * owner of certificates is not asked row by row.
 */
function personRefusal(scope: JobScope, fileRow: FileRow, person: TraineeAnswer): ImportRowOutcome | null {
  const certifiedOn = fileRow.fields.certifiedOn ?? '';
  if (scope.kind !== 'certificates' || !person.birthDate || !ISO_DATE.test(certifiedOn)) return null;
  if (ageOnDate(person.birthDate, certifiedOn) !== 'not_yet_born') return null;
  return { row: fileRow.row, outcome: 'refused', field: 'certifiedOn', rule: 'certified_before_birth', detail: `certifiedOn ${certifiedOn} is before the holder was born` };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A trainees row as the body of POST /api/v1/trainees. */
export function traineeBody(fields: FileRow['fields']): Record<string, unknown> {
  return {
    name: fields.name ?? '',
    idNumber: fields.idNumber ?? '',
    phone: fields.phone ?? '',
    ...(fields.regionCode ? { regionCode: fields.regionCode } : {}),
    ...(fields.categories ? { categories: fields.categories.split(',') } : {}),
  };
}
