import { useState } from 'react';
import type { Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';

/** A button that downloads a file (a PDF, a CSV, an electronic certificate), then says it is saved (or what stood in the way) in a status line. */
export function DownloadButton({ label, download }: { label: string; download: () => Promise<Problem | null> }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [problem, setProblem] = useState<Problem | null>(null);
  const start = async () => {
    setState('busy');
    setProblem(null);
    const refused = await download();
    setProblem(refused);
    setState(refused ? 'idle' : 'done');
  };
  const status: Record<typeof state, MessageKey | null> = { idle: null, busy: 'me.downloading', done: 'me.downloaded' };
  const said = status[state];
  return (
    <div className="me-download">
      {/* aria-disabled, not disabled, while it downloads: a disabled button loses the keyboard's focus (as in ListFooter). */}
      <button type="button" onClick={() => state !== 'busy' && void start()} aria-disabled={state === 'busy'}>
        {label}
      </button>
      <p role="status">{said ? t(said) : ''}</p>
      {problem && <ProblemMessage problem={problem} />}
    </div>
  );
}
