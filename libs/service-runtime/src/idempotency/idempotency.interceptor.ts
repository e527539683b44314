import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, Type, UseInterceptors } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Transactions } from '@skills/postgres';
import { Request, Response } from 'express';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { dryRunRequested } from '../http/dry-run';
import { InvalidInput, Problem, ProblemDetailsFilter, ProblemError } from '../http/problem-details.filter';
import { serviceTransactionsOf } from '../http/service-transactions';
import { namingUploadRefusals } from '../http/upload-refusals';
import { QUESTION_BY_POST_EXTENSION, QUESTION_BY_POST_KEY } from './question-by-post';
import { findAnswer, PUBLIC_CALLER, RequestTransaction, StoredAnswer } from './request-transaction';
import { fingerprintKey } from './answer-sealing';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1 to 200 printable ASCII characters (space to tilde). */
const VALID_KEY = /^[\x20-\x7e]{1,200}$/;
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const COMMAND_PATHS = '/api/v1/';
const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';
const AFTER_UPLOAD_KEY = 'skills:idempotent-after-upload';

/** What a route's file interceptor (multer) leaves on the request. */
type UploadRequest = Request & { file?: { fieldname: string; originalname: string; buffer: Buffer } };

/**
 * `Idempotency-Key` for every command of every service, without code in any controller (registered
 * once, in configureHttp; an upload's route names IdempotentUpload instead, below). A command is a POST, PUT, PATCH or DELETE under /api/v1, but not a question sent
 * as POST (`@QuestionByPost()`: certificate verification by name, a trainee's lookup).
 *
 * - No header: nothing changes.
 * - A malformed header: 400 naming it.
 * - The first request with a key runs the command; its answer is stored with a fingerprint of method,
 *   path and body (an upload's file too) keyed by the key itself, in the same transaction as the command's effects (RequestTransaction), in the
 *   schema of the service that owns the route. Stored: every 2xx, and 409 business refusals (the
 *   refusal is the outcome of the command; repeating it must not turn into a success later). Not
 *   stored, and the command's effects rolled back: 5xx, 400 (the request never was a valid command),
 *   404/401/403 (a trainee unknown *yet* may be known on the retry) and the 409 "concurrent
 *   modification" that asks the client to repeat.
 * - A repeat with the same key and fingerprint gets the stored status and body, byte for byte, with
 *   `Idempotent-Replayed: true`, without running anything; concurrent repeats wait for the first.
 * - The same key with another fingerprint: 422 `idempotency_key_reused`.
 * - Keys are per caller: the same key sent by another user names another command.
 *
 * Which service owns a route: the module that declares the controller imports one
 * ServiceRuntimeModule.forService, whose Transactions are the service's. In the all-in-one platform every
 * service module keeps its own, so keys stay per service there too.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly owners = new Map<Type<unknown>, Transactions | undefined>();
  private readonly problems = new ProblemDetailsFilter();
  /** Whether this one runs after a route's upload (IdempotentUpload) rather than before every route. */
  protected readonly afterUpload: boolean = false;

  constructor(private readonly modules: ModulesContainer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!COMMAND_METHODS.has(request.method) || !routePath(request).startsWith(COMMAND_PATHS)) return next.handle();
    if (Boolean(Reflect.getMetadata(AFTER_UPLOAD_KEY, context.getHandler())) !== this.afterUpload) return next.handle();
    if (Reflect.getMetadata(QUESTION_BY_POST_KEY, context.getHandler())) return next.handle();
    // A dry run is rolled back whatever it answers: its key is neither looked up nor stored.
    if (dryRunRequested(context)) return next.handle();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next.handle();
    if (!VALID_KEY.test(key)) {
      return throwError(
        () => new InvalidInput([{ field: IDEMPOTENCY_KEY_HEADER, rule: 'idempotency_key', message: `${IDEMPOTENCY_KEY_HEADER} must be 1 to 200 printable ASCII characters` }]),
      );
    }
    const transactions = this.ownerOf(context.getClass());
    if (!transactions) return next.handle();
    // A key is the caller's own (the AuthGuard runs first): another user's same key is another key.
    const caller = (request as Request & { caller?: Caller }).caller?.userId ?? PUBLIC_CALLER;
    return from(this.once(transactions, key, caller, request, response, next));
  }

  private async once(transactions: Transactions, key: string, caller: string, request: Request, response: Response, next: CallHandler): Promise<unknown> {
    const first = { fingerprint: fingerprint(request, key, caller), method: request.method, path: request.originalUrl };
    // Fast path for a plain repeat; a concurrent one is caught under the lock in RequestTransaction.
    const stored = await findAnswer(transactions.database, key, caller);
    if (stored) return replay(stored, request, first.fingerprint, response);

    const transaction = new RequestTransaction(transactions, key, caller);
    let value: unknown;
    let failure: unknown;
    let failed = false;
    try {
      // next.handle() binds the async context it is called in: the handler's Transactions.run calls join.
      value = await transaction.within(() => lastValueFrom(next.handle()));
    } catch (error) {
      failed = true;
      failure = error;
    }
    try {
      const answer = transaction.preempted || transaction.timedOut ? undefined : failed ? this.storableProblem(failure) : success(response, value);
      if (answer) {
        await transaction.store({ ...first, ...answer });
        await transaction.commit();
      } else {
        await transaction.rollback();
      }
    } catch (error) {
      await transaction.rollback();
      // Storing failed: nothing committed, the command included. A concurrent request's answer found
      // on the way (the handler never wrote) is replayed instead.
      if (!transaction.preempted && !transaction.timedOut) throw error;
    }
    if (transaction.preempted) return replay(transaction.preempted, request, first.fingerprint, response);
    if (transaction.timedOut) throw new ProblemError(idempotencyKeyInProgress());
    if (failed) throw failure;
    return value;
  }

  /** A 409 business refusal is the command's answer; every other failure is not stored. */
  private storableProblem(failure: unknown): Pick<StoredAnswer, 'status' | 'contentType' | 'body'> | undefined {
    const problem = this.problems.toProblem(failure);
    if (problem.status !== 409 || problem.type === 'urn:skills:concurrent-modification') return undefined;
    return { status: problem.status, contentType: PROBLEM_TYPE, body: JSON.stringify(problem) };
  }

  private ownerOf(controller: Type<unknown>): Transactions | undefined {
    if (!this.owners.has(controller)) this.owners.set(controller, serviceTransactionsOf(this.modules, controller));
    return this.owners.get(controller);
  }
}

