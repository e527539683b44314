import { Injectable, OnModuleInit } from '@nestjs/common';
import { ageOnDate, UnknownEntity } from '@skills/domain-kernel';
import { AgeAnswer, AgeAnswerer, NOT_REGISTERED, TraineeAges } from '@skills/service-runtime';
import { WorkingAgeAfterErasure } from '../../personal-data/working-age/working-age-after-erasure';
import { TraineeAnswers } from '../trainee-answer';

/**
 * trainee-service's answer to "how old was this person on this date", for the rules of other contexts
 * (see TraineeAges): one of three words, never the birth date. Nothing is known of an erased trainee's age
 * but that they are under 16 until the day an erased minor turns 16 (WorkingAgeAfterErasure); an unknown or
 * voided one has no registration (NOT_REGISTERED).
 */
@Injectable()
export class TraineeAgeAnswers implements AgeAnswerer, OnModuleInit {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly ages: TraineeAges,
    private readonly workingAge: WorkingAgeAfterErasure,
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
    if (trainee.birthDate) return ageOnDate(trainee.birthDate, date);
    // Erased: nothing is known of their age, but the day a minor turns 16 is kept until it comes.
    return (await this.workingAge.under16On(traineeId, date)) ? 'under_working_age' : undefined;
  }
}
