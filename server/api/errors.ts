import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ReportError, type ErrorCode } from '../../blocks/errors.js';
import { ReportUnreadableError } from '../collab/report-store.js';
import { DatabaseBusyError } from '../db/sqlite-dialect.js';
import { MOVING_RETRY_SECONDS, ReportHeldElsewhere } from '../cluster/report-ownership.js';

/** How each refusal travels over HTTP. */
const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  'login-required': 401,
  'credentials-required': 400,
  'wrong-credentials': 401,
  'too-many-attempts': 429,
  'too-many-connections': 429,
  'foreign-origin': 403,
  'metrics-forbidden': 403,
  'body-too-large': 413,
  'unsupported-content-type': 415,
  'version-not-found': 404,
  'weak-password': 400,
  'password-change-required': 403,
  'wrong-current-password': 400,
  'same-password': 400,
  'account-deactivated': 403,
  'username-taken': 409,
  'user-not-found': 404,
  'department-name-taken': 409,
  'already-initialised': 409,
  'not-initialised': 409,
  'lead-office-only': 403,
  'not-your-section': 403,
  'read-only-user': 403,
  'may-not-resolve': 403,
  'report-not-found': 404,
  'report-archived': 409,
  'may-not-write-section': 403,
  'no-report-last-year': 409,
  'import-file-required': 400,
  'import-type-unsupported': 415,
  'import-too-large': 413,
  'import-unreadable': 422,
  'import-no-text': 422,
  'section-not-found': 404,
  'section-not-in-version': 404,
  'comment-not-found': 404,
  'notification-not-found': 404,
  'suggestion-not-found': 404,
  'suggestion-outdated': 409,
  'nothing-overdue': 409,
  'reminder-message-length': 400,
  'publication-not-found': 404,
  'format-not-found': 404,
  'section-locked': 409,
  'section-already-submitted': 409,
  'section-already-approved': 409,
  'section-not-submitted': 409,
  'section-id-taken': 409,
  'last-section': 409,
  'report-exists': 409,
  'previous-report-in-system': 409,
  'format-without-units': 409,
  'only-failed-delivery': 409,
  'publish-blocked': 409,
  'warnings-not-acknowledged': 409,
  'note-required': 400,
  'pdf-unavailable': 503,
  'comment-required': 400,
  'comment-length': 400,
  'title-length': 400,
  'deadline-format': 400,
  'no-such-date': 400,
  'section-id-format': 400,
  'department-required': 400,
  'department-unknown': 400,
  'format-unknown': 400,
  'format-not-for-year': 400,
  'unit-section-missing': 400,
  'previous-figures-invalid': 400,
  'invalid-request': 400,
  'database-busy': 503,
  'report-unreadable': 503,
  'report-moving': 503,
};

/** The HTTP answer to a refusal: its status and `{ error: { code, message, params, ...extra } }`. */
export function errorResponse(error: ReportError, extra: Record<string, unknown> = {}) {
  return { status: statusOf[error.code], body: { error: { code: error.code, message: error.message, params: error.params, ...extra } } };
}

/**
 * Storage trouble is no fault of the caller's, and it passes or the operator mends it: 503
 * `database-busy` (another process holds the database lock) or `report-unreadable` (the report's
 * stored data cannot be read and it is quarantined), or `report-moving` (another server process took
 * the report while this one was about to open it).
 */
export function storageUnavailable(error: unknown): ReportError | null {
  if (error instanceof DatabaseBusyError) return new ReportError('database-busy', { waited: (error.waitedMs / 1000).toFixed(1) });
  if (error instanceof ReportUnreadableError) return new ReportError('report-unreadable', { part: `${error.part.kind} ${error.part.seq}` });
  if (error instanceof ReportHeldElsewhere) return new ReportError('report-moving', { seconds: MOVING_RETRY_SECONDS });
  return null;
}
