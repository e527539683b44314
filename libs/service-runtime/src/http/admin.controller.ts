import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/permissions';
import { ServiceRegistry } from '../service-registry';

/** Operators rebuild a read model from the log; the old one keeps answering until the swap. */
@ApiTags('admin')
@Controller('admin/projections')
export class AdminController {
  constructor(private readonly registry: ServiceRegistry) {}

  @Get()
  @Permission('admin:operate')
  async list() {
    const answer: Record<string, unknown> = {};
    for (const service of this.registry.services.values()) answer[service.name] = await service.projections.status();
    return answer;
  }

  @Post(':service/:projection/rebuild')
  @Permission('admin:operate')
  @HttpCode(202)
  async rebuild(@Param('service') serviceName: string, @Param('projection') projection: string) {
    const service = this.registry.get(serviceName);
    if (!service) throw new NotFoundException(`no service ${serviceName} in this process`);
    const known = (await service.projections.status()).some((status) => status.projection === projection);
    if (!known) throw new NotFoundException(`${serviceName} has no projection ${projection}`);
    void service.projections.rebuild(projection).catch(() => undefined);
    return { rebuilding: projection };
  }
}
