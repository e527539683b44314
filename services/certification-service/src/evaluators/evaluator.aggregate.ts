import { assertNever, EvaluatorKind, RegionalActor, refuseOutsideBureauRegion } from '@skills/domain-kernel';

/** An evaluation organisation (评价机构): an employer (用人单位, Y) or a social training evaluation organisation (S). */
export interface EvaluatorRegistered {
  type: 'EvaluatorRegistered';
  data: { evaluatorId: string; name: string; creditCode: string; kind: EvaluatorKind; regionCode: string; evaluatorCode: string };
}

export type EvaluatorEvent = EvaluatorRegistered;

export interface RegisterEvaluator {
  type: 'RegisterEvaluator';
  evaluator: EvaluatorRegistered['data'];
  /** Who registers: a platform admin, or a bureau officer of a region containing the evaluator's. */
  by: RegionalActor;
}

export type Evaluator = { status: 'unknown' } | ({ status: 'registered' } & EvaluatorRegistered['data']);

export const evaluatorStreamId = (evaluatorId: string) => `evaluator-${evaluatorId}`;

export const evaluatorAggregate = {
  initialState: (): Evaluator => ({ status: 'unknown' }),

  evolve(_state: Evaluator, event: EvaluatorEvent): Evaluator {
    switch (event.type) {
      case 'EvaluatorRegistered':
        return { status: 'registered', ...event.data };
      default:
        return assertNever(event.type);
    }
  },

  /** A new stream (mustNotExist); one evaluator per credit code is the pipeline's claim. */
  decide(command: RegisterEvaluator): EvaluatorEvent[] {
    refuseOutsideBureauRegion('evaluators:register', command.by, command.evaluator.regionCode);
    return [{ type: 'EvaluatorRegistered', data: { ...command.evaluator, creditCode: command.evaluator.creditCode.toUpperCase() } }];
  },
};
