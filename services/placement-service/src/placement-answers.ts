// What placement-service's routes answer, for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INDUSTRY_CODE, OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';
import { patternOf } from '@skills/service-runtime';

export class PlacementAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  employerId: string;
  @ApiProperty({ example: '株洲电力机车 电焊工' })
  title: string;
  @ApiProperty({ pattern: patternOf(OCCUPATION_CODE), example: '6-18-02-04' })
  occupationCode: string;
  @ApiProperty({ pattern: patternOf(INDUSTRY_CODE), example: 'C37' })
  industryCode: string;
  @ApiProperty({ example: 10 })
  openings: number;
  @ApiProperty({ example: 7 })
  openingsLeft: number;
  @ApiProperty({ enum: SKILL_LEVELS, nullable: true })
  minLevel: string | null;
  @ApiProperty({ example: 4500, description: 'Monthly wage, yuan' })
  wageMin: number;
  @ApiProperty({ example: 6500 })
  wageMax: number;
  @ApiProperty({ pattern: patternOf(REGION_CODE), example: '430211' })
  regionCode: string;
  @ApiProperty({ enum: ['open', 'closed'], description: 'open: taking hires; closed: closed by the employer (closedOn) or filled (openingsLeft 0), or both' })
  status: string;
  @ApiProperty({ format: 'date', example: '2021-05-10' })
  postedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: null, description: 'The day its employer closed it; null while not closed (a filled placement not closed too says null)' })
  closedOn: string | null;
}

export class PlacementsPage {
  @ApiProperty({ type: [PlacementAnswer] })
  items: PlacementAnswer[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}

export class ClosedPlacementAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['closed'] })
  status: 'closed';
  @ApiProperty({ format: 'date', example: '2021-09-01', description: 'The day it was closed: the business day of the request' })
  closedOn: string;
}

export class HireAnswer {
  @ApiProperty({ format: 'uuid' })
  employmentId: string;
}

export class EndedEmploymentAnswer {
  @ApiProperty({ format: 'uuid' })
  employmentId: string;
  @ApiProperty({ format: 'date', example: '2021-12-31' })
  endDate: string;
}

export class VoidedEmploymentAnswer {
  @ApiProperty({ format: 'uuid' })
  employmentId: string;
  @ApiProperty({ enum: ['voided'] })
  status: 'voided';
}

export class EmploymentAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  placementId: string;
  @ApiProperty({ format: 'uuid' })
  traineeId: string;
  @ApiProperty({ format: 'uuid' })
  employerId: string;
  @ApiProperty({ format: 'date', example: '2021-08-01' })
  startDate: string;
  @ApiProperty({ example: 8000, description: 'Monthly wage, yuan' })
  monthlyWage: number;
  @ApiProperty({ enum: ['active', 'ended'] })
  status: 'active' | 'ended';
  @ApiPropertyOptional({ format: 'date', example: '2022-03-31', description: 'The first day no longer employed (ended only)' })
  endDate?: string;
  @ApiPropertyOptional({ example: '合同期满 (contract ended)', description: 'Ended only' })
  endReason?: string;
}

export class EmploymentsPage {
  @ApiProperty({ type: [EmploymentAnswer] })
  items: EmploymentAnswer[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
