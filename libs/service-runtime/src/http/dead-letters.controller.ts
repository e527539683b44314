import { Controller, Get, HttpCode, HttpException, HttpStatus, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags, ApiParam, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { FieldRefusal } from '@skills/domain-kernel';
import { BrokerNotReady } from '@skills/messaging';
import { Permission } from '../auth/permissions';
import { ServiceRegistry } from '../service-registry';
import { PageQuery } from './page';

const LETTER_SCHEMA = {
  type: 'object',
  required: ['id', 'consumer', 'topic', 'eventId', 'eventType', 'error', 'parkedAt'],
  properties: {
    id: { type: 'string', example: '1' },
    consumer: { type: 'string', example: 'placement.trainee-levels' },
    topic: { type: 'string', example: 'skills.certification.events.v1' },
    eventId: { type: 'string', format: 'uuid', nullable: true, description: 'null for a message that is not an integration envelope' },
    eventType: { type: 'string', nullable: true, example: 'LevelCertified' },
    error: { type: 'string', example: 'SQLSTATE 22003: value "…" is out of range for type integer', description: 'Without the values Postgres quotes' },
    parkedAt: { type: 'string', format: 'date-time' },
  },
};

/** A retry on a Kafka host that has not yet ensured the integration topics (it started during a broker outage): nothing was sent. */
class RetryBeforeTheBroker extends HttpException {
  constructor(cause: BrokerNotReady) {
    super(
      { message: 'this host has not reached the broker since it started (the integration topics are not ensured yet): nothing was sent; repeat the retry later', rule: 'broker_not_ready', retryAfter: cause.retryAfterSeconds },
      HttpStatus.SERVICE_UNAVAILABLE,
      { cause },
    );
  }
}

/** One service's letters a page at a time: ids are per service, so a cursor names the service it is of. */
class DeadLettersQuery extends PageQuery {
  // The list's page is 100 unless said, as it always answered the first 100 (PageQuery's is 20).
  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 100 })
  declare limit?: number;

  @ApiPropertyOptional({ example: 'placement', description: 'One service of this process (the others are left out)' })
  @IsOptional()
  @Matches(/^[a-z][a-z-]{0,39}$/, { message: 'service must be the name of a service, as the answer keys them' })
  service?: string;

  @ApiPropertyOptional({ description: "The service's nextCursor of the previous page; with service" })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

/**
 * Operators see the messages each service's consumers could not apply (dead letters: the consumer moved
 * past them) and re-deliver one once a fix is deployed, as they do with a projection's parked events.
 */
@ApiTags('admin')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly registry: ServiceRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'List dead letters',
    description:
      'Every service in this process (or the one `service` names) with the messages its consumers could not apply and parked, oldest first, ' +
      '`limit` of them (100 unless said); a service with more says `nextCursor`, to ask for the next with `service` and `cursor`.',
  })
  @Permission('admin:operate')
  @ApiOkResponse({
    schema: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['deadLetters', 'letters', 'nextCursor'],
        properties: {
          deadLetters: { type: 'integer', description: 'How many the service holds in all' },
          letters: { type: 'array', items: LETTER_SCHEMA },
          nextCursor: { type: 'string', nullable: true, description: 'null when no more follow' },
        },
      },
    },
    description: '{<service>: {deadLetters, letters: [{id, consumer, topic, eventId, eventType, error, parkedAt}], nextCursor}}',
  })
  @ApiBadRequestResponse({ description: 'limit, service or cursor malformed; cursor_needs_service: a cursor without the service it is of' })
  @ApiNotFoundResponse({ description: 'service_not_found: no such service in this process' })
  async list(@Query() query: DeadLettersQuery) {
    if (query.cursor !== undefined && query.service === undefined)
      throw new FieldRefusal('service', 'cursor_needs_service', "a cursor goes on with one service's letters: name the service it is of");
    const services = query.service === undefined ? [...this.registry.services.values()] : [this.registry.get(query.service)];
    const answer: Record<string, unknown> = {};
    for (const service of services) {
      if (!service) throw new NotFoundException({ message: `no service ${query.service} in this process`, rule: 'service_not_found' });
      const { count, letters, nextCursor } = await service.deadLetters.list({ after: query.cursor, limit: query.limit });
      answer[service.name] = { deadLetters: count, letters, nextCursor };
    }
    return answer;
  }

  @Post(':service/:letter/retry')
  @ApiParam({ name: 'letter', description: 'The dead letter’s id, as GET /admin/dead-letters lists it', schema: { type: 'string', pattern: '^[0-9]{1,18}$' } })
  @Permission('admin:operate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a dead letter',
    description:
      'Re-publishes the message on its topic: consumers that applied it skip it, the one that failed applies it (the letter goes: `applied`) ' +
      'or parks it again (`failed`, with the new error); `pending` when its consumer has not answered within 10 seconds.',
  })
  @ApiOkResponse({
    schema: { type: 'object', required: ['id', 'outcome'], properties: { id: { type: 'string' }, outcome: { type: 'string', enum: ['applied', 'failed', 'pending'] }, letter: LETTER_SCHEMA } },
    description: '{id, outcome, letter (unless applied)}',
  })
  @ApiConflictResponse({ description: 'dead_letter_not_an_envelope: the letter is no integration envelope, so no consumer could apply it' })
  @ApiServiceUnavailableResponse({
    description:
      'broker_not_ready: this host has not reached the broker since it started (it started during an outage and tries again by itself; /health/ready shows the broker `down` or `connecting`): nothing was sent; repeat after Retry-After',
    headers: { 'Retry-After': { description: 'Seconds to wait before repeating', schema: { type: 'integer', minimum: 1 } } },
  })
  async retry(@Param('service') serviceName: string, @Param('letter') id: string) {
    const service = this.registry.get(serviceName);
    if (!service) throw new NotFoundException(`no service ${serviceName} in this process`);
    const retried = await service.deadLetters.retry(id).catch((error: unknown) => {
      throw error instanceof BrokerNotReady ? new RetryBeforeTheBroker(error) : error;
    });
    if (!retried) throw new NotFoundException(`${serviceName} has no dead letter ${id}`);
    return retried;
  }
}
