import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class VoidRegistrationDto {
  @ApiProperty({ example: 'registered with a mistyped identity number', description: 'Why, kept with the record: do not repeat the personal data' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
