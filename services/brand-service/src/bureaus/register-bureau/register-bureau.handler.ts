import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustNotExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../bureau.aggregate';
import { RegisterBureauDto } from './register-bureau.dto';

@Injectable()
export class RegisterBureauHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: RegisterBureauDto): Promise<{ id: string }> {
    const bureauId = randomUUID();
    await this.commands.handle({
      stream: mustNotExist(bureauStreamId(bureauId)),
      aggregate: bureauAggregate,
      command: { type: 'RegisterBureau', bureau: { bureauId, name: body.name, regionCode: body.regionCode } },
    });
    return { id: bureauId };
  }
}
