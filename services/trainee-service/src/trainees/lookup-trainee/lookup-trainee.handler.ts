import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { LookupTraineeDto } from './lookup-trainee.dto';
import { TraineeLookups } from './trainee-lookups';
import { MatchedTrainee, TraineeMatching } from './trainee-matching';

/**
 * How an evaluator or an employer finds a person it has no relation to yet: the exact identity number
 * and the name as people type it (TraineeMatching), answered with the id and the masked name only. A
 * wrong name answers like an unknown number (404), so the lookup cannot confirm whose number it is.
 * Every lookup is counted and audited, found or not (TraineeLookups).
 */
@Injectable()
export class LookupTraineeHandler {
  constructor(
    private readonly matching: TraineeMatching,
    private readonly lookups: TraineeLookups,
  ) {}

  async execute(body: LookupTraineeDto, caller: Caller): Promise<MatchedTrainee> {
    let found: MatchedTrainee | undefined;
    await this.lookups.counted(caller, async () => {
      found = await this.matching.byNumberAndName(body.idNumber, body.name);
      return found?.id ?? null;
    });
    if (!found) throw new UnknownEntity('trainee', 'matching this identity number and name');
    return found;
  }
}
