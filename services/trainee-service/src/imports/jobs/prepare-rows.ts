import { Injectable } from '@nestjs/common';
import { Caller, ImportKind, ImportRowOutcome } from '@skills/contracts';
import { ageOnDate, normalisePersonName, readIdentityNumber, samePersonName } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { refusalOf, validatedAs } from '@skills/service-runtime';
import { createHmac } from 'node:crypto';
import { identityHash, identityHashSecret } from '../../trainees/identity-hash';
import { LOOKUPS_PER_HOUR, LookupQuestion, ORGANISATION_LOOKUPS_PER_HOUR, TraineeLookups } from '../../trainees/lookup-trainee/trainee-lookups';
import { RegisterTraineeDto } from '../../trainees/register-trainee/register-trainee.dto';
import { TraineeAnswer, TraineeAnswers } from '../../trainees/trainee-answer';
import { FileRow, IMPORT_COLUMNS } from '../files';
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
  /**
   * In a trainees file, the keyed hash of the phone of a row whose identity number is not one (mistyped,
   * Excel's lost digits, missing): no natural key names its person, so an erasure finds it by their phone
   * (phoneRowKey). A row with a valid number is that number's person's, whosever phone it gives (a family's).
   */
  phoneKey: string | null;
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

/**
 * The keyed hash a trainees row's phone is kept as (PreparedRow.phoneKey): of its digits, without the
 * country's +86, so a cell and the registration's phone (11 digits) give the same.
 */
export function phoneRowKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return keyed(`phone|${/^861\d{10}$/.test(digits) ? digits.slice(2) : digits}`);
}

/** A trainees row's phoneKey: only when its number names nobody (one hash for such a row, none for the others). */
function phoneKeyOf(scope: JobScope, fields: FileRow['fields']): string | null {
  if (scope.kind !== 'trainees' || !fields.phone || readIdentityNumber(fields.idNumber ?? '').ok) return null;
  return phoneRowKey(fields.phone);
}

/** The natural key and every cell's value: the same row again has the same key, a changed row another. */
function keyOf(naturalKey: string, fields: FileRow['fields']): string {
  const cells = Object.keys(fields).sort().map((field) => [field, fields[field] ?? null]);
  return keyed(`${naturalKey}|${JSON.stringify(cells)}`);
}

/**
 * Checks what can be checked before anything is written: the cells the file reader found wrong,
 * the person's fields by the API's own rules (RegisterTraineeDto for a trainee, the identity number
 * and name otherwise), a duplicate within the file (a trainee or a certificate number twice; a person
 * twice in a results file is a correction, applied in file order), and what the registry says of each
 * row (withRegistry): for enrolments and certificates, the registered trainee with that identity number
 * and name; for trainees, a number registered to someone the organisation is not related to. The rules
 * of the facts themselves are judged by their owner in the job's dry run.
 */
@Injectable()
export class PrepareRows {
  constructor(
    private readonly database: Database,
    private readonly trainees: TraineeAnswers,
    private readonly lookups: TraineeLookups,
  ) {}

  /** The file's rows made ready for a job of `asker`'s, whose lookups the rows that ask what a lookup answers count as. */
  async prepare(scope: JobScope, rows: FileRow[], asker: Caller): Promise<PreparedRow[]> {
    const firstRowOf = new Map<string, number>();
    const prepared: PreparedRow[] = [];
    for (const fileRow of rows) {
      const naturalKey = naturalKeyOf(scope, fileRow.fields);
      const personKey = scope.kind === 'trainees' || !fileRow.fields.idNumber ? null : identityHash(fileRow.fields.idNumber);
      const base = { row: fileRow.row, cells: fileRow.cells, fields: fileRow.fields, naturalKey, key: keyOf(naturalKey, fileRow.fields), personKey, phoneKey: phoneKeyOf(scope, fileRow.fields), traineeId: null };
      const refusal = await this.refusalOf(scope, fileRow, naturalKey, firstRowOf);
      if (!refusal && !firstRowOf.has(naturalKey)) firstRowOf.set(naturalKey, fileRow.row);
      prepared.push({ ...base, refusal });
    }
    return this.withRegistry(scope, prepared, rows, asker);
  }