/**
 * The path of the route the request matched, as its controller declares it (`/api/v1/trainees/:id`), not as
 * the client spelled it: routing is case-sensitive (configureHttp), and were it not, /API/v1/trainees would
 * still be a command under /api/v1/ here.
 */
function routePath(request: Request): string {
  const declared = (request.route as { path?: unknown } | undefined)?.path;
  return typeof declared === 'string' ? declared : request.path;
}

function success(response: Response, value: unknown): Pick<StoredAnswer, 'status' | 'contentType' | 'body'> | undefined {
  if (response.statusCode >= 500) return undefined;
  return { status: response.statusCode, contentType: JSON_TYPE, body: value === undefined || value === null ? null : JSON.stringify(value) };
}

function replay(stored: StoredAnswer, request: UploadRequest, fingerprint: string, response: Response): unknown {
  // A key stored before fingerprints were keyed holds the plain digest: its repeat is still that request.
  if (stored.fingerprint !== fingerprint && stored.fingerprint !== unkeyedFingerprint(request)) throw new ProblemError(reused(stored));
  response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // Problems leave through ProblemDetailsFilter as they did the first time, the same text.
  if (stored.contentType === PROBLEM_TYPE) throw new ProblemError(JSON.parse(stored.body ?? '{}') as Problem);
  response.status(stored.status);
  return stored.body === null ? undefined : JSON.parse(stored.body);
}

