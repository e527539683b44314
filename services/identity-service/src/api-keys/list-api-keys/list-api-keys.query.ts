import { ApiProperty } from '@nestjs/swagger';
import { IsPageCursor, PageQuery } from '@skills/service-runtime';

export class ListApiKeysQuery extends PageQuery {
  @IsPageCursor()
  cursor?: string;
}

/** A key as its owner and their organisation's administrator see it: never the secret, nor its hash. */
export class ApiKeyListItem {
  @ApiProperty({ example: 'key_5f0c2d8e…' })
  clientId: string;

  @ApiProperty({ example: '年度证书导入脚本' })
  name: string;

  @ApiProperty({ example: '2021-03-01T02:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ format: 'uuid', description: 'The user who created it, and as whom it acts' })
  createdBy: string;

  @ApiProperty({ type: String, nullable: true, example: 'zhang.clerk', description: "That user's username" })
  createdByUsername: string | null;

  @ApiProperty({ enum: ['active', 'revoked'], description: 'revoked: by hand, or with its user disabled' })
  status: 'active' | 'revoked';
}

export class ApiKeysPage {
  @ApiProperty({ type: [ApiKeyListItem] })
  items: ApiKeyListItem[];

  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
