import { ApiProperty } from '@nestjs/swagger';
import { IsIdentityNumber, IsText } from '@skills/service-runtime';

export class LookupTraineeDto {
  @ApiProperty({ example: '430202199001011233', description: 'The exact identity number' })
  @IsIdentityNumber()
  idNumber: string;

  @ApiProperty({ example: '张三', description: 'The name as registered; case, full-width forms, spaces and the dots between name parts are not told apart' })
  @IsText({ maxLength: 50 })
  name: string;
}
