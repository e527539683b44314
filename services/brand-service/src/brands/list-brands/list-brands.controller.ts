import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { regionPrefix } from '@skills/domain-kernel';
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
  pageOf,
  Permission,
  rowsForPage,
} from '@skills/service-runtime';
import { Response } from 'express';
import { BrandReaders } from '../brand-reader';
import { BrandCertificationSummary, BrandListItem, BrandsPage, ListBrandsQuery } from './list-brands.query';
import { readableBrands } from './readable-brands';

interface DirectoryRow {
  brand_id: string;
  bureau_id: string;
  name: string;
  region_code: string;
  tier: string;
  industry_code: string;
  occupation_codes: string[];
  registered_on: string;
  certifications: BrandCertificationSummary[];
}

const itemOf = (row: DirectoryRow): BrandListItem => ({
  id: row.brand_id,
  name: row.name,
  bureauId: row.bureau_id,
  regionCode: row.region_code,
  tier: row.tier,
  industryCode: row.industry_code,
  occupationCodes: row.occupation_codes,
  registeredOn: row.registered_on,
  certifications: row.certifications,
});

@ApiTags('brands')
@Controller('api/v1/brands')
export class ListBrandsController {
  constructor(
    private readonly database: Database,
    private readonly readers: BrandReaders,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** By name, then id, a page at a time: `nextCursor` is null on the last page. */
  @Get()
  @ApiOperation({
    summary: 'List labour brands',
    description:
      "The brands the caller may read, by name: a bureau officer those of its bureau's region (or of a region inside it), staff of a school or employer those it is a building unit of, the platform admin all; by region, the tier registered in and the tier of a standing certification. Each with its certification decisions, standing or revoked.",
  })
  @Permission('brands:read')
  @ApiWaitsForFacts("With ?consistent=true: brand-service's list of brands; for a building unit's staff whose organisation is not known here yet, the organisations registered on the other services")
  @ApiOkResponse({
    type: BrandsPage,
    description: '{items: [{id, name, bureauId, regionCode, tier, industryCode, occupationCodes, registeredOn, certifications: [{tier, decidedOn, status, revokedOn?}]}], nextCursor}',
    headers: FRESHNESS_HEADERS,
  })
  @ApiBadRequestResponse({ description: 'limit outside 1..100, a cursor that is no nextCursor, an unknown tier or a malformed regionCode (each named in `errors`)' })
  @ApiForbiddenResponse({ description: "brands:read: a bureau officer asking for a region outside its bureau's, or acting for no registered bureau" })
  async list(@Query() query: ListBrandsQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response): Promise<BrandsPage> {
    const after = query.cursor ? decodeCursor(query.cursor, cursorKeys.text, cursorKeys.uuid) : null;
    const readable = readableBrands(await this.readers.of(caller), query.regionCode, 'brands:read');
    // The list is this service's own projection of its brands' events.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    if (readable.none) return { items: [], nextCursor: null };
    const { rows } = await this.database.query<DirectoryRow>(
      `SELECT brand_id, bureau_id, name, region_code, tier, industry_code, occupation_codes, to_char(registered_on, 'YYYY-MM-DD') AS registered_on, certifications
       FROM brand_directory
       WHERE ($1::text IS NULL OR region_code LIKE $1)
         AND ($2::text IS NULL OR building_units @> ARRAY[$2::text])
         AND ($3::text IS NULL OR tier = $3)
         AND ($7::text IS NULL OR certifications @> jsonb_build_array(jsonb_build_object('tier', $7::text, 'status', 'standing')))
         AND ($4::text IS NULL OR (name, brand_id) > ($4::text, $5::uuid))
       ORDER BY name, brand_id LIMIT $6`,
      [readable.regionCode === null ? null : `${regionPrefix(readable.regionCode)}%`, readable.buildingUnit, query.tier ?? null, after?.[0] ?? null, after?.[1] ?? null, rowsForPage(query), query.certifiedTier ?? null],
    );
    // The position after a page's last brand: its name and id.
    const { page, nextCursor } = pageOf(rows, query, (last) => encodeCursor(last.name, last.brand_id));
    return { items: page.map(itemOf), nextCursor };
  }
}
