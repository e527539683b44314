import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class VerifyCredentialDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A verifiable credential as issued (JSON-LD), proof included' })
  @IsObject()
  credential!: Record<string, unknown>;
}

export class VerificationCheckAnswer {
  @ApiProperty({ enum: ['signature', 'issuer', 'status', 'dates'] })
  check!: 'signature' | 'issuer' | 'status' | 'dates';

  @ApiProperty()
  passed!: boolean;

  @ApiProperty({ description: 'What was found, in English' })
  detail!: string;
}

export class CredentialVerificationAnswer {
  @ApiProperty({ description: 'Every check passed' })
  verified!: boolean;

  @ApiProperty({ type: [VerificationCheckAnswer] })
  checks!: VerificationCheckAnswer[];
}

export class RotatedKeyAnswer {
  @ApiProperty({ example: 'did:web:skills.example:evaluators:0d5c…#key-2', description: 'The new key, which signs from now on; the earlier ones stay in the DID document' })
  keyId!: string;
}
