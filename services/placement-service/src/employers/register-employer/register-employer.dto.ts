import { ApiProperty } from '@nestjs/swagger';
import { IsIndustryCode, OrganisationFields } from '@skills/service-runtime';
import { IsString } from 'class-validator';

export class RegisterEmployerDto extends OrganisationFields {
  @ApiProperty({ example: 'C37', description: 'GB/T 4754 section letter and division digits' })
  @IsString()
  @IsIndustryCode()
  industryCode: string;
}