  /**
   * What the registry says of each open row, found for the whole file with a few queries per 5,000 rows,
   * not two per row; then the lookup limit (domain.md section 9: every lookup audited and rate-limited),
   * as TraineeLookups.answerable applies it, in file order:
   * - counted as one of the asker's lookups, and audited as one: a trainees row whose number is
   *   registered to someone the organisation is not related to (identity_number_registered), and a
   *   results or certificates row whose number and name match nobody (not_found): what a lookup, or a
   *   registration refused as registered, would have told;
   * - free: a number nobody holds (a new trainee), and a number and name that match a trainee; but
   *   answered only while the asker has a lookup left, or being refused would tell them apart;
   * - free always: a number held by a trainee the organisation is related to (it registered, enrolled,
   *   employed or certified them, so it had their number), whoever asks.
   * A row not answered is refused too_many_lookups, saying nothing of what its answer would have been.
   * A question asked again in the file (a person's second certificate) is answered as the first was.
   */
  private async withRegistry(scope: JobScope, prepared: PreparedRow[], rows: FileRow[], asker: Caller): Promise<PreparedRow[]> {
    // One keyed hash per row still open: the claims are looked up and matched by it.
    const hashOf = new Map(prepared.filter((row) => !row.refusal).map((row) => [row, row.personKey ?? identityHash(row.fields.idNumber ?? '')]));
    const holders = await this.holdersOf([...new Set(hashOf.values())]);
    const holderIds = [...new Set(holders.values())];
    const people = scope.kind === 'trainees' ? new Map<string, TraineeAnswer>() : await this.peopleOf(holderIds);
    const related = await this.relatedOf(scope.organisationId, holderIds);

    const findings = prepared.map((row, index) => {
      const hash = hashOf.get(row);
      return hash === undefined ? undefined : findingOf(scope, row, rows[index], { hash, holder: holders.get(hash), people, related });
    });
    // Each question once, at its first place in the file.
    const asked = new Map<string, number>();
    const questions: LookupQuestion[] = [];
    for (const finding of findings) {
      if (finding?.question && !asked.has(finding.question.key)) {
        asked.set(finding.question.key, questions.length);
        questions.push(finding.question);
      }
    }
    const answerable = await this.lookups.answerable(asker, questions);
    return prepared.map((row, index) => {
      const finding = findings[index];
      if (!finding) return row;
      if (finding.question && !answerable[asked.get(finding.question.key) as number]) return { ...row, refusal: tooManyLookups(row.row) };
      return finding.answer;
    });
  }

