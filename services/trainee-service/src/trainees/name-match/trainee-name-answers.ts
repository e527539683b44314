import { Injectable, OnModuleInit } from '@nestjs/common';
import { samePersonName, UnknownEntity } from '@skills/domain-kernel';
import { NameAnswerer, TraineeNames } from '@skills/service-runtime';
import { TraineeAnswers } from '../trainee-answer';

/**
 * trainee-service's answer to "is this the trainee's name", for public certificate verification (see
 * TraineeNames): yes or no, never the name. Names are compared as people type them (samePersonName,
 * the spelling the search and the lookup use). Nothing matches an unknown, voided or erased trainee.
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
    return trainee?.name ? samePersonName(trainee.name, name) : false;
  }
}
