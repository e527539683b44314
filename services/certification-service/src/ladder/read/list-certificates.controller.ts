import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import {
  answerFreshness,
  ApiWaitsForFacts,
  CatchUp,
  CurrentCaller,
  cursorKeys,
  decodeCursor,
  encodeCursor,
  FRESHNESS_HEADERS,
  InvalidInput,
  isConsistent,
  pageOf,
  Permission,
  rowsForPage,
} from '@skills/service-runtime';
import { Response } from 'express';
import { CertificateListItem, CertificatesPage, ListCertificatesQuery } from './list-certificates.query';

interface CertificateRow {
  certificate_number: string;
  trainee_id: string;
  occupation_code: string;
  level: string;
  route: string;
  evaluator_id: string | null;
  certified_on: string;
  recorded_at: string;
  /** recorded_at to the microsecond, for the cursor: an import batch's certificates share one instant, which milliseconds would cut below. */
  recorded_key: string;
  status: 'valid' | 'revoked';
  revoked_on: string | null;
  revocation_reason: string | null;
}

const itemOf = (row: CertificateRow): CertificateListItem => ({
  number: row.certificate_number,
  traineeId: row.trainee_id,
  occupationCode: row.occupation_code,
  level: row.level,
  route: row.route,
  evaluatorId: row.evaluator_id,
  certifiedOn: row.certified_on,
  recordedAt: row.recorded_at,
  status: row.status,
  ...(row.revoked_on ? { revokedOn: row.revoked_on } : {}),
  ...(row.revocation_reason ? { revocationReason: row.revocation_reason } : {}),
});

/**
 * The two orders of the list, each by its key and the number (which makes a position unique). Their
 * cursors cannot be taken one for the other: a day ('2021-09-01') is no instant and an instant no day,
 * so decodeCursor refuses a cursor of the other order (400 naming cursor) rather than page from nowhere.
 */
const ORDERS = {
  certified: { column: 'certified_on', type: 'date', cursorKey: cursorKeys.date, keyOf: (row: CertificateRow) => row.certified_on },
  recorded: { column: 'recorded_at', type: 'timestamptz', cursorKey: cursorKeys.instant, keyOf: (row: CertificateRow) => row.recorded_key },
} as const;

const DAY_MS = 86_400_000;
/** The start of a business day (China, UTC+8). */
const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** Whose certificates a caller lists: an evaluator's staff those it issued, a trainee their own, the platform admin any. */
interface Scope {
  evaluatorId: string | null;
  traineeId: string | null;
}

