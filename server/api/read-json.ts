import type { Context } from 'hono';
import { invalidRequest } from '../../blocks/errors.js';

/** The request body as a JSON object, or a 400 that says what is wrong with it. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw invalidRequest('Content-Type must be application/json');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw invalidRequest('the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
