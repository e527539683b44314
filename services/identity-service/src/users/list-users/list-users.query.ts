import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ORGANISATION_KINDS, ROLES } from '@skills/contracts';
import { ConsistentQuery, IsId, IsPageCursor, PageQuery } from '@skills/service-runtime';
import { IsOptional } from 'class-validator';

export class ListUsersQuery extends IntersectionType(PageQuery, ConsistentQuery) {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The organisation whose users to list. A platform admin may leave it out (every user); a bureau officer names a provider, evaluator or employer in its region; an organisation's administrator its own (the default)",
  })
  @IsOptional()
  @IsId()
  organisationId?: string;

  @IsPageCursor()
  cursor?: string;
}

export class UserListItem {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'zhang.clerk', description: "null for a trainee's user: a trainee's username is often their phone number" })
  username: string | null;

  @ApiProperty({ enum: ROLES })
  role: string;

  @ApiProperty({ description: "The organisation's administrator: manages its users and API keys" })
  orgAdmin: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId: string | null;

  @ApiProperty({ enum: ORGANISATION_KINDS, nullable: true })
  organisationKind: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "The trainee a trainee's user is (only the id, never their personal data)" })
  traineeId: string | null;

  @ApiProperty({ enum: ['active', 'disabled'] })
  status: 'active' | 'disabled';

  @ApiProperty({
    description:
      'Whether the user must still change a password someone else set (created or reset with temporaryPassword) before doing anything else: false once they chose their own, or when it was set without temporaryPassword',
  })
  passwordChangeRequired: boolean;

  @ApiProperty({ format: 'date', example: '2021-03-01' })
  createdOn: string;
}

export class UsersPage {
  @ApiProperty({ type: [UserListItem] })
  items: UserListItem[];

  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
