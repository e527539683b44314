import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: '年度证书导入脚本', description: 'What the key is for' })
  @IsString()
  @Length(1, 100)
  name: string;
}
