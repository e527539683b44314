import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { isHighSkill, NATIONAL_REGION, refuseOutsideBureauRegion, regionPrefix, SKILL_LEVELS, SkillLevel } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { ProjectionRunner } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, CurrentCaller, FRESHNESS_HEADERS, isConsistent, Permission } from '@skills/service-runtime';
import { Response } from 'express';
import { DistributionQuery } from './distribution.query';
import { DistributionAnswer } from '../../certification-answers';

@ApiTags('certification')
@Controller('api/v1/ladder/distribution')
export class GetDistributionController {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /**
   * How many people stand on each rung, at their current level in each occupation. Every count is of
   * distinct people, as the region statistics count high-skill talent (brand-service, trainee-figures.ts):
   * without an occupation, a person senior in two occupations is one high-skill person, and one person at
   * two levels (in two occupations) is one person at each level, so the levels may add up to more than
   * the total. A region code selects what lies inside it (a province 430000 holds its cities and
   * districts). A bureau officer reads its own region (the default) or a region inside it.
   */
  @Get()
  @ApiOperation({
    summary: 'Skill level distribution',
    description:
      'How many people hold each level as their current one, in an occupation (all without one) and a region (a bureau officer: its own region by default). ' +
      'Every count is of distinct people: across occupations, a person counts once in `highSkill` and `total`, and once at each level they hold in some occupation ' +
      '(a person senior in one occupation and junior in another counts at both levels, so the levels may add up to more than `total`).',
  })
  @Permission('ladders:read-distribution')
  @ApiWaitsForFacts("With ?consistent=true: the ladder's own projection")
  @ApiOkResponse({
    type: DistributionAnswer,
    description: '{levels: {apprentice: n, …, chief_technician: n}, highSkill: n, total: n, freshness}: people at each level, people at senior or above in some occupation, people with any level',
    headers: FRESHNESS_HEADERS,
  })
  @ApiForbiddenResponse({ description: "ladders:read-distribution: a bureau officer asking for a region outside its bureau's" })
  async get(@Query() query: DistributionQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    const regionCode = caller.role === 'bureau_officer' ? (query.regionCode ?? caller.regionCode ?? NATIONAL_REGION) : query.regionCode;
    if (regionCode) refuseOutsideBureauRegion('ladders:read-distribution', caller, regionCode);
    // Certificates are this service's own events, read through its projection.
    const freshness = await this.catchUp.forRead(isConsistent(query), [], this.projections);
    answerFreshness(response, freshness);
    // A person's current certificate is chosen among all of their valid ones, wherever issued, and only
    // then kept if its region is the one asked: filtering first would count someone at a rung a region's
    // evaluators gave them though they now stand higher by a certificate from elsewhere. Of two at the
    // highest rank, the one the trainee's ladder shows as current (the earliest) gives the region.
    // Counted per person, not per person and occupation: `everyone` marks the row of the grouping set () (all levels).
    const { rows } = await this.database.query<{ everyone: boolean; level: SkillLevel | null; people: string; high_skill: string }>(
      `WITH current_levels AS (
         SELECT DISTINCT ON (trainee_id, occupation_code) trainee_id, level, region_code
         FROM certificates
         WHERE status = 'valid' AND ($1::text IS NULL OR occupation_code = $1)
           -- Only the people with a valid certificate of the region can stand there: the choice is made among theirs, not the nation's.
           AND ($2::text IS NULL OR (trainee_id, occupation_code) IN (
             SELECT trainee_id, occupation_code FROM certificates WHERE status = 'valid' AND region_code LIKE $2 AND ($1::text IS NULL OR occupation_code = $1)))
           -- Of equal rank, the earliest, then the first number byte by byte (C, whatever the server's collation), as the ladder and the statistics pick.
         ORDER BY trainee_id, occupation_code, rank DESC, certified_on, certificate_number COLLATE "C"
       )
       SELECT GROUPING(level) = 1 AS everyone, level, count(DISTINCT trainee_id) AS people,
              count(DISTINCT trainee_id) FILTER (WHERE level = ANY($3::text[])) AS high_skill
       FROM current_levels WHERE $2::text IS NULL OR region_code LIKE $2
       GROUP BY GROUPING SETS ((level), ())`,
      [query.occupationCode ?? null, regionCode ? `${regionPrefix(regionCode)}%` : null, SKILL_LEVELS.filter(isHighSkill)],
    );
    const levels = Object.fromEntries(SKILL_LEVELS.map((level) => [level, 0])) as Record<SkillLevel, number>;
    for (const row of rows) if (!row.everyone && row.level) levels[row.level] = Number(row.people);
    // The row of everyone is there even when nobody stands in the region (a count over no rows is 0).
    const everyone = rows.find((row) => row.everyone);
    return {
      levels,
      highSkill: Number(everyone?.high_skill ?? 0),
      total: Number(everyone?.people ?? 0),
      freshness,
    };
  }
}
