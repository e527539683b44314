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
  /**
   * In a results or certificates file, the keyed hash of the row's identity number as the identity
   * claims hold it: an erasure finds by it the person's rows that no trainee was matched to (refused
   * first). A trainees file's rows are found by their natural key.
   */
  personKey: string | null;
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

/** How many of a file's people are looked up at once. */
const PEOPLE_PER_QUERY = 5000;

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
      const personKey = scope.kind === 'trainees' || !fileRow.fields.idNumber ? null : identityHash(fileRow.fields.idNumber);
      const base = { row: fileRow.row, cells: fileRow.cells, fields: fileRow.fields, naturalKey, key: keyOf(naturalKey, fileRow.fields), personKey, traineeId: null };
      const refusal = await this.refusalOf(scope, fileRow, naturalKey, firstRowOf);
      if (!refusal && !firstRowOf.has(naturalKey)) firstRowOf.set(naturalKey, fileRow.row);
      prepared.push({ ...base, refusal });
    }
    return scope.kind === 'trainees' ? prepared : this.withPeople(scope, prepared, rows);
  }

  /**
   * Each row's registered person (identity number and name, as the lookup compares them), found for the
   * whole file with a few queries per 5,000 rows, not two per row.
   */
  private async withPeople(scope: JobScope, prepared: PreparedRow[], rows: FileRow[]): Promise<PreparedRow[]> {
    const people = new Map<string, TraineeAnswer>();
    const holders = new Map<string, string>();
    // One keyed hash per row still open: the claims are looked up and matched by it.
    const hashOf = new Map(prepared.filter((row) => !row.refusal).map((row) => [row, row.personKey ?? identityHash('')]));
    const open = [...hashOf.values()];
    for (let from = 0; from < open.length; from += PEOPLE_PER_QUERY) {
      const hashes = open.slice(from, from + PEOPLE_PER_QUERY);
      const { rows: claims } = await this.database.query<{ identity_hash: string; trainee_id: string }>('SELECT identity_hash, trainee_id FROM identity_claims WHERE identity_hash = ANY($1)', [hashes]);
      for (const claim of claims) holders.set(claim.identity_hash, claim.trainee_id);
      const unknown = [...new Set(claims.map((claim) => claim.trainee_id))].filter((id) => !people.has(id));
      for (const [id, answer] of await this.trainees.findMany(unknown)) people.set(id, answer);
    }
    return prepared.map((row, index) => {
      if (row.refusal) return row;
      const holder = holders.get(hashOf.get(row) as string);
      const person = holder ? people.get(holder) : undefined;
      const named = person?.name && samePersonName(person.name, row.fields.name ?? '') ? person : undefined;
      return named ? { ...row, traineeId: named.id, refusal: personRefusal(scope, rows[index], named) } : { ...row, refusal: notFound(row.row) };
    });
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
