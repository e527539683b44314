import type { Problem } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { DownloadButton } from '../me/download-button';

export type TableFormat = 'csv' | 'xlsx';

/** A statistics page's table to download as the API writes it (?format=): `download(format)` saves it. */
export function TableDownloads({ download }: { download(format: TableFormat): () => Promise<Problem | null> }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t('statistics.download.title')}</h3>
      <div className="statistics-downloads">
        <DownloadButton label={t('statistics.download.csv')} download={download('csv')} />
        <DownloadButton label={t('statistics.download.xlsx')} download={download('xlsx')} />
      </div>
    </>
  );
}
