import { Locale } from '../browser';
import { WorkspaceContext } from './workspace-context';

/** Placeholder until the employer workspace's flow is written: fails, so it cannot pass unwritten. */
export async function employerFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  throw new Error(`the employer flow is not written yet (${locale}, ${context.host.baseUrl})`);
}
