import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { rankOf, SkillLevel } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { Permission } from '@skills/service-runtime';

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
  constructor(private readonly database: Database) {}

  /** Per occupation: the current level (highest valid certificate) and the whole history, oldest first. */
  @Get(':traineeId')
  @Permission('ladders:read')
  @ApiOkResponse({ description: '[{occupationCode, level, rank, certifiedOn, certificateNumber, history}]; an occupation whose every certificate was revoked has level null' })
  async get(@Param('traineeId', new ParseUUIDPipe()) traineeId: string) {
    const { rows } = await this.database.query<CertificateRow>(
      `SELECT occupation_code, level, to_char(certified_on, 'YYYY-MM-DD') AS certified_on, certificate_number, route, status
       FROM certificates WHERE trainee_id = $1 ORDER BY occupation_code, certified_on, certificate_number`,
      [traineeId],
    );
    const byOccupation = new Map<string, CertificateRow[]>();
    for (const row of rows) byOccupation.set(row.occupation_code, [...(byOccupation.get(row.occupation_code) ?? []), row]);
    return [...byOccupation].map(([occupationCode, history]) => {
      const current = history.filter((row) => row.status === 'valid').reduce<CertificateRow | undefined>((best, row) => (!best || rankOf(row.level) > rankOf(best.level) ? row : best), undefined);
      return {
        occupationCode,
        level: current?.level ?? null,
        rank: current ? rankOf(current.level) : 0,
        certifiedOn: current?.certified_on ?? null,
        certificateNumber: current?.certificate_number ?? null,
        history: history.map((row) => ({ certificateNumber: row.certificate_number, level: row.level, route: row.route, certifiedOn: row.certified_on, status: row.status })),
      };
    });
  }
}
