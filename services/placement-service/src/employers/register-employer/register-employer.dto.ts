import { ApiProperty } from '@nestjs/swagger';
import { INDUSTRY_CODE } from '@skills/domain-kernel';
import { OrganisationFields } from '@skills/service-runtime';
import { IsString, Matches } from 'class-validator';

export class RegisterEmployerDto extends OrganisationFields {
  @ApiProperty({ example: 'C37', description: 'GB/T 4754 section letter and division digits' })
  @IsString()
  @Matches(INDUSTRY_CODE, { message: 'industryCode must be a GB/T 4754 section letter and two division digits, e.g. C37' })
  industryCode: string;
}
