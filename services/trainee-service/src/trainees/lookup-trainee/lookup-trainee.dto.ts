import { ApiProperty } from '@nestjs/swagger';
import { IsIdentityNumber } from '@skills/service-runtime';
import { IsString, Length } from 'class-validator';

export class LookupTraineeDto {
  @ApiProperty({ example: '430202199001011233', description: 'The exact identity number' })
  @IsIdentityNumber()
  idNumber: string;

  @ApiProperty({ example: '张三', description: 'The exact name as registered' })
  @IsString()
  @Length(1, 50)
  name: string;
}
