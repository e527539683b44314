import { Injectable, OnModuleInit } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { NameAnswerer, TraineeNames } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';

/**
 * Names compared as people type them: Unicode NFKC (full-width letters, compatibility forms) and no
 * whitespace at all, as the lookup by identity number and name compares them.
 */
export const sameName = (registered: string, given: string): boolean => {
  const normal = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');
  const expected = normal(registered);
  return expected.length > 0 && expected === normal(given);
};

/**
 * trainee-service's answer to "is this the trainee's name", for public certificate verification (see
 * TraineeNames): yes or no, never the name. Nothing matches an unknown, voided or erased trainee.
 */
@Injectable()
export class TraineeNameAnswers implements NameAnswerer, OnModuleInit {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly names: TraineeNames,
  ) {}

  /** Answers in this process, so the modules beside it ask without a network hop. */
  onModuleInit(): void {
    this.names.register(this);
  }

  async matches(traineeId: string, name: string): Promise<boolean> {
    const trainee = await this.trainees.find(traineeId).catch((error: unknown) => {
      if (error instanceof UnknownEntity) return undefined;
      throw error;
    });
    return trainee?.name ? sameName(trainee.name, name) : false;
  }
}
