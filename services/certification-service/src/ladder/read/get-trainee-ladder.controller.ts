import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, verificationUrlOf } from '@skills/contracts';
import { rankOf, SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { ProjectionRunner } from '@skills/event-sourcing';
import { answerFreshness, ApiWaitsForFacts, CatchUp, ConsistentQuery, CurrentCaller, FRESHNESS_HEADERS, isConsistent, Permission, RELATING_FACTS, RUNTIME_CONFIG, RuntimeConfig, TraineeRelations, TraineeReplica, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import { LadderRung } from '../../certification-answers';

interface CertificateRow {
  occupation_code: string;
  level: SkillLevel;
  certified_on: string;
  certificate_number: string;
  route: string;
  status: 'valid' | 'revoked';
}

@ApiTags('certification')
@Controller('api/v1/ladder/trainees')
export class GetTraineeLadderController {
  constructor(
    private readonly database: Database,
    private readonly relations: TraineeRelations,
    private readonly trainees: TraineeReplica,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** Per occupation: the current level (highest valid certificate) and the whole history, oldest first. */
  @Get(':traineeId')
  @ApiOperation({ summary: 'A trainee\'s skill ladder', description: 'Per occupation, the current level and its certificate, and the history of every certificate.' })
  @Permission('ladders:read')
  @ApiWaitsForFacts(`For a trainee with no certificate, trainee-service's registrations of one not known here yet; with ?consistent=true also the ladder's own projection and, ${RELATING_FACTS} (an evaluator's staff excepted: they get the levels only),`, { decidesOnTrainee: true })
  @ApiOkResponse({ type: [LadderRung], description: '[{occupationCode, level, rank, certifiedOn, certificateNumber, history}]; an occupation whose every certificate was revoked has level null; how complete it is in the headers', headers: FRESHNESS_HEADERS })
  @ApiNotFoundResponse({ description: "No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin; any evaluator's staff, the current levels only: no certificate numbers, no history)" })
  async get(@UuidParam('traineeId') traineeId: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) response: Response) {
    // An array answer (api.md): its freshness travels in the headers only.
    answerFreshness(response, await this.catchUp.forRead(isConsistent(query), [], this.projections));
    const { rows } = await this.database.query<CertificateRow>(
      `SELECT occupation_code, level, to_char(certified_on, 'YYYY-MM-DD') AS certified_on, certificate_number, route, status
       FROM certificates WHERE trainee_id = $1 ORDER BY occupation_code, certified_on, certificate_number COLLATE "C"`,
      [traineeId],
    );
    const levelsOnly = await this.levelsOnlyFor(caller, traineeId, isConsistent(query));
    // No certificate: an unknown or voided trainee is a 404 to everyone (api.md), the platform admin
    // included (mayRead lets them read any id); one registered but not certified yet has an empty ladder.
    if (rows.length === 0 && !(await this.trainees.findCaughtUp(traineeId))) throw new UnknownEntity('trainee', traineeId);
    const byOccupation = new Map<string, CertificateRow[]>();
    for (const row of rows) byOccupation.set(row.occupation_code, [...(byOccupation.get(row.occupation_code) ?? []), row]);
    return [...byOccupation].map(([occupationCode, history]) => {
      const current = history.filter((row) => row.status === 'valid').reduce<CertificateRow | undefined>((best, row) => (!best || rankOf(row.level) > rankOf(best.level) ? row : best), undefined);
      return {
        occupationCode,
        level: current?.level ?? null,
        rank: current ? rankOf(current.level) : 0,
        certifiedOn: current?.certified_on ?? null,
        certificateNumber: levelsOnly ? null : (current?.certificate_number ?? null),
        history: levelsOnly ? [] : history.map((row) => this.historyEntry(row)),
      };
    });
  }

  /** One certificate of the history, with its verification URL: a holder's page shows its QR code without asking the public, rate-limited verification for it. */
  private historyEntry(row: CertificateRow) {
    const { certificate_number: certificateNumber, level, route, certified_on: certifiedOn, status } = row;
    return { certificateNumber, level, route, certifiedOn, status, verificationUrl: verificationUrlOf(this.config.publicOrigin, certificateNumber) };
  }

  /**
   * The whole ladder to the trainee, a related organisation and the platform admin (domain.md section 9).
   * An evaluator's staff not related to the person yet get the current level per occupation only (true:
   * no certificate numbers, no history): the certify form must show the level it would build on, for a
   * person found through the audited, rate-limited lookup by identity number and name (a trainee nobody
   * registered is a 404 to them as to everyone: get). With ?consistent=true anyone else is refused only once the facts
   * relating organisations to trainees have caught up (an evaluator's staff are not: levels only is no
   * refusal, and the certify form asks while the evaluator's own imports may keep the topics busy).
   */
  private async levelsOnlyFor(caller: Caller, traineeId: string, consistent: boolean): Promise<boolean> {
    if (caller.role !== 'evaluator_staff') {
      await (consistent ? this.relations.assertMayReadCaughtUp(caller, traineeId) : this.relations.assertMayRead(caller, traineeId));
      return false;
    }
    const related = await this.relations.assertMayRead(caller, traineeId).then(
      () => true,
      (refusal: unknown) => {
        if (refusal instanceof UnknownEntity) return false;
        throw refusal;
      },
    );
    return !related;
  }
}
