import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Response } from 'express';
import { Freshness } from '../catch-up/catch-up';

/** `?consistent=true` on a read that shows figures built from other services' events (api.md, Statistics). */
export class ConsistentQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    example: 'true',
    description:
      'Wait until every event accepted before the request has been applied here (503 with Retry-After if that takes too long). ' +
      'An event that could not be applied here (a dead letter waiting for an operator) is not waited for: the answer then has no completeUpTo and counts it in pendingFacts.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  consistent?: 'true' | 'false';
}

export const isConsistent = (query: ConsistentQuery): boolean => query.consistent === 'true';

export class FreshnessDoc implements Freshness {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Every fact accepted anywhere before this instant is in the answer; null while some are still arriving' })
  completeUpTo!: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, description: 'Facts accepted elsewhere that the answer does not hold yet, those waiting here as dead letters included; null when that is not known (the broker could not be asked; a brand’s figures still being counted)' })
  pendingFacts!: number | null;
}

/** The same, as headers: on every read that shows figures, also those whose body is an array (the ladder). */
export const FRESHNESS_HEADERS = {
  'Complete-Up-To': { description: 'Every fact accepted anywhere before this instant is in the answer (absent while some are still arriving)', schema: { type: 'string', format: 'date-time' } },
  'Pending-Facts': { description: 'Facts accepted elsewhere that the answer does not hold yet, those waiting here as dead letters included', schema: { type: 'integer', minimum: 0 } },
} as const;

/**
 * The 503 of an operation that waits for other services' facts (CatchUp); `asksTraineeService` for one
 * that also asks trainee-service (TraineeAges: a certification, a hire), which may not answer;
 * `decidesOnTrainee` for a decision on a trainee the replica holds (TraineeReplica.findCaughtUp), refused
 * while one of the trainee's facts is a dead letter here; `deadLetters` names the facts of another
 * decision refused alike while one of them is (a brand's certification: "the brand's results or employments").
 */
export const ApiWaitsForFacts = (
  what: string,
  { asksTraineeService = false, decidesOnTrainee = false, deadLetters }: { asksTraineeService?: boolean; decidesOnTrainee?: boolean; deadLetters?: string } = {},
) => {
  const parked = decidesOnTrainee ? "the trainee's facts" : deadLetters;
  return applyDecorators(
    ApiServiceUnavailableResponse({
      description: `${what} did not catch up within CATCH_UP_WAIT_MS (rule facts_not_caught_up)${
        parked ? `, or one of ${parked} could not be applied here and waits for an operator as a dead letter (rule facts_not_caught_up, Retry-After 60)` : ''
      }${asksTraineeService ? ', or trainee-service did not answer (rule trainee_registry_unavailable)' : ''}: nothing was decided; repeat after Retry-After`,
      headers: { 'Retry-After': { description: 'Seconds to wait before repeating', schema: { type: 'integer', minimum: 1 } } },
    }),
  );
};

export function answerFreshness(response: Response, freshness: Freshness): void {
  if (freshness.completeUpTo) response.setHeader('Complete-Up-To', freshness.completeUpTo);
  if (freshness.pendingFacts !== null) response.setHeader('Pending-Facts', String(freshness.pendingFacts));
}
