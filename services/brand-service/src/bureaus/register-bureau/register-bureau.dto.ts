import { ApiProperty } from '@nestjs/swagger';
import { IsRegionCode } from '@skills/service-runtime';
import { IsString, Length } from 'class-validator';

/** A labour bureau (人社局) of a region. */
export class RegisterBureauDto {
  @ApiProperty({ example: '株洲市人力资源和社会保障局' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '430200' })
  @IsString()
  @IsRegionCode()
  regionCode: string;
}
