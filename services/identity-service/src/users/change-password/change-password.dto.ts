import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @Length(10, 200)
  password: string;
}
