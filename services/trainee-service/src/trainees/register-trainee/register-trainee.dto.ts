import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TRAINEE_CATEGORIES } from '@skills/contracts';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { IsIdentityNumber, IsPersonName, IsRegionCode } from '@skills/service-runtime';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';

export { TRAINEE_CATEGORIES };

export class RegisterTraineeDto {
  @ApiProperty({ example: '张三', description: 'As on the identity document; may hold the middle dot of transliterated names (买买提·艾力)' })
  @IsPersonName({ maxLength: 50 })
  name: string;

  @ApiProperty({ example: '430202199001011233', description: 'Resident identity number (GB 11643)' })
  @IsIdentityNumber()
  idNumber: string;

  @ApiProperty({ example: '13800000000' })
  @IsString()
  @Matches(MOBILE_NUMBER, { message: 'phone must be an 11-digit mobile number starting with 1' })
  phone: string;

  @ApiPropertyOptional({ example: '430200', description: 'GB/T 2260 code; defaults to the identity number region' })
  @IsOptional()
  @IsString()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ enum: TRAINEE_CATEGORIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TRAINEE_CATEGORIES.length)
  @IsIn(TRAINEE_CATEGORIES, { each: true })
  categories?: string[];
}
