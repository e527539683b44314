import { ApiPropertyOptional } from '@nestjs/swagger';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { IsPersonName } from '@skills/service-runtime';
import { IsString, Matches, ValidateIf } from 'class-validator';

/**
 * A correction (PIPL article 46): the fields given replace the recorded ones; at least one is given. A
 * field left out stays as it is; one given as null is refused like any other non-string (not "optional").
 */
export class CorrectTraineeDto {
  @ApiPropertyOptional({ example: '买买提·艾力' })
  @ValidateIf((body: CorrectTraineeDto) => body.name !== undefined)
  @IsPersonName({ maxLength: 50 })
  name?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @ValidateIf((body: CorrectTraineeDto) => body.phone !== undefined)
  @IsString()
  @Matches(MOBILE_NUMBER, { message: 'phone must be an 11-digit mobile number starting with 1' })
  phone?: string;
}
