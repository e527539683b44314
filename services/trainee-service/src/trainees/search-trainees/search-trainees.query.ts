import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsText, PageQuery } from '@skills/service-runtime';
import { IsOptional, Matches } from 'class-validator';

export class SearchTraineesQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '王建',
    description:
      'A name (the whole name, or its first 2 to 10 characters; case and spaces ignored) or the end of an identity number (its last 4 or more characters, e.g. 1233 or 002X). Without it, every trainee the caller may see.',
  })
  @IsOptional()
  @IsText({ maxLength: 50 })
  q?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