function reused(stored: StoredAnswer): Problem {
  return {
    type: 'urn:skills:idempotency-key-reused',
    title: 'Idempotency key reused',
    status: 422,
    detail: `this ${IDEMPOTENCY_KEY_HEADER} was first used for ${stored.method} ${stored.path} with another body; send a new key with a new command`,
    rule: 'idempotency_key_reused',
  };
}

export function idempotencyKeyInProgress(): Problem {
  return {
    type: 'urn:skills:idempotency-key-in-progress',
    title: 'Idempotency key in use',
    status: 409,
    detail: `a request with this ${IDEMPOTENCY_KEY_HEADER} is still running; repeat it later`,
    rule: 'idempotency_key_in_progress',
    // Answered with Retry-After (ProblemDetailsFilter): not a refusal, the same request again is answered once the first ends.
    retryAfter: 1,
  };
}

/**
 * HMAC-SHA256, keyed by the idempotency key and the caller (fingerprintKey), of method, path with query and
 * the JSON body with its keys sorted (key order is no difference); of an upload, its form fields and its
 * file's name and bytes too.
 */
function fingerprint(request: UploadRequest, key: string, caller: string): string {
  return fingerprintOf(request, createHmac('sha256', fingerprintKey(key, caller)));
}

/** The same, unkeyed: what keys stored before fingerprints were keyed hold. */
const unkeyedFingerprint = (request: UploadRequest): string => fingerprintOf(request, createHash('sha256'));

function fingerprintOf(request: UploadRequest, hash: Hash | Hmac): string {
  hash.update(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body)}`);
  if (request.file) hash.update(`\n${request.file.fieldname} ${JSON.stringify(request.file.originalname)}\n`).update(request.file.buffer);
  return hash.digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Documents the optional header (and the 422) on every command of the OpenAPI document. */
export function documentIdempotencyKey(document: OpenAPIObject): void {
  document.components = document.components ?? {};
  document.components.parameters = {
    ...document.components.parameters,
    IdempotencyKey: {
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'Makes the command safe to repeat: a repeat with the same key and the same method, path and body answers the first answer ' +
        `(header ${IDEMPOTENT_REPLAYED_HEADER}: true) and changes nothing, also when sent concurrently; the same key with another ` +
        'request to the same service answers 422. 2xx and 409 answers are kept; 400, 404 and 5xx are not, so such a request may be repeated with its key. ' +
        'Keys are per caller and per service (the trainee, training, certification, placement, brand and identity services each keep their own): ' +
        'one key sent to two services names two commands; make a new key for each command. The caller is the user: the tokens of the API keys a user made share ' +
        "that user's keys. A key is kept for good, so it names one command for good: make it of the request (a UUID), not of what the request is about " +
        '(enrolling a person again after a void under the key of their first enrolment answers that first one).',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]{1,200}$' },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith(COMMAND_PATHS)) continue;
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation || (operation as unknown as Record<string, unknown>)[QUESTION_BY_POST_EXTENSION]) continue;
      operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
      operation.responses = { ...operation.responses, 422: operation.responses?.[422] ?? { description: `The ${IDEMPOTENCY_KEY_HEADER} was first used for another request to this service` } };
    }
  }
}

/**
 * IdempotencyInterceptor for a command whose body is a multipart upload, run after the route's file
 * interceptor has read it: the global one runs before that and would see no body, so another file sent
 * under the same key would replay the first file's answer.
 */
@Injectable()
export class IdempotentUploadInterceptor extends IdempotencyInterceptor {
  protected override readonly afterUpload = true;
}

/**
 * `@IdempotentUpload(FileInterceptor('file', …))` in place of `@UseInterceptors(FileInterceptor(…))`: what
 * multer refuses named as input is (namingUploadRefusals), then the key judged with the file.
 */
export const IdempotentUpload = (fileInterceptor: Type<NestInterceptor>) =>
  applyDecorators(SetMetadata(AFTER_UPLOAD_KEY, true), UseInterceptors(namingUploadRefusals(fileInterceptor), IdempotentUploadInterceptor));
