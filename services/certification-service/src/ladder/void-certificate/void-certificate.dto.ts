import { ApiProperty } from '@nestjs/swagger';
import { IsKeptText } from '@skills/service-runtime';

export class VoidCertificateDto {
  @ApiProperty({ example: '导入时填错了持证人 (wrong holder entered in the import)', description: 'What was recorded in error, kept with the record for good (an erasure does not reach it): do not write the holder’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)' })
  @IsKeptText({ maxLength: 500 })
  reason: string;
}
