import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export const GRANT_TYPES = ['password', 'refresh_token', 'client_credentials'] as const;

/** RFC 6749 token request, as JSON or as a form (application/x-www-form-urlencoded). */
export class IssueTokenDto {
  @ApiProperty({ enum: GRANT_TYPES })
  @IsIn(GRANT_TYPES)
  grant_type: (typeof GRANT_TYPES)[number];

  @ApiPropertyOptional({ description: 'password grant' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  username?: string;

  @ApiPropertyOptional({ description: 'password grant' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  password?: string;

  @ApiPropertyOptional({ description: 'password grant: the 6-digit code of the user’s confirmed second factor (TOTP)', pattern: '^[0-9]{6}$' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'totp must be 6 digits' })
  totp?: string;

  @ApiPropertyOptional({ description: 'refresh_token grant' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'client_credentials grant: an API key' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_credentials grant' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  client_secret?: string;

  @ApiPropertyOptional({
    description:
      'password grant: `totp_enrolment` asks, for a user whom REQUIRE_TOTP_ROLES asks a second factor of and who has none, a token that only reads `/api/v1/me` and enrols and confirms it (no refresh token). Otherwise ignored: every token carries the caller’s role',
  })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  scope?: string;
}
