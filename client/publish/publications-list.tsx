import type { Publication, PublicationDelivery } from '../api.js';
import { useI18n } from '../i18n.js';
import { fillIn, formatDateTime } from './format.js';

/** Enough of the content hash to tell versions apart and to match it against a download. */
const SHORT_HASH = 12;

/** Where the publication's push to the webhook stands, in words; a failed one can be sent again by the lead office. */
function DeliveryStatus({ delivery, onRedeliver }: { delivery: PublicationDelivery; onRedeliver: (() => void) | null }) {
  const { t, language } = useI18n();
  if (delivery.status === 'delivered') {
    return (
      <span className="delivery delivery-delivered" data-delivery="delivered">
        {t('deliveryDelivered')}
        {delivery.deliveredAt !== null && <time className="muted" dateTime={new Date(delivery.deliveredAt).toISOString()}> {formatDateTime(delivery.deliveredAt, language)}</time>}
      </span>
    );
  }
  if (delivery.status === 'failed') {
    return (
      <span className="delivery delivery-failed" data-delivery="failed">
        {fillIn(t('deliveryFailed'), { error: delivery.lastError ?? t('unknownReason') })}
        {onRedeliver && (
          <button type="button" className="small" data-testid="redeliver" onClick={onRedeliver}>
            {t('redeliver')}
          </button>
        )}
      </span>
    );
  }
  return (
    <span className="delivery delivery-pending" data-delivery="pending">
      {delivery.attempts > 0 && delivery.nextAttemptAt !== null
        ? fillIn(t('deliveryRetrying'), { n: delivery.attempts, at: formatDateTime(delivery.nextAttemptAt, language) })
        : t('deliveryPending')}
      {delivery.lastError && <span className="muted small delivery-error">{fillIn(t('deliveryLastError'), { error: delivery.lastError })}</span>}
    </span>
  );
}

interface PublicationsListProps {
  publications: Publication[];
  /** Sends a failed delivery again; null for those who may not (departments). */
  onRedeliver: ((publicationId: string) => void) | null;
}

/** The report's published versions, newest first: each one's page, downloads and webhook delivery. */
export function PublicationsList({ publications, onRedeliver }: PublicationsListProps) {
  const { t, language } = useI18n();
  // Without a webhook no publication has a delivery; an empty column would only raise questions.
  const showDelivery = publications.some((publication) => publication.delivery !== null);
  return (
    <table className="dashboard-table publications-table">
      <thead>
        <tr>
          <th scope="col">{t('version')}</th>
          <th scope="col">{t('publishedAt')}</th>
          <th scope="col">{t('publishedBy')}</th>
          <th scope="col">{t('publicationNote')}</th>
          <th scope="col">{t('contentHash')}</th>
          <th scope="col">{t('pageAndDownloads')}</th>
          {showDelivery && <th scope="col">{t('delivery')}</th>}
        </tr>
      </thead>
      <tbody>
        {publications.map((publication, index) => (
          <tr key={publication.id} data-testid={`publication-${publication.version}`}>
            <th scope="row">
              {fillIn(t('versionN'), { n: publication.version })}
              {index === 0 && <span className="state-badge state-approved current-version">{t('currentVersion')}</span>}
            </th>
            <td><time dateTime={new Date(publication.publishedAt).toISOString()}>{formatDateTime(publication.publishedAt, language)}</time></td>
            <td>{publication.publishedBy}</td>
            <td className="publication-note">{publication.note || '—'}</td>
            <td><code title={publication.contentHash}>{publication.contentHash.slice(0, SHORT_HASH)}</code></td>
            <td>
              <div className="publication-links">
                <a href={publication.url} target="_blank" rel="noopener noreferrer">
                  {t('publicPage')} ↗<span className="visually-hidden">{t('opensInNewTab')}</span>
                </a>
                <span className="publication-downloads">
                  {t('download')}
                  <a href={publication.downloads.docx} download>DOCX</a>
                  <a href={publication.downloads.pdf} download>PDF</a>
                  <a href={publication.downloads.csv} download>CSV</a>
                  <a href={publication.downloads.json} download>JSON</a>
                </span>
              </div>
            </td>
            {showDelivery && <td>{publication.delivery && <DeliveryStatus delivery={publication.delivery} onRedeliver={onRedeliver && (() => onRedeliver(publication.id))} />}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
