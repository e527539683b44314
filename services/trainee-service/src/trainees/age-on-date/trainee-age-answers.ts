import { Injectable, OnModuleInit } from '@nestjs/common';
import { AgeOnDate, ageOnDate, UnknownEntity } from '@skills/domain-kernel';
import { AgeAnswerer, TraineeAges } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';

/**
 * trainee-service's answer to "how old was this person on this date", for the rules of other contexts
 * (see TraineeAges): one of three words, never the birth date. Nothing is known of an unknown, voided or
 * erased trainee.
 */
@Injectable()
export class TraineeAgeAnswers implements AgeAnswerer, OnModuleInit {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly ages: TraineeAges,
  ) {}

  /** Answers in this process, so the modules beside it ask without a network hop. */
  onModuleInit(): void {
    this.ages.register(this);
  }

  async ageOn(traineeId: string, date: string): Promise<AgeOnDate | undefined> {
    const trainee = await this.trainees.find(traineeId).catch((error: unknown) => {
      if (error instanceof UnknownEntity) return undefined;
      throw error;
    });
    return trainee?.birthDate ? ageOnDate(trainee.birthDate, date) : undefined;
  }
}
