import { ApiProperty } from '@nestjs/swagger';
import { IsKeptText } from '@skills/service-runtime';

export class VoidRegistrationDto {
  @ApiProperty({ example: 'registered with a mistyped identity number', description: 'Why, kept with the record: do not repeat the personal data (an identity number or mobile number is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}
