import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { ProjectionRunner } from '@skills/event-sourcing';
import { ApiWaitsForFacts, CatchUp, CurrentCaller, cursorKeys, decodeCursor, encodeCursor, pageOf, Permission, rowsForPage } from '@skills/service-runtime';
import { ApiKeyListItem, ApiKeysPage, ListApiKeysQuery } from './list-api-keys.query';

interface KeyRow {
  client_id: string;
  name: string;
  created_at: Date;
  user_id: string;
  username: string | null;
  revoked_at: Date | null;
  /** created_at to the microsecond, as the page's cursor keeps it (a Date keeps only milliseconds). */
  created_key: string;
}

const itemOf = (row: KeyRow): ApiKeyListItem => ({
  clientId: row.client_id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  createdBy: row.user_id,
  createdByUsername: row.username,
  status: row.revoked_at ? 'revoked' : 'active',
});

/** The API keys a caller may revoke (domain.md section 9), newest first: its own, its organisation's for an administrator, all for a platform admin. */
@ApiTags('identity')
@Controller('api/v1/api-keys')
export class ListApiKeysController {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List API keys',
    description:
      "The caller's own keys; an organisation's administrator also those of its organisation's users; a platform admin every key (it revokes any: a leaked key is found here). Newest first; never a secret.",
  })
  @Permission('api-keys:read')
  @ApiWaitsForFacts("For an organisation's administrator: identity-service's directory of users, which says who its users are")
  @ApiOkResponse({ type: ApiKeysPage, description: '{items: [{clientId, name, createdAt, createdBy, createdByUsername, status}], nextCursor}' })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, or a cursor that is no nextCursor (each named in `errors`)' })
  async list(@Query() query: ListApiKeysQuery, @CurrentCaller() caller: Caller): Promise<ApiKeysPage> {
    // A platform admin revokes any key (domain.md section 9), so it reads every one.
    const everyKey = caller.role === 'platform_admin';
    // An administrator's organisation: its users as the directory of users holds them, of the organisation's kind.
    const administered = caller.orgAdmin && caller.organisationId ? caller.organisationId : null;
    // The directory is a projection of the users' events: a user made a moment ago, and their key, are listed
    // once it has caught up (503 if it cannot in time), not left out.
    if (administered) await this.catchUp.forRead(true, [], this.projections);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.instant, cursorKeys.text) : null;
    const { rows } = await this.database.query<KeyRow>(
      `SELECT k.client_id, k.name, k.created_at, k.user_id, c.username, k.revoked_at,
              to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
       FROM api_keys k LEFT JOIN username_claims c ON c.user_id = k.user_id
       WHERE ($7::boolean OR k.user_id::text = $1
              OR ($2::uuid IS NOT NULL AND k.user_id IN (SELECT user_id FROM user_directory WHERE organisation_id = $2 AND organisation_kind = $3)))
         AND ($4::timestamptz IS NULL OR (k.created_at, k.client_id) < ($4::timestamptz, $5::text))
       ORDER BY k.created_at DESC, k.client_id DESC LIMIT $6`,
      [caller.userId, administered, caller.organisationKind, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query), everyKey],
    );
    // The position after a page's last key: when it was created, and its client id.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.created_key, last.client_id));
    return { items: page.map(itemOf), nextCursor };
  }
}
