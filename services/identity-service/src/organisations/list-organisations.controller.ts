import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { regionPrefix } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { cursorKeys, decodeCursor, encodeCursor, pageOf, Public, rowsForPage } from '@skills/service-runtime';
import { ListOrganisationsQuery } from './list-organisations.query';
import { OrganisationsPage } from '../identity-answers';

interface OrganisationRow {
  organisation_id: string;
  kind: string;
  name: string;
  credit_code: string | null;
  region_code: string;
}

/** The public register of organisations (domain.md section 9): name, credit code, kind, region. */
@ApiTags('organisations')
@Controller('api/v1/organisations')
export class ListOrganisationsController {
  constructor(private readonly database: Database) {}

  /** By name, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({ summary: 'List organisations', description: 'The register of bureaus, providers, evaluators and employers, by kind (or all but one kind), region and name (e.g. 株洲), ordered by name.' })
  @Public()
  @ApiOkResponse({ type: OrganisationsPage, description: '{items: [{id, kind, name, creditCode (null for a bureau), regionCode}], nextCursor}' })
  async list(@Query() query: ListOrganisationsQuery) {
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.text, cursorKeys.uuid) : null;
    const { rows } = await this.database.query<OrganisationRow>(
      `SELECT organisation_id, kind, name, credit_code, region_code FROM organisations
       WHERE ($1::text IS NULL OR kind = $1)
         AND ($7::text IS NULL OR kind <> $7)
         AND ($2::text IS NULL OR region_code LIKE $2)
         AND ($3::text IS NULL OR strpos(lower(name), lower($3)) > 0)
         AND ($4::text IS NULL OR (name, organisation_id) > ($4::text, $5::uuid))
       ORDER BY name, organisation_id LIMIT $6`,
      [query.kind ?? null, query.regionCode ? `${regionPrefix(query.regionCode)}%` : null, query.q ?? null, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query), query.exceptKind ?? null],
    );
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.name, last.organisation_id));
    return { items: page.map((row) => ({ id: row.organisation_id, kind: row.kind, name: row.name, creditCode: row.credit_code, regionCode: row.region_code })), nextCursor };
  }
}
