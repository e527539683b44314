import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @Length(10, 200)
  password: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'The password now. Required when the caller changes their own password (the path names the caller’s own user): 400 `required` without it, 400 `current_password_wrong` when it is not, and a wrong one counts as a failed sign-in (429 `too_many_sign_ins` past the limits). Not needed, and not read, when an administrator sets another user’s password.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  currentPassword?: string;
}
