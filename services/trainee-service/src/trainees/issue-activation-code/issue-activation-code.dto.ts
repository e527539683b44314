import { ApiProperty } from '@nestjs/swagger';

/** The answer: the code in clear, this once (only its hash is kept), and until when it may be redeemed. */
export class ActivationCodeAnswer {
  @ApiProperty({ example: '7K3M-Q9ZD-4T1B-XW8N', description: 'Crockford base32; case, dashes and spaces do not matter when redeemed (POST /api/v1/users/activate)' })
  code: string;

  @ApiProperty({ example: '2021-06-29T02:00:00.000Z', format: 'date-time', description: '14 days after issue' })
  expiresAt: string;
}
