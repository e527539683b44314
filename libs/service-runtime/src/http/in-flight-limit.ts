import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Caller } from '@skills/contracts';
import type { Request } from 'express';
import { Observable, finalize } from 'rxjs';
import { ProblemError } from './problem-details.filter';

/**
 * At most `limit` requests of one kind in flight per verified caller, in this process: for answers that
 * take a core for a while (a PDF set in a CJK font, a spreadsheet), which the per-minute limits let one
 * user send by the hundred at once, slowing every other user of the process. A request beyond it is
 * answered 429 `too_many_in_flight` at once, with Retry-After 1; one that is answered or fails frees its
 * place (a client that goes away frees it when the work it asked for is done: Nest does not stop a route
 * on a disconnect). Public routes have no caller and are left to the per-address limits.
 *
 * One instance counts for every route it is put on (`@UseInterceptors(instance)`): the PDFs of a
 * controller share one allowance.
 */
export class InFlightPerUser implements NestInterceptor {
  private readonly inFlight = new Map<string, number>();

  /** `what`: the answers counted, in the refusal's words ("PDFs"). */
  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const caller = (context.switchToHttp().getRequest<Request>() as Request & { caller?: Caller }).caller;
    if (!caller) return next.handle();
    const key = caller.userId;
    const count = this.inFlight.get(key) ?? 0;
    if (count >= this.limit)
      throw new ProblemError({
        type: 'urn:skills:http:429',
        title: 'too many requests',
        status: 429,
        detail: `this user already has ${count} ${this.what} being made; repeat when one is done`,
        rule: 'too_many_in_flight',
        limit: this.limit,
        retryAfter: 1,
      });
    this.inFlight.set(key, count + 1);
    return next.handle().pipe(finalize(() => this.release(key)));
  }

  private release(key: string): void {
    const left = (this.inFlight.get(key) ?? 1) - 1;
    if (left > 0) this.inFlight.set(key, left);
    else this.inFlight.delete(key);
  }
}

/** The 429 an operation behind InFlightPerUser documents (beside the per-minute limits every operation has). */
export const inFlightRefusal = (limit: number, what: string) =>
  `too_many_in_flight: this user already has ${limit} ${what} being made (at most ${limit} at a time); nothing was done. Repeat after Retry-After seconds.`;
