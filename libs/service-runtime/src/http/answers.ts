import { ApiProperty } from '@nestjs/swagger';

/** The answer of a command that creates or changes one resource: its id. */
export class IdAnswer {
  @ApiProperty({ format: 'uuid', example: '3f2b6c1e-8a4d-4e5f-9b7a-2c1d0e9f8a76' })
  id: string;
}

/** `^…$` of a domain-kernel code pattern, for `@ApiProperty({ pattern })` (OpenAPI takes the source text). */
export const patternOf = (expression: RegExp): string => expression.source;
