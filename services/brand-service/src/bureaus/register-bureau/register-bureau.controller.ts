import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandHandler } from '@skills/event-sourcing';
import { IsRegionCode, currentCorrelation } from '@skills/service-runtime';
import { IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../bureau.aggregate';

export class RegisterBureauDto {
  @ApiProperty({ example: '株洲市人力资源和社会保障局' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: '430200' })
  @IsString()
  @IsRegionCode()
  regionCode: string;
}

@ApiTags('brands')
@Controller('api/v1/bureaus')
export class RegisterBureauController {
  constructor(private readonly commands: CommandHandler) {}

  @Post()
  @ApiCreatedResponse({ description: 'Registered; answers the new id' })
  async register(@Body() body: RegisterBureauDto): Promise<{ id: string }> {
    const bureauId = randomUUID();
    await this.commands.handle({
      streamId: bureauStreamId(bureauId),
      aggregate: bureauAggregate,
      command: { type: 'RegisterBureau', bureau: { bureauId, ...body } },
      metadata: currentCorrelation(),
    });
    return { id: bureauId };
  }
}
