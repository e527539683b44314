import { ApiProperty } from '@nestjs/swagger';
import { IsKeptText } from '@skills/service-runtime';

export class VoidEmploymentDto {
  @ApiProperty({ example: '录错了人 (the wrong person was hired)', description: 'What was recorded in error, kept with the record for good (an erasure does not reach it): do not write the person’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}
