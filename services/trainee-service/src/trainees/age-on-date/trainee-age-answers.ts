import { Injectable, OnModuleInit } from '@nestjs/common';
import { ageOnDate, UnknownEntity } from '@skills/domain-kernel';
import { AgeAnswer, AgeAnswerer, NOT_REGISTERED, TraineeAges } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';

/**
 * trainee-service's answer to "how old was this person on this date", for the rules of other contexts
 * (see TraineeAges): one of three words, never the birth date. Nothing is known of an erased trainee's age;
 * an unknown or voided one has no registration (NOT_REGISTERED).
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

  async ageOn(traineeId: string, date: string): Promise<AgeAnswer> {
    const trainee = await this.trainees.find(traineeId).catch((error: unknown) => {
      if (error instanceof UnknownEntity) return undefined;
      throw error;
    });
    if (!trainee) return NOT_REGISTERED;
    return trainee.birthDate ? ageOnDate(trainee.birthDate, date) : undefined;
  }
}
