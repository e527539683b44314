import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { currentCorrelation } from '@skills/messaging';
import { Response } from 'express';
import { mergeMap, Observable } from 'rxjs';

/** Set on a command's answer when its integration events are durable in the outbox but not yet published. */
export const PUBLICATION_HEADER = 'Publication';

/**
 * A command's 2xx goes out once its integration events are published: acknowledged by the broker on
 * Kafka, applied by every handler in one process. So whatever a client does next, in any service, starts
 * after the facts of this answer have left; the catch-up barrier (CatchUp) of the next decision then
 * covers them. The wait is bounded (PUBLICATION_WAIT_MS): with the broker down the command is still
 * accepted, durable in the outbox, and the answer says `Publication: pending`.
 *
 * Outermost of the interceptors, so an Idempotency-Key's transaction has committed before it waits.
 */
@Injectable()
export class PublicationInterceptor implements NestInterceptor {
  constructor(private readonly waitMs: number) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = currentCorrelation();
    const publications: NonNullable<typeof request.publications> = [];
    request.publications = publications;
    return next.handle().pipe(
      mergeMap(async (answer) => {
        if (publications.length === 0) return answer;
        const deadline = Date.now() + this.waitMs;
        let published = true;
        for (const publication of publications) published = (await publication(Math.max(0, deadline - Date.now()))) && published;
        if (!published) context.switchToHttp().getResponse<Response>().setHeader(PUBLICATION_HEADER, 'pending');
        return answer;
      }),
    );
  }
}
