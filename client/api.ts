/** An error the server explained: its status, stable code and a message for the user. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiRequestError(response.status, error?.code ?? 'http_error', error?.message ?? `${response.status} ${response.statusText}`);
  }
  return payload as T;
}

export type Role = 'lead' | 'editor' | 'viewer';

export interface Me {
  username: string;
  name: string;
  department: string;
  departmentName: string;
  departmentNameEn: string;
  color: string;
  role: Role;
}

export interface ReportSummary {
  id: string;
  title: string;
  year: number;
  format: string;
}

export interface SectionInfo {
  id: string;
  title: string;
  level: 1 | 2;
  department: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  color: string | null;
  state: 'draft' | 'submitted' | 'approved' | 'returned';
  locked: boolean;
  deadline: number | null;
}

export const api = {
  me: () => request<Me>('GET', '/api/me'),
  login: (username: string, password: string) => request<Me>('POST', '/api/login', { username, password }),
  logout: () => request<{ ok: true }>('POST', '/api/logout'),
  reports: () => request<ReportSummary[]>('GET', '/api/reports'),
  sections: (reportId: string) => request<SectionInfo[]>('GET', `/api/reports/${encodeURIComponent(reportId)}/sections`),
};
