import { useEffect, useState } from 'react';
import type { EvaluatorKind } from '@skills/domain-kernel';
import { api } from '../../api/client';
import { useSession } from '../../session/session-context';

/**
 * The kind of the evaluator the signed-in staff user acts for (GET /api/v1/evaluators/{id}), which decides
 * the routes it certifies by: undefined while it is read, null when it could not be (the form then offers
 * every route, and the certification service judges the kind as it always does).
 */
export function useEvaluatorKind(): EvaluatorKind | null | undefined {
  const { me } = useSession();
  const evaluatorId = me?.organisationId ?? null;
  const [read, setRead] = useState<{ evaluatorId: string; kind: EvaluatorKind | null } | null>(null);

  useEffect(() => {
    if (!evaluatorId) return;
    let cancelled = false;
    void api.GET('/api/v1/evaluators/{id}', { params: { path: { id: evaluatorId } } }).then(({ data }) => {
      if (!cancelled) setRead({ evaluatorId, kind: data?.kind ?? null });
    });
    return () => {
      cancelled = true;
    };
  }, [evaluatorId]);

  if (!evaluatorId) return null;
  return read?.evaluatorId === evaluatorId ? read.kind : undefined;
}
