import { Locale } from '../browser';
import { WorkspaceContext } from './workspace-context';

/** Placeholder until the administration workspace's flow is written: fails, so it cannot pass unwritten. */
export async function administrationFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  throw new Error(`the administration flow is not written yet (${locale}, ${context.host.baseUrl})`);
}
