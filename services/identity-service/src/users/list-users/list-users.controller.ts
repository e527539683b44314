import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { NotPermitted } from '@skills/domain-kernel';
import { mayManage } from '../who-manages-users';
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
  isConsistent,
  OrganisationReplica,
  pageOf,
  Permission,
  rowsForPage,
} from '@skills/service-runtime';
import { Response } from 'express';
import { ListUsersQuery, UserListItem, UsersPage } from './list-users.query';

interface DirectoryRow {
  user_id: string;
  username: string | null;
  role: string;
  org_admin: boolean;
  organisation_id: string | null;
  organisation_kind: string | null;
  trainee_id: string | null;
  status: 'active' | 'disabled';
  password_change_required: boolean;
  created_on: string;
  /** created_at to the microsecond, as the page's cursor keeps it (a Date keeps only milliseconds). */
  created_key: string;
}

const PERMISSION = 'users:read';

const itemOf = (row: DirectoryRow): UserListItem => ({
  id: row.user_id,
  // A trainee's username is often their phone number or name: personal data, not listed.
  username: row.role === 'trainee' ? null : row.username,
  role: row.role,
  orgAdmin: row.org_admin,
  organisationId: row.organisation_id,
  organisationKind: row.organisation_kind,
  traineeId: row.trainee_id,
  status: row.status,
  passwordChangeRequired: row.password_change_required,
  createdOn: row.created_on,
});

/** The users of an organisation (or all of them), newest first, for those who create and disable them. */
@ApiTags('identity')
@Controller('api/v1/users')
export class ListUsersController {
  constructor(
    private readonly database: Database,
    private readonly organisations: OrganisationReplica,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List users',
    description:
      "The users the caller manages (domain.md section 9), newest first: a platform admin any organisation's or all; a bureau officer those of an organisation in its region; an organisation's administrator its own organisation's. Each says whether the user must still change a password someone else set (passwordChangeRequired). Never a password, nor a trainee user's username.",
  })
  @Permission(PERMISSION)
  @ApiWaitsForFacts("With ?consistent=true: identity-service's directory of users; for a bureau officer, an organisation the register does not hold yet", { deadLetters: "the organisation's registration" })
  @ApiOkResponse({ type: UsersPage, description: '{items: [{id, username, role, orgAdmin, organisationId, organisationKind, traineeId, status, passwordChangeRequired, createdOn}], nextCursor}', headers: FRESHNESS_HEADERS })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a cursor that is no nextCursor, or an organisationId that is no uuid (each named in `errors`)' })
  @ApiForbiddenResponse({ description: "users:read: not the organisation's administrator, a bureau officer asking for an organisation outside its region, for another bureau's users or its own without administering it, or naming none, or another staff user" })
  async list(@Query() query: ListUsersQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<UsersPage> {
    const organisationId = await this.scopeOf(caller, query.organisationId);
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.instant, cursorKeys.uuid) : null;
    // The list is this service's own projection of its users' events.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    const { rows } = await this.database.query<DirectoryRow>(
      `SELECT d.user_id, c.username, d.role, d.org_admin, d.organisation_id, d.organisation_kind, d.trainee_id, d.status, d.password_change_required,
              to_char(d.created_on, 'YYYY-MM-DD') AS created_on,
              to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
       FROM user_directory d LEFT JOIN username_claims c ON c.user_id = d.user_id
       WHERE ($1::uuid IS NULL OR d.organisation_id = $1)
         AND ($2::timestamptz IS NULL OR (d.created_at, d.user_id) < ($2::timestamptz, $3::uuid))
       ORDER BY d.created_at DESC, d.user_id DESC LIMIT $4`,
      [organisationId, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query)],
    );
    // The position after a page's last user: when it was created, and its id.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.created_key, last.user_id));
    return { items: page.map(itemOf), nextCursor };
  }

  /**
   * Whose users the caller may read: those it may create and disable, by the same rule (who-manages-users).
   * A platform admin any organisation's, or every user; anyone else one organisation's, by default their
   * own when they administer it; a bureau officer names one registered in its region.
   */
  private async scopeOf(caller: Caller, asked: string | undefined): Promise<string | null> {
    if (caller.role === 'platform_admin') return asked ?? null;
    const organisationId = asked ?? (caller.orgAdmin ? caller.organisationId : null);
    if (!organisationId) {
      const who = caller.role === 'bureau_officer' ? 'a bureau officer reads the users of one organisation in its region: name it (organisationId)' : "only a platform admin, a bureau officer or an organisation's administrator reads users";
      throw new NotPermitted(PERMISSION, who);
    }
    if (organisationId === caller.organisationId) {
      mayManage(caller, { organisationId, organisationKind: caller.organisationKind }, null, PERMISSION);
      return organisationId;
    }
    // Only a bureau officer reaches another organisation's users, judged on the register: caught up with
    // it, so one registered a moment ago (its first user just created) is found.
    const registered = caller.role === 'bureau_officer' ? ((await this.organisations.findCaughtUp(organisationId)) ?? null) : null;
    mayManage(caller, { organisationId, organisationKind: registered?.kind ?? null }, registered, PERMISSION);
    return organisationId;
  }
}
