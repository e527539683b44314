import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessDate, IsKeptText } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

export class RevokeCertificateDto {
  @ApiProperty({ example: '材料造假 (falsified documents)', description: 'Why, kept with the record for good (an erasure does not reach it): do not write the holder’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;

  @ApiPropertyOptional({ example: '2021-07-01', description: 'Business date of the revocation; defaults to today; not in the future' })
  @IsOptional()
  @IsBusinessDate()
  revokedOn?: string;
}
