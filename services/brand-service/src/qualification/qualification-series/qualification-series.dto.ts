import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConsistentQuery, FreshnessDoc, IsBusinessDate } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';
import { QualificationFigures } from '../../brand-answers';
import { PolicyDto } from '../../brands/register-brand/register-brand.dto';

/** At most this many points: five years of month ends. */
export const MAX_SERIES_POINTS = 60;

export class QualificationSeriesQuery extends ConsistentQuery {
  @ApiPropertyOptional({ format: 'date', example: '2020-11-01', description: "First day; default the policy window's start" })
  @IsOptional()
  @IsBusinessDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2021-09-30', description: "Last day, not before from; default the policy window's end, or today if that is earlier" })
  @IsOptional()
  @IsBusinessDate()
  to?: string;
}

export class QualificationSeriesAnswer {
  @ApiProperty({ format: 'uuid' })
  brandId: string;
  @ApiProperty({ format: 'date', example: '2020-11-01', description: 'The first day of the series, as asked or by default' })
  from: string;
  @ApiProperty({ format: 'date', example: '2021-09-30', description: 'The last day of the series, as asked or by default' })
  to: string;
  @ApiProperty({ type: PolicyDto, description: "The brand's policy: its window and the thresholds the chart draws as lines" })
  policy: PolicyDto;
  @ApiProperty({
    type: [QualificationFigures],
    maxItems: MAX_SERIES_POINTS,
    description: 'The qualification as of every month end from `from` to `to`, and as of `to` when that is no month end; each as GET …/qualification?asOf= answers it, from one snapshot of the figures',
  })
  points: QualificationFigures[];
  @ApiProperty({ type: FreshnessDoc, description: 'How complete the figures are: `?consistent=true` waits until they hold every fact accepted before the request' })
  freshness: FreshnessDoc;
}
