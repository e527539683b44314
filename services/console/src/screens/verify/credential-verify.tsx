import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import './verify.css';

type Verification = NonNullable<Awaited<ReturnType<typeof verifyCredential>>['data']>;
type Check = Verification['checks'][number]['check'];

const verifyCredential = (credential: Record<string, unknown>) => api.POST('/api/v1/credentials/verify', { body: { credential } });

/** A credential is a few kilobytes: a file far larger is something else, and is not read into the page. */
const LARGEST_FILE = 1024 * 1024;

/** What each check is called, and what passing it means, in the reader's words (the server's detail is English). */
const CHECK_WORDS: Record<Check, { name: MessageKey; means: MessageKey }> = {
  signature: { name: 'credentials.check.signature', means: 'credentials.check.signature.means' },
  issuer: { name: 'credentials.check.issuer', means: 'credentials.check.issuer.means' },
  status: { name: 'credentials.check.status', means: 'credentials.check.status.means' },
  dates: { name: 'credentials.check.dates', means: 'credentials.check.dates.means' },
};

/** The pasted text as a credential object, or the catalogue's word for why it is none (checked before any request). */
function parsed(text: string): { credential: Record<string, unknown> } | { refusal: MessageKey } {
  if (!text.trim()) return { refusal: 'credentials.verify.empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { refusal: 'credentials.verify.notJson' };
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? { credential: value as Record<string, unknown> } : { refusal: 'credentials.verify.notObject' };
}

/**
 * Checking an electronic certificate (a verifiable credential) pasted or read from its .json file: the
 * platform checks its signature, its issuer, its status and its dates; the answer in large text, then
 * each check with pass or fail and the server's technical detail. The result belongs to the text shown:
 * editing the text clears it.
 */
export function CredentialVerify() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<MessageKey | null>(null);
  const [fileSaid, setFileSaid] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<Verification | null>(null);
  const checking = useOneAtATime();

  const edited = (next: string) => {
    setText(next);
    setRefusal(null);
    setProblem(null);
    setResult(null);
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    setFileSaid('');
    if (!file) return;
    if (file.size > LARGEST_FILE) return setRefusal('credentials.verify.fileTooLarge');
    try {
      edited(await file.text());
      setFileSaid(t('credentials.verify.fileRead', { name: file.name }));
    } catch {
      setRefusal('credentials.verify.fileUnreadable');
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = parsed(text);
    if ('refusal' in input) return setRefusal(input.refusal);
    await checking.once(async () => {
      setProblem(null);
      setResult(null);
      const { data, error } = await verifyCredential(input.credential).catch((failure: unknown) => ({ data: undefined, error: failure }));
      if (data) setResult(data);
      else setProblem(problemOf(error));
    });
  };

  return (
    <section className="credential-verify" aria-labelledby="credential-verify-title">
      <h2 id="credential-verify-title">{t('credentials.verify.title')}</h2>
      <p>{t('credentials.verify.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="credential-text">{t('credentials.verify.text')}</label>
        <textarea
          id="credential-text"
          name="credential"
          rows={8}
          spellCheck={false}
          autoComplete="off"
          value={text}
          onChange={(event) => edited(event.currentTarget.value)}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal ? 'credential-refusal' : undefined}
        />
        <label htmlFor="credential-file">{t('credentials.verify.file')}</label>
        <input id="credential-file" type="file" accept=".json,application/json" aria-describedby="credential-file-hint" onChange={(event) => void readFile(event)} />
        <p id="credential-file-hint" className="hint">
          {t('credentials.verify.fileHint')}
        </p>
        <p role="status" className="small">
          {checking.busy ? t('credentials.verify.checking') : fileSaid}
        </p>
        {refusal && (
          <p id="credential-refusal" role="alert" className="problem">
            {t(refusal)}
          </p>
        )}
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={checking.busy}>
          {t('credentials.verify.submit')}
        </button>
      </form>
      <ProblemMessage problem={problem} />
      <div aria-live="polite">{result && <VerificationResult result={result} />}</div>
    </section>
  );
}

/** Verified or not in large text (in words, the colour only repeats them), then every check the server made. */
function VerificationResult({ result }: { result: Verification }) {
  const { t } = useI18n();
  return (
    <div className="credential-result" data-verified={result.verified}>
      <h3>{t('credentials.verify.resultTitle')}</h3>
      <p className={`verdict ${result.verified ? 'verdict-good' : 'verdict-bad'}`}>{t(result.verified ? 'credentials.verify.verified' : 'credentials.verify.notVerified')}</p>
      <h4>{t('credentials.verify.checks')}</h4>
      <ul className="credential-checks">
        {result.checks.map((check) => (
          <li key={check.check} data-check={check.check} data-passed={check.passed} className={check.passed ? 'credential-check-passed' : 'credential-check-failed'}>
            <p className="credential-check-name">
              <span aria-hidden="true">{check.passed ? '✓' : '✗'}</span>{' '}
              <strong>{t('credentials.check.outcome', { check: t(CHECK_WORDS[check.check].name), outcome: t(check.passed ? 'credentials.verify.passed' : 'credentials.verify.failed') })}</strong>
            </p>
            <p>{t(CHECK_WORDS[check.check].means)}</p>
            <p className="small">
              {t('credentials.check.detail')} <span lang="en">{check.detail}</span>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
