// At most so many heavy answers in flight per user: the next is refused at once, a finished, failed or
// dropped one frees its place, other users and public requests are not counted.
import { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, Subject } from 'rxjs';
import { InFlightPerUser } from './in-flight-limit';
import { ProblemError } from './problem-details.filter';

const asUser = (userId?: string) => ({ switchToHttp: () => ({ getRequest: () => ({ caller: userId ? { userId } : undefined }) }) }) as unknown as ExecutionContext;

/** A route whose answer comes when the test says. */
function pending() {
  const answer = new Subject<string>();
  const handler: CallHandler = { handle: () => answer.asObservable() };
  return {
    handler,
    finish: () => {
      answer.next('pdf');
      answer.complete();
    },
    fail: () => answer.error(new Error('font missing')),
  };
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as ProblemError).problem;
  }
  return undefined;
};

describe('InFlightPerUser', () => {
  it('refuses a third at once while two are in flight, and takes one again when one is done', async () => {
    const limit = new InFlightPerUser(2, 'PDFs');
    const [first, second, third] = [pending(), pending(), pending()];
    const firstAnswer = lastValueFrom(limit.intercept(asUser('u1'), first.handler));
    const secondAnswer = lastValueFrom(limit.intercept(asUser('u1'), second.handler)).catch((error: Error) => error.message);
    expect(refusal(() => limit.intercept(asUser('u1'), third.handler))).toMatchObject({ status: 429, rule: 'too_many_in_flight', limit: 2, retryAfter: 1 });

    // Another user and a public request are not counted with u1.
    expect(refusal(() => limit.intercept(asUser('u2'), pending().handler))).toBeUndefined();
    expect(refusal(() => limit.intercept(asUser(), pending().handler))).toBeUndefined();

    first.finish();
    expect(await firstAnswer).toBe('pdf');
    expect(refusal(() => limit.intercept(asUser('u1'), third.handler))).toBeUndefined();
    // A failure frees its place too.
    second.fail();
    expect(await secondAnswer).toBe('font missing');
    expect(refusal(() => limit.intercept(asUser('u1'), pending().handler))).toBeUndefined();
    expect(refusal(() => limit.intercept(asUser('u1'), pending().handler))).toMatchObject({ rule: 'too_many_in_flight' });
  });

  it('frees the place of an answer no longer waited for (unsubscribed)', () => {
    const limit = new InFlightPerUser(1, 'PDFs');
    const subscription = limit.intercept(asUser('u1'), pending().handler).subscribe();
    expect(refusal(() => limit.intercept(asUser('u1'), pending().handler))).toMatchObject({ rule: 'too_many_in_flight' });
    subscription.unsubscribe();
    expect(refusal(() => limit.intercept(asUser('u1'), pending().handler))).toBeUndefined();
  });
});
