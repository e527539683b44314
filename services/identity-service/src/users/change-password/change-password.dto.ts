import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';

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

  // No `default` in the document: the typed console client would then ask it of one's own change too.
  @ApiPropertyOptional({
    description:
      'Left out: false. Another user’s password only: the user must choose their own at the next sign-in (until then their access tokens answer 403 `password_change_required` but for GET /api/v1/me, their preferences and this change). On one’s own password: 400 `own_password_not_temporary`.',
  })
  @IsOptional()
  @IsBoolean()
  temporaryPassword?: boolean;
}
