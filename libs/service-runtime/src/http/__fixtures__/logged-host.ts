// A host as every service builds it (createHost), at LOG_LEVEL info, with one route that fails unexpectedly and
// one that refuses: run as a process of its own by answer-log.int-spec.ts, which reads what it logs on stdout.
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Public } from '../../auth/permissions';
import { createHost } from '../../bootstrap';
import { loadRuntimeConfig } from '../../runtime-config';

class NoteDto {
  @IsString()
  text!: string;
}

@Controller('api/v1/notes')
class NotesController {
  @Get('broken')
  @Public()
  broken(): never {
    throw new Error('a bug');
  }

  @Post()
  @Public()
  create(@Body() body: NoteDto) {
    return { text: body.text };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

async function main(): Promise<void> {
  const config = loadRuntimeConfig({ TRANSPORT: 'in-process', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', PORT: '0', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: process.env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE ?? '30000' });
  const app = await createHost({ title: 'logged host', clientId: 'logged-host', config, modules: [NotesModule] });
  await app.listen(0, '127.0.0.1');
  process.stderr.write(`listening ${(app.getHttpServer().address() as { port: number }).port}\n`);
}

void main();
