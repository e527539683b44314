import { Controller, Get } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { NotPermitted, regionContains } from '@skills/domain-kernel';
import { CommandPipeline, Existing, mustExist } from '@skills/event-sourcing';
import { CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { Evaluator, evaluatorAggregate, evaluatorStreamId } from '../evaluator.aggregate';
import { EvaluatorAnswer } from './evaluator.answer';

/**
 * Who reads an evaluator (domain.md section 9, as for who registers and who certifies for it): its own
 * staff, a bureau officer whose region contains the evaluator's, a platform admin.
 */
function mayRead(evaluator: Existing<Evaluator>, caller: Caller): boolean {
  switch (caller.role) {
    case 'platform_admin':
      return true;
    case 'evaluator_staff':
      return caller.organisationId === evaluator.evaluatorId;
    case 'bureau_officer':
      return caller.regionCode !== null && regionContains(caller.regionCode, evaluator.regionCode);
    default:
      return false;
  }
}

@ApiTags('certification')
@Controller('api/v1/evaluators')
export class ReadEvaluatorController {
  constructor(private readonly commands: CommandPipeline) {}

  @Get(':id')
  @ApiOperation({
    summary: 'Read an evaluation organisation',
    description: "The evaluator as registered, with its kind: an employer (用人单位) certifies by every route, a social organisation (社会培训评价组织) by assessment and exceptional only. For its own staff (the console offers them the routes of their evaluator's kind), a bureau officer of its region, the platform admin.",
  })
  @Permission('evaluators:read')
  @ApiOkResponse({ type: EvaluatorAnswer })
  // The register of organisations is public (domain.md section 9): an evaluator's id is no secret, and one the caller may not read is a 403, as api.md says.
  @ApiNotFoundResponse({ description: 'No evaluator with this id' })
  @ApiForbiddenResponse({ description: "evaluators:read: another evaluator's staff, a bureau officer outside the evaluator's region" })
  async read(@UuidParam('id') evaluatorId: string, @CurrentCaller() caller: Caller): Promise<EvaluatorAnswer> {
    const evaluator = await this.commands.existing(mustExist(evaluatorStreamId(evaluatorId), 'evaluator', evaluatorId), evaluatorAggregate);
    if (!mayRead(evaluator, caller)) throw new NotPermitted('evaluators:read', `only the evaluator's own staff, a bureau officer whose region contains ${evaluator.regionCode} and the platform admin read evaluator ${evaluatorId}`);
    const { evaluatorId: id, name, kind, creditCode, regionCode, evaluatorCode } = evaluator;
    return { evaluatorId: id, name, kind, creditCode, regionCode, evaluatorCode };
  }
}
