import { ApiProperty } from '@nestjs/swagger';
import { IsRegionCode, IsText } from '@skills/service-runtime';
import { IsString, ValidateIf } from 'class-validator';
import { MINISTRY_REGION } from '../bureau.aggregate';

/** A labour bureau (人社局) of a region, or the national ministry (人社部) under `000000` (api.md). */
export class RegisterBureauDto {
  @ApiProperty({ example: '株洲市人力资源和社会保障局' })
  @IsText({ maxLength: 100 })
  name: string;

  @ApiProperty({ example: '430200', description: 'A GB/T 2260 region code, or 000000 for the national ministry' })
  // 000000 names no province, so the GB/T 2260 reading would refuse it: the ministry is let through by name.
  @ValidateIf((body: RegisterBureauDto) => body.regionCode !== MINISTRY_REGION)
  @IsString()
  @IsRegionCode()
  regionCode: string;
}
