import { Locale } from '../browser';
import { WorkspaceContext } from './workspace-context';

/** Placeholder until the trainee workspace's flow is written: fails, so it cannot pass unwritten. */
export async function traineeFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  throw new Error(`the trainee flow is not written yet (${locale}, ${context.host.baseUrl})`);
}
