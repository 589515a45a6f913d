import type { ReportServer } from './report-server.js';

/** What the API helpers need of a suite: a server, its report and the demo users' logins. */
type ApiSuite = Pick<ReportServer, 'server' | 'reportId' | 'cookieOf'>;

/** Calls the API as a demo user (or anonymously), returning the status, the JSON (if any) and the raw answer. */
export async function callApi(suite: ApiSuite, method: string, path: string, options: { as?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.as) headers.cookie = await suite.cookieOf(options.as);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const send = () => fetch(`${suite.server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const response = await send().catch((error: { cause?: { code?: string } }) => {
    // A kept-alive connection the server closed just as it was reused: retry a GET once, as browsers do.
    if (method === 'GET' && error.cause?.code === 'UND_ERR_SOCKET') return send();
    throw error;
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, bytes, headers: response.headers };
}

/**
 * Sends a file as a browser's form does (multipart, field `file`, and any text fields), as a demo
 * user, and returns the status and the JSON answer.
 */
export async function uploadFile(suite: ApiSuite, path: string, file: { name: string; bytes: Uint8Array | string }, options: { as?: string; fields?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const form = new FormData();
  form.append('file', new Blob([typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : new Uint8Array(file.bytes)]), file.name);
  for (const [field, value] of Object.entries(options.fields ?? {})) form.append(field, value);
  const headers: Record<string, string> = { ...options.headers };
  if (options.as !== undefined) headers.cookie = await suite.cookieOf(options.as);
  // A kept-alive connection the server closed (idle while a test built its file) just as it was
  // reused: the request never reached the server, so it is sent again, as browsers do.
  const send = (attemptsLeft: number): Promise<Response> =>
    fetch(`${suite.server.url}${path}`, { method: 'POST', body: form, headers }).catch((error: { cause?: { code?: string } }) => {
      if (attemptsLeft > 0 && ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(error.cause?.code ?? '')) return send(attemptsLeft - 1);
      throw error;
    });
  const response = await send(2);
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as any };
}

/** The lead office approves every section of the demo report, as it does before publishing. */
export async function approveAllSections(suite: ApiSuite): Promise<void> {
  const path = `/api/reports/${suite.reportId}/sections`;
  const sections = (await callApi(suite, 'GET', path, { as: 'lead' })).json as Array<{ id: string; state: string }>;
  for (const section of sections) {
    if (section.state === 'approved') continue;
    const answer = await callApi(suite, 'POST', `${path}/${section.id}/approve`, { as: 'lead' });
    if (answer.status !== 200) throw new Error(`approving ${section.id} answered ${answer.status}: ${answer.text}`);
  }
}

/** The rule ids of the warnings the pre-flight shows now: what the lead office acknowledges in the dialog. */
export async function currentWarnings(suite: ApiSuite): Promise<string[]> {
  const preflight = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/publications/preflight`, { as: 'lead' })).json as { findings: Array<{ rule: string; severity: string }> };
  return [...new Set(preflight.findings.filter((finding) => finding.severity === 'warning').map((finding) => finding.rule))];
}

/**
 * Publishes the demo report as the lead office, acknowledging the warnings shown; fails loudly with
 * the server's reasons otherwise.
 */
export async function publishReport(suite: ApiSuite, note: string): Promise<{ version: number; url: string; id: string; seq: number }> {
  const body = { note, acknowledge: await currentWarnings(suite) };
  const answer = await callApi(suite, 'POST', `/api/reports/${suite.reportId}/publications`, { as: 'lead', body });
  if (answer.status !== 201) throw new Error(`publishing answered ${answer.status}: ${answer.text}`);
  return { ...answer.json, id: String(answer.json.url).split('/').pop()! };
}

