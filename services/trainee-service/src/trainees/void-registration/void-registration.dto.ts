import { ApiProperty } from '@nestjs/swagger';
import { IsKeptText } from '@skills/service-runtime';

export class VoidRegistrationDto {
  @ApiProperty({ example: 'registered with a mistyped identity number', description: 'Why, kept with the record: do not repeat the personal data (an identity number, a mobile number or a name the person was registered or corrected with is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}
