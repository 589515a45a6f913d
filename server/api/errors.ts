import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ReportUnreadableError } from '../collab/report-store.js';
import { DatabaseBusyError } from '../db/sqlite-dialect.js';

/** An error meant for the API caller: a status, a stable code and a message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthorized = (message = '请先登录（login required）') => new ApiError(401, 'unauthorized', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);

/**
 * Storage trouble is no fault of the caller's, and it passes or the operator mends it: 503 with
 * the domain error's own code and message (`database-busy`: another process holds the database
 * lock; `report-unreadable`: the report's stored data cannot be read and it is quarantined).
 */
export function storageUnavailable(error: unknown): ApiError | null {
  if (error instanceof DatabaseBusyError || error instanceof ReportUnreadableError) return new ApiError(503, error.code, error.message);
  return null;
}
