import { getJson, login } from '../../tests/support/clients.js';

/**
 * The lead office's session on a freshly seeded server, and the demo's reports, newest first
 * (the 2025 report being written, then 2024). The lead office may edit every unlocked section,
 * so one cookie serves every client; the benchmark's server allows it as many sockets as it needs.
 */
export async function leadSession(httpUrl: string): Promise<{ cookie: string; reportIds: string[] }> {
  const cookie = await login(httpUrl, 'lead');
  const reports = await getJson<Array<{ id: string; year: number }>>(httpUrl, '/api/reports', cookie);
  return { cookie, reportIds: reports.sort((a, b) => b.year - a.year).map((report) => report.id) };
}
