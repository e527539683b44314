import { ApiPropertyOptional } from '@nestjs/swagger';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

/** A correction (PIPL article 46): the fields given replace the recorded ones; at least one is given. */
export class CorrectTraineeDto {
  @ApiPropertyOptional({ example: '买买提·艾力' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @IsString()
  @Matches(MOBILE_NUMBER, { message: 'phone must be an 11-digit mobile number starting with 1' })
  phone?: string;
}
