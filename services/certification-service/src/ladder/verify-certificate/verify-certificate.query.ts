import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class VerifyCertificateQuery {
  @ApiPropertyOptional({
    example: '王建国',
    maxLength: 100,
    description: "The holder's full name, as the national lookup asks it with the number: when it is not the holder's (compared after NFKC, ignoring spaces), the answer is 404 as for an unknown number. Blank: as if left out",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  holderName?: string;
}
