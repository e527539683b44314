import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '@skills/service-runtime';

export class VoidRegistrationDto {
  @ApiProperty({ example: 'registered with a mistyped identity number', description: 'Why, kept with the record: do not repeat the personal data' })
  @IsText({ maxLength: 500 })
  reason: string;
}
