import { Controller, Get, HttpCode, Logger, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/permissions';
import { failureForLog } from './problem-details.filter';
import { ServiceRegistry } from '../service-registry';

/**
 * Operators see each read model's position, lag and parked events (those it could not apply and moved
 * past), rebuild one from the log (the old one keeps answering until the swap), and retry its parked
 * events once a fix is deployed.
 */
@ApiTags('admin')
@Controller('admin/projections')
export class AdminController {
  private readonly logger = new Logger('admin');

  constructor(private readonly registry: ServiceRegistry) {}

  @Get()
  @ApiOperation({ summary: 'List read models', description: 'Every service in this process with its projections: position, lag, whether rebuilding, and the events parked (the first 100).' })
  @Permission('admin:operate')
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object', required: ['projection'], properties: { projection: { type: 'string' } } } } },
    description:
      '{<service>: [{projection, position, lag, rebuilding, parkedEvents, parked: [{globalPosition, streamId, eventType, error, parkedAt, retriedAt}] (the first 100)}]}',
  })
  async list() {
    const answer: Record<string, unknown> = {};
    for (const service of this.registry.services.values()) answer[service.name] = await service.projections.status();
    return answer;
  }

  @Post(':service/:projection/rebuild')
  @ApiOperation({
    summary: 'Rebuild a read model',
    description: 'Replays the log into a shadow table and swaps it in; the old one keeps answering until then. Answers at once (202); a rebuild that fails is logged, and the old read model stays.',
  })
  @Permission('admin:operate')
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { rebuilding: { type: 'string', example: 'placement_board' } } }, description: 'The rebuild started' })
  @ApiConflictResponse({ description: 'rebuild_in_progress: a rebuild of this read model is already running, here or in another replica (GET /admin/projections on the replica running it shows it rebuilding)' })
  async rebuild(@Param('service') serviceName: string, @Param('projection') projection: string) {
    const service = await this.serviceWith(serviceName, projection);
    const { done } = await service.projections.startRebuild(projection);
    void done.catch((error) => this.logger.error(`rebuilding ${serviceName} ${projection} failed (the old read model stays): ${failureForLog(error)}`));
    return { rebuilding: projection };
  }

  @Post(':service/:projection/parked/retry')
  @Permission('admin:operate')
  @HttpCode(200)
  @ApiOperation({
    summary: "Retry a projection's parked events",
    description:
      'Applies the parked events again, in log order, to the live read model: those that apply now leave the parked list; ' +
      'the others stay with their new error, and so do later events of their streams (a read model folds a stream in order).',
  })
  @ApiOkResponse({
    schema: { type: 'object', properties: { applied: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$', description: 'a global position (a bigint, as text)' } }, parked: { type: 'array', items: { type: 'object' } } } },
    description: '{applied: [global positions now applied], parked: [events still parked, with their error]}' })
  async retryParked(@Param('service') serviceName: string, @Param('projection') projection: string) {
    const service = await this.serviceWith(serviceName, projection);
    return service.projections.retryParked(projection);
  }

  private async serviceWith(serviceName: string, projection: string) {
    const service = this.registry.get(serviceName);
    if (!service) throw new NotFoundException(`no service ${serviceName} in this process`);
    const known = (await service.projections.status()).some((status) => status.projection === projection);
    if (!known) throw new NotFoundException(`${serviceName} has no projection ${projection}`);
    return service;
  }
}
