import { Injectable } from '@nestjs/common';
import { maskIdentityNumber } from '@skills/domain-kernel';
import { CommandPipeline, eitherWay } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { pageOf, Reader, rowsForPage, unseal } from '@skills/service-runtime';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { PersonalData } from '../../personal-data/sealed-personal-data';
import { traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { matches, SearchTerm, searchTermOf, tokensOfTerm } from './search-tokens';
import { SearchTraineesQuery } from './search-trainees.query';

export interface TraineeSearchItem {
  id: string;
  name: string;
  idNumberMasked: string;
  birthDate: string | null;
  gender: 'male' | 'female' | null;
  regionCode: string | null;
  registeredOn: string;
}

interface IndexRow {
  trainee_id: string;
  registered_position: string;
}

interface Found {
  position: string;
  item: TraineeSearchItem;
}

/**
 * Whose rows a caller may list: mayRead (domain.md section 9) as a filter. The platform admin every
 * trainee, a trainee themself, staff the trainees related to their organisation (`trainee_relations`,
 * the relations GET /trainees/{id} judges by); anyone else nobody.
 */
type Scope = { kind: 'all' } | { kind: 'trainee'; traineeId: string } | { kind: 'organisation'; organisationId: string } | { kind: 'nobody' };

function scopeOf(caller: Reader): Scope {
  if (caller.role === 'platform_admin') return { kind: 'all' };
  if (caller.role === 'trainee') return caller.traineeId ? { kind: 'trainee', traineeId: caller.traineeId } : { kind: 'nobody' };
  return caller.organisationId ? { kind: 'organisation', organisationId: caller.organisationId } : { kind: 'nobody' };
}

/**
 * The trainees a caller may see in full, newest registration first, optionally found by a term. The
 * blind index (`trainee_search_index`) gives the candidates; each is read from its own stream and
 * unsealed, as GET /trainees/{id} reads it, and kept only if it really answers the term (the index
 * narrows by the last 4 or 6 characters of a number; the term may give more).
 */
@Injectable()
export class TraineeSearch {
  constructor(
    private readonly database: Database,
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
  ) {}

  async search(caller: Reader, query: SearchTraineesQuery): Promise<{ items: TraineeSearchItem[]; nextCursor: string | null }> {
    // A JSON body's `"q": null` is no term, as its other fields' null is (IsOptional lets it through).
    const term = query.q === undefined || query.q === null ? undefined : searchTermOf(query.q);
    const scope = scopeOf(caller);
    if (scope.kind === 'nobody') return { items: [], nextCursor: null };
    const wanted = rowsForPage(query);
    const found: Found[] = [];
    let after = query.cursor ?? null;
    // Candidates that do not answer the term are passed over: read on until the page is full.
    for (;;) {
      const rows = await this.candidates(scope, term, after, wanted);
      const read = await Promise.all(rows.map((row) => this.readable(row.trainee_id)));
      rows.forEach((row, index) => {
        const person = read[index];
        if (person && (!term || matches(term, person)) && found.length < wanted) found.push({ position: row.registered_position, item: person.item });
      });
      if (found.length >= wanted || rows.length < wanted) break;
      after = rows[rows.length - 1].registered_position;
    }
    const { page, nextCursor } = pageOf(found, query, (last) => last.position);
    return { items: page.map((entry) => entry.item), nextCursor };
  }

  private async candidates(scope: Exclude<Scope, { kind: 'nobody' }>, term: SearchTerm | undefined, after: string | null, limit: number): Promise<IndexRow[]> {
    const { rows } = await this.database.query<IndexRow>(
      `SELECT s.trainee_id, s.registered_position::text AS registered_position FROM trainee_search_index s
       WHERE ($1::text[] IS NULL OR s.tokens && $1::text[])
         AND ($2::bigint IS NULL OR s.registered_position < $2::bigint)
         AND ($3::uuid IS NULL OR s.trainee_id = $3::uuid)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM trainee_relations r WHERE r.trainee_id = s.trainee_id AND r.organisation_id = $4::text))
       ORDER BY s.registered_position DESC LIMIT $5`,
      [
        term ? tokensOfTerm(term) : null,
        after,
        scope.kind === 'trainee' ? scope.traineeId : null,
        scope.kind === 'organisation' ? scope.organisationId : null,
        limit,
      ],
    );
    return rows;
  }

  /** The trainee as its stream and key read now; undefined when erased or voided since the index was read. */
  private async readable(traineeId: string): Promise<{ item: TraineeSearchItem; name: string; idNumber: string } | undefined> {
    const { state } = await this.commands.load(eitherWay(traineeStreamId(traineeId)), traineeAggregate);
    if (state.status !== 'registered') return undefined;
    const key = await this.keys.find(traineeId);
    if (!key) return undefined;
    const personal = unseal<PersonalData>(key, state.personalData);
    const { profile } = state;
    return {
      name: personal.name,
      idNumber: personal.idNumber,
      item: {
        id: traineeId,
        name: personal.name,
        idNumberMasked: maskIdentityNumber(personal.idNumber),
        // Registrations recorded before these were sealed hold them in clear (as TraineeAnswers reads them).
        birthDate: personal.birthDate ?? profile.birthDate ?? null,
        gender: personal.gender ?? profile.gender ?? null,
        regionCode: personal.regionCode ?? profile.regionCode ?? null,
        registeredOn: profile.registeredOn,
      },
    };
  }
}
