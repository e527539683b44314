import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Caller } from '@skills/contracts';
import { NotPermitted } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CurrentCaller, cursorKeys, decodeCursor, encodeCursor, pageOf, Permission, rowsForPage } from '@skills/service-runtime';
import { auditWindow } from './audit-window';
import { AuditEntryAnswer, AuditPage, ListAuditEntriesQuery } from './list-audit-entries.query';

interface AuditRow {
  entry_id: string;
  kind: string;
  at: Date;
  actor: Actor;
  action: string;
  service: string;
  resource: string | null;
  organisation_id: string | null;
  correlation_id: string;
}

/**
 * Whose entries the caller may read (domain.md section 9): a platform admin all (or the organisation it
 * names), an organisation's administrator its own organisation's (what was done to its resources, and
 * what its users did), nobody else any.
 */
function organisationScope(caller: Caller, asked: string | undefined): string | null {
  if (caller.role === 'platform_admin') return asked ?? null;
  if (!caller.orgAdmin || !caller.organisationId) throw new NotPermitted('audit:read', "only a platform admin or an organisation's administrator reads the audit log");
  if (asked !== undefined && asked !== caller.organisationId) throw new NotPermitted('audit:read', "an organisation's administrator reads only its own organisation's entries");
  return caller.organisationId;
}

const answerOf = (row: AuditRow): AuditEntryAnswer => ({
  id: row.entry_id,
  kind: row.kind,
  at: row.at.toISOString(),
  actor: row.actor,
  action: row.action,
  service: row.service,
  resource: row.resource,
  organisationId: row.organisation_id,
  correlationId: row.correlation_id,
});

/** The audit log (api.md Identity and access): who did or read what, when; newest first. */
@ApiTags('identity')
@Controller('api/v1/audit')
export class ListAuditEntriesController {
  constructor(private readonly database: Database) {}

  @Get()
  @ApiOperation({ summary: 'Read the audit log', description: 'One entry per user command and per read of a trainee\'s full personal data, newest first, by organisation, actor and time.' })
  @Permission('audit:read')
  @ApiOkResponse({ type: AuditPage, description: 'A page of entries, newest first; nextCursor is null on the last page' })
  @ApiBadRequestResponse({ description: 'from or to is neither a day (YYYY-MM-DD) nor an ISO instant, or to is before from' })
  @ApiForbiddenResponse({ description: "Not a platform admin nor an organisation's administrator, or another organisation named" })
  async list(@Query() query: ListAuditEntriesQuery, @CurrentCaller() caller: Caller): Promise<AuditPage> {
    const organisationId = organisationScope(caller, query.organisationId);
    const { from, before } = auditWindow(query);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.instant, cursorKeys.uuid) : null;
    const { rows } = await this.database.query<AuditRow>(
      `SELECT entry_id, kind, at, actor, action, service, resource, organisation_id, correlation_id FROM audit_entries
       WHERE ($1::text IS NULL OR organisation_id = $1 OR actor->>'organisationId' = $1)
         AND ($2::text IS NULL OR actor_user_id = $2)
         AND ($3::timestamptz IS NULL OR at >= $3)
         AND ($4::timestamptz IS NULL OR at < $4)
         AND ($5::timestamptz IS NULL OR (at, entry_id) < ($5::timestamptz, $6::uuid))
       ORDER BY at DESC, entry_id DESC LIMIT $7`,
      [organisationId, query.actor ?? null, from, before, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query)],
    );
    // The position after a page's last entry: its instant and id.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.at.toISOString(), last.entry_id));
    return { items: page.map(answerOf), nextCursor };
  }
}
