import { Locale } from '../browser';
import { WorkspaceContext } from './workspace-context';

/** Placeholder until the evaluator workspace's flow is written: fails, so it cannot pass unwritten. */
export async function evaluatorFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  throw new Error(`the evaluator flow is not written yet (${locale}, ${context.host.baseUrl})`);
}
