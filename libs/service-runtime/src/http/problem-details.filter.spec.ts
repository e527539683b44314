// What a 500 leaves in the log: the failure with any value its message quotes masked (a name or an
// identity number can be the value a database refused), and the stack's frames.
import { ArgumentsHost, HttpException, HttpStatus } from '@nestjs/common';
import { ConcurrencyError } from '@skills/event-sourcing';
import { Unauthenticated } from '../auth/token-verifier';
import { idempotencyKeyInProgress } from '../idempotency/idempotency.interceptor';
import { failureForLog, ProblemDetailsFilter, ProblemError } from './problem-details.filter';

describe("a 500's log line", () => {
  it('masks the values a database error quotes, and keeps the SQLSTATE and the frames', () => {
    const error = Object.assign(new Error('invalid input syntax for type integer: "王建国 430202199001011233"'), { code: '22P02' });
    const line = failureForLog(error);
    expect(line).not.toContain('王建国');
    expect(line).not.toContain('430202199001011233');
    expect(line.split('\n')[0]).toBe('SQLSTATE 22P02: Error: invalid input syntax for type integer: "…"');
    expect(line.split('\n').slice(1).length).toBeGreaterThan(0);
    expect(line.split('\n').slice(1).every((frame) => /^\s+at /.test(frame))).toBe(true);
  });

  it("masks what JSON.parse's words quote of the text it could not read", () => {
    let thrown: unknown;
    try {
      JSON.parse('{"idNumber":"430202199001011233","name":王建国}');
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toContain('王');
    const line = failureForLog(thrown).split('\n')[0];
    expect(line).not.toMatch(/王|建国|1233/);
    expect(line).toContain('is not valid JSON');
  });

  it('says what was thrown when it is no Error', () => {
    expect(failureForLog('a string thrown')).toBe('a string thrown');
  });
});

/** The status and headers the filter answers `exception` with, on a response that only records them. */
function answerTo(exception: unknown): { status: number; headers: Record<string, string> } {
  const { status, headers } = answerWithBodyTo(exception);
  return { status, headers };
}

/** The same, with the problem it sends. */
function answerWithBodyTo(exception: unknown): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const headers: Record<string, string> = {};
  let status = 0;
  let body: Record<string, unknown> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    getHeader: (name: string) => headers[name.toLowerCase()],
    status: (code: number) => ((status = code), response),
    type: () => response,
    send: (text: string) => ((body = JSON.parse(text) as Record<string, unknown>), response),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status, headers, body };
}

describe('the challenge of a 401 (RFC 9110, RFC 6750)', () => {
  it('is Bearer without an error when no token was sent', () => {
    expect(answerTo(new Unauthenticated('no_token'))).toEqual({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
  });

  it('names invalid_token when a token was sent and refused; the token endpoint’s OAuth refusals and other statuses have none', () => {
    for (const reason of ['token_expired', 'token_invalid', 'wrong_audience', 'user_disabled'] as const) {
      expect(answerTo(new Unauthenticated(reason)).headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    }
    // RFC 6749 section 5.2: credentials sent in the body are challenged by no HTTP scheme.
    expect(answerTo(new HttpException({ message: 'unknown client or wrong secret', rule: 'invalid_client' }, HttpStatus.UNAUTHORIZED))).toEqual({ status: 401, headers: {} });
    expect(answerTo(new HttpException('forbidden', HttpStatus.FORBIDDEN)).headers).toEqual({});
  });
});

// A 409 that a repeat may well pass (nothing was refused by a rule of the domain) says so as a business
// refusal cannot: a rule of its own and a Retry-After, so a client retries it and shows a refusal otherwise.
describe('the retryable 409s', () => {
  it('answers a concurrent modification with the rule concurrent_modification and Retry-After 1, its type kept', () => {
    expect(answerWithBodyTo(new ConcurrencyError('trainee-1', 3, 4))).toEqual({
      status: 409,
      headers: { 'retry-after': '1' },
      body: expect.objectContaining({ type: 'urn:skills:concurrent-modification', status: 409, rule: 'concurrent_modification' }),
    });
  });

  it('answers an Idempotency-Key still in progress with Retry-After 1', () => {
    expect(answerWithBodyTo(new ProblemError(idempotencyKeyInProgress()))).toEqual({
      status: 409,
      headers: { 'retry-after': '1' },
      body: expect.objectContaining({ type: 'urn:skills:idempotency-key-in-progress', status: 409, rule: 'idempotency_key_in_progress' }),
    });
  });

  it('gives a business refusal no Retry-After', () => {
    expect(answerTo(new HttpException({ message: 'the course is full', rule: 'course_full' }, HttpStatus.CONFLICT))).toEqual({ status: 409, headers: {} });
  });
});
