import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate, IsKeptText } from '@skills/service-runtime';

export class EndEmploymentDto {
  @ApiProperty({ example: '2022-03-31', description: 'The first day no longer employed; not before the start, not in the future (date_in_future)' })
  @IsBusinessDate()
  endDate: string;

  @ApiProperty({ example: '合同期满 (contract ended)', description: 'Why, kept with the record for good (an erasure does not reach it): do not write the person’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}
