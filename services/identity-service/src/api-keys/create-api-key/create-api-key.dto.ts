import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '@skills/service-runtime';

export class CreateApiKeyDto {
  @ApiProperty({ example: '年度证书导入脚本', description: 'What the key is for' })
  @IsText({ maxLength: 100 })
  name: string;
}
