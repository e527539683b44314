import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CreateUserDto } from '../create-user/create-user.dto';

/** The username and password rules are those of every user. */
export class ActivateUserDto extends PickType(CreateUserDto, ['username', 'password'] as const) {
  @ApiProperty({ example: '7K3M-Q9ZD-4T1B-XW8N', description: 'The activation code issued for the trainee (POST /api/v1/trainees/{id}/activation-codes); case, dashes and spaces do not matter' })
  @IsString()
  @Length(1, 64)
  code: string;
}

export class ActivatedUserAnswer {
  @ApiProperty({ format: 'uuid', description: 'The new trainee user' })
  id: string;
}
