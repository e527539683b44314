import { Injectable } from '@nestjs/common';
import { maskName, samePersonName, UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { identityHash } from '../identity-hash';
import { TraineeAnswers } from '../trainee-answer';

/** The person an identity number and a name find together: their id and masked name. */
export interface MatchedTrainee {
  id: string;
  nameMasked: string;
}

/**
 * The one check of whether a name is a trainee's, wherever a trainee is found by identity number (the
 * lookup, a registration refused for a registered number): the name as people type it (samePersonName:
 * case, width, spaces and the dot of a transliterated name aside, as the search and certificate
 * verification compare it). An erased trainee has no name, and matches none.
 */
@Injectable()
export class TraineeMatching {
  constructor(
    private readonly database: Database,
    private readonly trainees: TraineeAnswers,
  ) {}

  /** The holder of this identity number, if this name is theirs. */
  async byNumberAndName(idNumber: string, name: string): Promise<MatchedTrainee | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(idNumber)]);
    return rows[0] ? this.named(rows[0].trainee_id, name) : undefined;
  }

  /** The trainee, if this name is theirs (none if they were voided since their claim was read). */
  async named(traineeId: string, name: string): Promise<MatchedTrainee | undefined> {
    const trainee = await this.trainees.find(traineeId).catch((error: unknown) => {
      if (error instanceof UnknownEntity) return undefined;
      throw error;
    });
    if (!trainee?.name || !samePersonName(trainee.name, name)) return undefined;
    return { id: trainee.id, nameMasked: maskName(trainee.name) };
  }
}