@ApiTags('certification')
@Controller('api/v1/certificates')
export class ListCertificatesController {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** From the certificates read model, newest first (by date, or by entry) then by number, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({
    summary: 'List certificates',
    description:
      "Certificates newest first (by certifiedOn, or with sort=recorded by when they were entered), by evaluator, holder, certificate number, occupation, level, date range, entry date range and status. An evaluator's staff list those their evaluator issued (the default); a trainee their own (the default); the platform admin any. " +
      'No personal data: the holder is an id, to be named through the trainee reads the caller may do.',
  })
  @Permission('certificates:read')
  @ApiWaitsForFacts("With ?consistent=true: the ladder's own projection")
  @ApiOkResponse({
    type: CertificatesPage,
    description: '{items: [{number, traineeId, occupationCode, level, route, evaluatorId, certifiedOn, recordedAt, status: valid|revoked, revokedOn?, revocationReason?}], nextCursor}',
    headers: FRESHNESS_HEADERS,
  })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a cursor that is no nextCursor, an evaluatorId or traineeId that is no UUID, a malformed occupationCode, an unknown level or status, a malformed number, an unknown sort, a from, to, recordedFrom or recordedTo that is no date, a to before from or a recordedTo before recordedFrom, or a cursor of the other sort (each named in `errors`)' })
  @ApiForbiddenResponse({ description: "certificates:read: an evaluator's staff naming another evaluator" })
  @ApiNotFoundResponse({ description: 'A trainee naming another trainee (answered as for a trainee that does not exist)' })
  async list(@Query() query: ListCertificatesQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<CertificatesPage> {
    if (query.from && query.to && query.to < query.from) {
      throw new InvalidInput([{ field: 'to', rule: 'not_before_from', message: 'to must not be before from' }]);
    }
    if (query.recordedFrom && query.recordedTo && query.recordedTo < query.recordedFrom) {
      throw new InvalidInput([{ field: 'recordedTo', rule: 'not_before_from', message: 'recordedTo must not be before recordedFrom' }]);
    }
    const scope = scopeOf(query, caller);
    const order = ORDERS[query.sort ?? 'certified'];
    const after = query.cursor ? decodeCursor(query.cursor, order.cursorKey, cursorKeys.text) : null;
    // Certificates are this service's own events, read through its projection.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    const { rows } = await this.database.query<CertificateRow>(
      `SELECT certificate_number, trainee_id, occupation_code, level, route, evaluator_id, to_char(certified_on, 'YYYY-MM-DD') AS certified_on,
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_key, status, to_char(revoked_on, 'YYYY-MM-DD') AS revoked_on, revocation_reason
       FROM certificates
       WHERE ($1::uuid IS NULL OR evaluator_id = $1)
         AND ($2::uuid IS NULL OR trainee_id = $2)
         AND ($3::text IS NULL OR occupation_code = $3)
         AND ($4::text IS NULL OR level = $4)
         AND ($5::date IS NULL OR certified_on >= $5)
         AND ($6::date IS NULL OR certified_on <= $6)
         AND ($7::text IS NULL OR status = $7)
         AND ($8::${order.type} IS NULL OR (${order.column}, certificate_number) < ($8::${order.type}, $9::text))
         AND ($11::timestamptz IS NULL OR recorded_at >= $11)
         AND ($12::timestamptz IS NULL OR recorded_at < $12)
         AND ($13::text IS NULL OR certificate_number = $13)
       ORDER BY ${order.column} DESC, certificate_number DESC
       LIMIT $10`,
      [
        scope.evaluatorId,
        scope.traineeId,
        query.occupationCode ?? null,
        query.level ?? null,
        query.from ?? null,
        query.to ?? null,
        query.status ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        rowsForPage(query),
        query.recordedFrom ? startOfDay(query.recordedFrom) : null,
        // recordedTo includes its whole day: before the start of the next.
        query.recordedTo ? new Date(startOfDay(query.recordedTo).getTime() + DAY_MS) : null,
        query.number ?? null,
      ],
    );
    // The position after a page's last certificate: its key in this order (the day, or the instant entered) and number.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(order.keyOf(last), last.certificate_number));
    return { items: page.map(itemOf), nextCursor };
  }
}

/**
 * domain.md section 9 for certificates: the evaluator's staff read what it issued (another evaluator's
 * is a 403 naming the permission, as certifying for it is); a trainee reads their own ladder's
 * certificates, and another trainee is answered 404, as every read of a trainee they may not do.
 */
function scopeOf(query: ListCertificatesQuery, caller: Caller): Scope {
  switch (caller.role) {
    case 'platform_admin':
      return { evaluatorId: query.evaluatorId ?? null, traineeId: query.traineeId ?? null };
    case 'evaluator_staff': {
      const evaluatorId = query.evaluatorId ?? caller.organisationId;
      if (!evaluatorId || evaluatorId !== caller.organisationId) throw new NotPermitted('certificates:read', `only staff of evaluator ${evaluatorId ?? '(none)'} may list the certificates it issued`);
      return { evaluatorId, traineeId: query.traineeId ?? null };
    }
    case 'trainee': {
      const traineeId = query.traineeId ?? caller.traineeId;
      if (!traineeId || traineeId !== caller.traineeId) throw new UnknownEntity('trainee', traineeId ?? '(none)');
      return { evaluatorId: query.evaluatorId ?? null, traineeId };
    }
    default:
      throw new NotPermitted('certificates:read', `a ${caller.role} lists no certificates`);
  }
}
