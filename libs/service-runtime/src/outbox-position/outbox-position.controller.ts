import { Controller, ForbiddenException, Get, Headers, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth';
import { InvalidInput } from '../http/problem-details.filter';
import { ServiceRegistry } from '../service-registry';
import { INTERNAL_SECRET_HEADER, INTERNAL_SECRET_RULE, sameSecret } from '../trainee-ages';
import { contextOfTopic, OUTBOX_NOT_HERE_RULE, OutboxPosition, readOutboxPosition } from './outbox-position';

/**
 * How far a topic's facts accepted here have been published (OutboxPosition), for the catch-up barrier of
 * a service deployed apart (CatchUp on Kafka asks the topic's source before reading the broker's ends).
 * Every service answers it for the outboxes in its process. Not part of the API: left out of the OpenAPI
 * document and not routed by the gateway. As trainee-service's internal routes: with no INTERNAL_API_SECRET
 * set (the all-in-one, which reads the outboxes in process) it answers nobody, 404; a caller without the
 * secret is refused 403 (INTERNAL_SECRET_RULE). The asker takes only a 200, so either is "not known", a 503.
 */
@ApiExcludeController()
@Controller('internal/v1/outbox-positions')
export class OutboxPositionController {
  constructor(private readonly registry: ServiceRegistry) {}

  @Get(':topic')
  @Public()
  async position(@Param('topic') topic: string, @Query('upTo') upTo: string | undefined, @Headers(INTERNAL_SECRET_HEADER) secret: string | undefined): Promise<OutboxPosition> {
    const expected = process.env.INTERNAL_API_SECRET;
    if (!expected) throw new NotFoundException();
    if (!sameSecret(secret, expected)) {
      throw new ForbiddenException({ message: `${INTERNAL_SECRET_HEADER} is not this deployment's INTERNAL_API_SECRET`, rule: INTERNAL_SECRET_RULE });
    }
    if (upTo !== undefined && !/^\d{1,15}$/.test(upTo)) throw new InvalidInput([{ field: 'upTo', rule: 'isInt', message: 'upTo must be an outbox id, a whole number from 0' }]);
    const context = contextOfTopic(topic);
    const source = context && this.registry.get(context);
    if (!source) throw new NotFoundException({ message: `the outbox of ${topic} is not in this service`, rule: OUTBOX_NOT_HERE_RULE });
    const position = await readOutboxPosition(source.database, topic, upTo === undefined ? undefined : Number(upTo));
    // The asker waits for these rows: a relay between polls sends them now.
    if (position.left > 0) source.relay.wake();
    return position;
  }
}
