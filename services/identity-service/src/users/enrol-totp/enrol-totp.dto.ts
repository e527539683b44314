import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class EnrolTotpDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'The user’s password now. Required unless the token is the enrolment-only one got at sign-in (scope `totp_enrolment`, got with the password a moment before): 400 `required` without it, 400 `current_password_wrong` when it is not, and a wrong one counts as a failed sign-in (429 `too_many_sign_ins` past the limits). A token in other hands must not enrol a factor of its own and lock the user out.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  currentPassword?: string;
}
