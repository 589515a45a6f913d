import type { Context } from 'hono';
import { badRequest } from './errors.js';

/** The request body as a JSON object, or a 400 that says what is wrong with it. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw badRequest('请求体须为 JSON（Content-Type must be application/json）');
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('请求体不是有效的 JSON（the request body is not valid JSON）');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('请求体须为 JSON 对象（the request body must be a JSON object）');
  }
  return body as Record<string, unknown>;
}
