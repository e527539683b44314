import { ApiProperty } from '@nestjs/swagger';
import { REGION_CODE } from '@skills/domain-kernel';
import { IsCreditCode } from '@skills/service-runtime';
import { IsString, Length, Matches } from 'class-validator';

export class RegisterProviderDto {
  @ApiProperty({ example: '株洲新希望焊接培训学校' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '91430200MA4L00001P' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ example: '430200' })
  @IsString()
  @Matches(REGION_CODE, { message: 'regionCode must be a 6-digit GB/T 2260 code' })
  regionCode: string;
}
