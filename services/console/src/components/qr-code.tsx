import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * A QR code of a URL, drawn as an image (the tests decode it and open what it says). `alt`: its text
 * alternative, when it is no certificate's verification address (which the default names).
 */
export function QrCode({ url, alt }: { url: string; alt?: string }) {
  const { t } = useI18n();
  const [dataUrl, setDataUrl] = useState<string | null>(null);
  useEffect(() => {
    void QRCode.toDataURL(url, { margin: 2, width: 240, errorCorrectionLevel: 'M' }).then(setDataUrl);
  }, [url]);
  return dataUrl ? <img className="qr-code" src={dataUrl} width={240} height={240} alt={alt ?? t('verify.qrAlt', { url })} data-url={url} /> : null;
}
