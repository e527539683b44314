import { IsString, MaxLength } from 'class-validator';

export class NameMatchDto {
  @IsString()
  @MaxLength(200)
  name: string;
}
