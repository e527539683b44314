import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { runAsDryRun } from '@skills/event-sourcing';
import { SharedTransaction, Transactions } from '@skills/postgres';
import { Request, Response } from 'express';
import { PoolClient } from 'pg';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { serviceTransactionsOf } from './service-transactions';
import { IDLE_REQUEST_TRANSACTION_MS } from '../idempotency/request-transaction';
import { InvalidInput } from './problem-details.filter';

/** The query parameter that asks for a dry run of a command. */
export const DRY_RUN_QUERY = 'dryRun';
const DRY_RUNNABLE_KEY = 'skills:dry-runnable';
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A command that answers `?dryRun=true` (api.md, Dry runs): the refusal it would give, or 200 with the
 * body its success would carry and `dryRun: true`, and nothing written. Documents the parameter and the
 * 200; DryRunInterceptor does the rest. `answer` is the class of the command's success body; for a
 * command that itself answers 200, the two 200s would have to be documented as one (not done yet).
 *
 * The handler runs as it always does (the same guards, waits, reads and CommandPipeline), so only a
 * handler whose writes all go through the service's Transactions (the pipeline, `Transactions.run`) or
 * heed `isDryRun()` may carry it. A route with a query DTO must also declare `dryRun` in it (the
 * validation pipe refuses unknown query fields).
 */
export const DryRunnable = (answer: Type<unknown>) =>
  applyDecorators(
    SetMetadata(DRY_RUNNABLE_KEY, true),
    ApiExtraModels(answer),
    ApiQuery({
      name: DRY_RUN_QUERY,
      required: false,
      enum: ['true', 'false'],
      description:
        'true: judge the command without doing it. The same checks run (permission, every rule, the waits for other services’ facts) in a transaction ' +
        'that is rolled back: a refusal is answered exactly as the command’s would be; a success answers 200 with the body the command would answer ' +
        'and `dryRun: true`, and nothing is recorded, published or kept under an Idempotency-Key (which a dry run ignores).',
    }),
    ApiOkResponse({
      description: 'Dry run (`?dryRun=true`): the command would succeed with this answer; nothing was recorded',
      schema: { allOf: [{ $ref: getSchemaPath(answer) }, { type: 'object', required: ['dryRun'], properties: { dryRun: { type: 'boolean', enum: [true] } } }] },
    }),
  );

/**
 * Whether the request is a dry run of its command: a command route marked @DryRunnable() and sent
 * `dryRun=true`. Refuses (400 naming `dryRun`) any other value, and a dry run of a command without one,
 * which would otherwise be done for real.
 */
export function dryRunRequested(context: ExecutionContext): boolean {
  const request = context.switchToHttp().getRequest<Request>();
  if (!COMMAND_METHODS.has(request.method)) return false;
  const asked = (request.query as Record<string, unknown>)[DRY_RUN_QUERY];
  if (asked === undefined) return false;
  if (asked !== 'true' && asked !== 'false') {
    throw new InvalidInput([{ field: DRY_RUN_QUERY, rule: 'isIn', message: `${DRY_RUN_QUERY} must be one of the following values: true, false` }]);
  }
  if (asked === 'false') return false;
  if (!Reflect.getMetadata(DRY_RUNNABLE_KEY, context.getHandler())) {
    throw new InvalidInput([{ field: DRY_RUN_QUERY, rule: 'dry_run_unsupported', message: 'this command has no dry run' }]);
  }
  return true;
}

/**
 * Runs a dry run's handler in a transaction of its own that is always rolled back: a SharedTransaction
 * that every `Transactions.run` of the handler joins (as under an Idempotency-Key), so the pipeline's
 * events, claims, side writes, outbox messages and audit line are written, seen by what follows in the
 * same request, and undone. `runAsDryRun` marks the work, for the few places that act outside the
 * transaction in a real command (see isDryRun). The transaction opens at the first write: the waits
 * before it (catch-up, replicas) hold no connection, exactly as in the real command.
 *
 * Between PublicationInterceptor (nothing to wait for: the pipeline enqueues nothing for good) and
 * IdempotencyInterceptor (which leaves a dry run alone: its key is neither looked up nor stored).
 */
@Injectable()
export class DryRunInterceptor implements NestInterceptor {
  private readonly owners = new Map<Type<unknown>, Transactions | undefined>();

  constructor(private readonly modules: ModulesContainer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    try {
      if (!dryRunRequested(context)) return next.handle();
    } catch (error) {
      return throwError(() => error);
    }
    const transactions = this.ownerOf(context.getClass());
    if (!transactions) return throwError(() => new Error(`${context.getClass().name} is dry-runnable but its module has no Transactions`));
    return from(this.rolledBack(transactions, context.switchToHttp().getResponse<Response>(), next));
  }

  private async rolledBack(transactions: Transactions, response: Response, next: CallHandler): Promise<unknown> {
    const shared = new SharedTransaction(transactions.database, boundIdleTime, true);
    try {
      // next.handle() binds the async context it is called in: the handler's Transactions.run calls join.
      const answer = await runAsDryRun(() => transactions.joining(shared, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
      response.status(200);
      return { dryRun: true, ...(answer !== null && typeof answer === 'object' ? answer : {}) };
    } finally {
      await shared.rollback();
    }
  }

  private ownerOf(controller: Type<unknown>): Transactions | undefined {
    if (!this.owners.has(controller)) this.owners.set(controller, serviceTransactionsOf(this.modules, controller));
    return this.owners.get(controller);
  }
}

/** A dry run whose process stops talking to its transaction is ended by the server, as a request's is. */
async function boundIdleTime(client: PoolClient): Promise<void> {
  await client.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", [`${IDLE_REQUEST_TRANSACTION_MS}ms`]);
}
