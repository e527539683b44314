import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '@skills/contracts';
import { IsId } from '@skills/service-runtime';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.clerk', description: '3 to 64 characters: letters, digits, dot, dash, underscore, @' })
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{3,64}$/, { message: 'username must be 3 to 64 letters, digits or . _ - @' })
  username: string;

  @ApiProperty({ minLength: 10, maxLength: 200, description: 'At least 10 characters' })
  @IsString()
  @Length(10, 200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: (typeof ROLES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation a staff user acts for (bureau, provider, evaluator or employer id)' })
  @IsOptional()
  @IsId()
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The trainee a trainee user is' })
  @IsOptional()
  @IsId()
  traineeId?: string;

  @ApiPropertyOptional({ default: false, description: "The organisation's administrator: manages its users and API keys" })
  @IsOptional()
  @IsBoolean()
  orgAdmin?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'The password is handed over to the user, who must choose their own at the first sign-in: until then their access tokens do nothing but read who they are (GET /api/v1/me, passwordChangeRequired), their preferences, and change their own password (403 `password_change_required` otherwise)',
  })
  @IsOptional()
  @IsBoolean()
  temporaryPassword?: boolean;
}
