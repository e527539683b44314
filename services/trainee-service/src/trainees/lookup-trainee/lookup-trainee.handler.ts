import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { maskName, samePersonName, UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { identityHash } from '../identity-hash';
import { TraineeAnswers } from '../trainee-answer';
import { LookupTraineeDto } from './lookup-trainee.dto';
import { TraineeLookups } from './trainee-lookups';

/**
 * How an evaluator or an employer finds a person it has no relation to yet: the exact identity number
 * and the name as people type it (samePersonName: case, width, spaces and the dot of a transliterated
 * name aside, as the search and certificate verification compare it), answered with the id and the
 * masked name only. A wrong name answers like an unknown number (404), so the lookup cannot confirm
 * whose number it is. Every lookup is counted and audited, found or not (TraineeLookups).
 */
@Injectable()
export class LookupTraineeHandler {
  constructor(
    private readonly database: Database,
    private readonly trainees: TraineeAnswers,
    private readonly lookups: TraineeLookups,
  ) {}

  async execute(body: LookupTraineeDto, caller: Caller): Promise<{ id: string; nameMasked: string }> {
    let found: { id: string; nameMasked: string } | undefined;
    await this.lookups.counted(caller, async () => {
      found = await this.match(body);
      return found?.id ?? null;
    });
    if (!found) throw new UnknownEntity('trainee', 'matching this identity number and name');
    return found;
  }

  private async match(body: LookupTraineeDto): Promise<{ id: string; nameMasked: string } | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(body.idNumber)]);
    if (!rows[0]) return undefined;
    const trainee = await this.trainees.find(rows[0].trainee_id);
    if (!trainee.name || !samePersonName(trainee.name, body.name)) return undefined;
    return { id: trainee.id, nameMasked: maskName(trainee.name) };
  }
}