  /** The trainee holding each identity number's claim, by its keyed hash. */
  private async holdersOf(hashes: string[]): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    for (let from = 0; from < hashes.length; from += PEOPLE_PER_QUERY) {
      const { rows: claims } = await this.database.query<{ identity_hash: string; trainee_id: string }>('SELECT identity_hash, trainee_id FROM identity_claims WHERE identity_hash = ANY($1)', [
        hashes.slice(from, from + PEOPLE_PER_QUERY),
      ]);
      for (const claim of claims) holders.set(claim.identity_hash, claim.trainee_id);
    }
    return holders;
  }

  private async peopleOf(traineeIds: string[]): Promise<Map<string, TraineeAnswer>> {
    const people = new Map<string, TraineeAnswer>();
    for (let from = 0; from < traineeIds.length; from += PEOPLE_PER_QUERY) {
      for (const [id, answer] of await this.trainees.findMany(traineeIds.slice(from, from + PEOPLE_PER_QUERY))) people.set(id, answer);
    }
    return people;
  }

  /** Those of the trainees the organisation is related to (`trainee_relations`). */
  private async relatedOf(organisationId: string, traineeIds: string[]): Promise<Set<string>> {
    const related = new Set<string>();
    for (let from = 0; from < traineeIds.length; from += PEOPLE_PER_QUERY) {
      const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM trainee_relations WHERE organisation_id = $1 AND trainee_id = ANY($2::uuid[])', [
        organisationId,
        traineeIds.slice(from, from + PEOPLE_PER_QUERY),
      ]);
      for (const row of rows) related.add(row.trainee_id);
    }
    return related;
  }

  private async refusalOf(scope: JobScope, fileRow: FileRow, naturalKey: string, firstRowOf: Map<string, number>): Promise<ImportRowOutcome | null> {
    const [problem] = fileRow.problems;
    if (problem) return { row: fileRow.row, outcome: 'refused', ...problem };
    if (isTemplateExample(scope.kind, fileRow.fields)) {
      return { row: fileRow.row, outcome: 'refused', field: 'name', rule: 'example_row', detail: "the template's example row (张三): replace it with your own rows, or delete it" };
    }
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

/**
 * An open row as the registry answers it (`answer`), and the question it asks (none when the answer
 * names a trainee the organisation is related to): keyed by what was asked, the number (and the name),
 * so that the same question twice in a file is one.
 */
interface Finding {
  answer: PreparedRow;
  question?: LookupQuestion & { key: string };
}

function findingOf(
  scope: JobScope,
  row: PreparedRow,
  fileRow: FileRow,
  registry: { hash: string; holder: string | undefined; people: Map<string, TraineeAnswer>; related: Set<string> },
): Finding {
  const { hash, holder, people, related } = registry;
  if (scope.kind === 'trainees') {
    // A holder the organisation is related to is the applier's to judge: a correction of its own import, or registered.
    const asked = keyed(`registered?|${hash}`);
    if (!holder) return { answer: row, question: { key: hash, found: null, counted: false, asked } };
    if (related.has(holder)) return { answer: row };
    return { answer: { ...row, refusal: registered(row.row) }, question: { key: hash, found: holder, counted: true, asked } };
  }
  const person = holder ? people.get(holder) : undefined;
  const named = person?.name && samePersonName(person.name, row.fields.name ?? '') ? person : undefined;
  const key = `${hash}|${normalisePersonName(row.fields.name ?? '')}`;
  const asked = keyed(`who?|${key}`);
  if (!named) return { answer: { ...row, refusal: notFound(scope.kind, row.row) }, question: { key, found: null, counted: true, asked } };
  const answer = { ...row, traineeId: named.id, refusal: personRefusal(scope, fileRow, named) };
  return related.has(named.id) ? { answer } : { answer, question: { key, found: named.id, counted: false, asked } };
}

/**
 * No trainee by this number and name. A school enrolling imports its trainees first; an evaluator cannot
 * register anyone (trainees:register is a school's, an employer's), so it is told whom to ask.
 */
const notFound = (kind: JobScope['kind'], row: number): ImportRowOutcome => ({
  row,
  outcome: 'refused',
  field: 'idNumber',
  rule: 'not_found',
  detail:
    kind === 'certificates'
      ? 'no registered trainee has this identity number and name: check both against the certificate, or ask the school or employer that registers the person to register them, then upload this row again'
      : 'no registered trainee has this identity number and name; import the trainees first',
});

const registered = (row: number): ImportRowOutcome => ({ row, outcome: 'refused', field: 'idNumber', rule: 'identity_number_registered', detail: 'a trainee with this identity number is already registered' });

/** A row past the asker's lookups: the same words whatever its answer would have been. */
const tooManyLookups = (row: number): ImportRowOutcome => ({
  row,
  outcome: 'refused',
  field: 'idNumber',
  rule: 'too_many_lookups',
  detail: `not looked up: the user who uploaded the file made ${LOOKUPS_PER_HOUR} lookups in the last hour, or the users of its organisation ${ORGANISATION_LOOKUPS_PER_HOUR} together (a row whose number is registered to someone else, or whose number and name match nobody, is one); upload this row again in an hour (rows an earlier upload was answered cost nothing then)`,
});

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

/**
 * The template's example row left in the file: its identity number is a valid one, so it would pass and
 * register (or match) a made-up 张三. Known by the example's person, whatever the other cells say.
 */
function isTemplateExample(kind: ImportKind, fields: FileRow['fields']): boolean {
  const example = (field: string) => IMPORT_COLUMNS[kind].find((column) => column.field === field)?.example;
  return fields.name === example('name') && fields.idNumber?.toUpperCase() === example('idNumber');
}

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
