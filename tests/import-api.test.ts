import http from 'node:http';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectClient, sectionText, waitForClose } from './support/clients.js';
import { approveAllSections, callApi, publishReport, uploadFile } from './support/publishing.js';
import { useReportServer } from './support/report-server.js';
import { storedRows } from './support/stored.js';

// Importing a published report: the lead office uploads what a portal shows (the page, its DOCX,
// its PDF, or the text), sees every figure read and every rule's finding, and keeps it as an
// archived report of its year. Round trips go through this product's own publication.

const suite = useReportServer();

interface Preview {
  format: string;
  year: number | null;
  title: string;
  sections: Array<{ title: string; text: string; tables: string[] }>;
  tables: Record<string, Record<string, Record<string, number | null>>>;
  unread: Array<{ table: string; row: string | null; column: string | null; reason: string }>;
  findings: Array<{ rule: string; severity: string; message: string }>;
  traditional: boolean;
  source: string;
}

/** Uploads a file to `POST /api/imports` (or `path`) as the browser's import dialog does. */
async function upload(name: string, bytes: Uint8Array | string, options: { as?: string; fields?: Record<string, string>; headers?: Record<string, string>; path?: string } = {}) {
  const answer = await uploadFile(suite, options.path ?? '/api/imports', { name, bytes }, options);
  return answer as { status: number; json: Preview & { error: { code: string; message: string } } };
}

/**
 * Sends a file past the upload limit as a browser would (its length declared) and reads the
 * answer the server gives while the body is still arriving; the server may close the connection
 * before the rest is written, which is the point.
 */
async function uploadOversized(bytes: number): Promise<{ status: number; code: string }> {
  const boundary = 'import-test-boundary';
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="report.txt"\r\ncontent-type: text/plain\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const cookie = await suite.cookieOf('lead');
  return new Promise((resolve, reject) => {
    const request = http.request(`${suite.server.url}/api/imports`, {
      method: 'POST',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + bytes + tail.length) },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, code: (JSON.parse(body) as { error: { code: string } }).error.code }));
    });
    // Writing past the point the server stopped reading fails; the answer came first.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.write(head);
    request.write(Buffer.alloc(bytes), () => request.end(tail));
  });
}

/** A DOCX whose document part inflates to `size` bytes of XML, compressed about a thousand to one. */
function zipBomb(size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const add = (name: string, text: string) => {
    const file = new ZipPassThrough(name);
    zip.add(file);
    file.push(new TextEncoder().encode(text), true);
  };
  add('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  add('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const document = new ZipDeflate('word/document.xml', { level: 1 });
  zip.add(document);
  document.push(new TextEncoder().encode('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'));
  const chunk = new Uint8Array(4 * 1024 * 1024).fill(0x41);
  for (let written = 0; written < size; written += chunk.length) document.push(chunk);
  document.push(new TextEncoder().encode('</w:t></w:r></w:p></w:body></w:document>'), true);
  zip.end();
  return new Uint8Array(Buffer.concat(parts));
}

const countReports = async () => (await storedRows<{ n: number }>(suite.server, 'select count(*) as n from reports'))[0]!.n;

let published: { url: string };
let live: Preview['tables'];

describe('importing a report this product published, in every format it publishes', () => {
  it('the page, the DOCX and the PDF each give back the same tables, cell for cell, with nothing unread', async () => {
    await approveAllSections(suite);
    published = await publishReport(suite, '首次发布');
    live = (await callApi(suite, 'GET', `/api/reports/${suite.reportId}/annex`, { as: 'lead' })).json.tables;
    const before = await countReports();
    for (const file of ['', '/report.docx', '/report.pdf']) {
      const bytes = (await callApi(suite, 'GET', `${published.url}${file}`)).bytes;
      const name = file === '' ? 'report.html' : file.slice(1);
      const answer = await upload(name, bytes, { as: 'lead' });
      expect(answer.status, name).toBe(200);
      const preview = answer.json;
      expect(preview, name).toMatchObject({ format: 'gov-disclosure-2021', year: 2025, title: '示范区人民政府2025年政府信息公开工作年度报告' });
      expect(preview.unread, name).toEqual([]);
      for (const tableId of ['A', 'B', 'C']) expect(preview.tables[tableId], `${name}: table ${tableId}`).toEqual(live[tableId]);
      expect(preview.sections.map((section) => section.title), name).toEqual(expect.arrayContaining(['一、总体情况', '三、收到和处理政府信息公开申请情况', '六、其他需要报告的事项']));
      expect(preview.sections.find((section) => section.title.startsWith('三、'))?.tables, name).toContain('B');
      // The demo report is consistent: no rule finds an error in what was read back.
      expect(preview.findings.filter((finding) => finding.severity === 'error'), name).toEqual([]);
    }
    expect(await countReports()).toBe(before);
  });
});

describe('what the import refuses, storing nothing', () => {
  let bomb: Uint8Array;
  // Built before the file's uploads: seconds of compressing between two requests would let the
  // server close the connection the next upload reuses.
  beforeAll(() => {
    bomb = zipBomb(400 * 1024 * 1024);
  });

  it('only the lead office imports: a department is refused before its file is read', async () => {
    const answer = await upload('report.html', '<h1>报告</h1>', { as: 'finance' });
    expect(answer.status).toBe(403);
    expect(answer.json.error.code).toBe('lead-office-only');
    expect((await upload('report.html', '<h1>报告</h1>')).status).toBe(401);
  });

  it('wrong types, damaged files, empty files, a missing file and oversized uploads get a clear 4xx', async () => {
    const before = await countReports();
    const refusals: Array<[string, Uint8Array | string, number, string]> = [
      ['setup.exe', 'MZ', 415, 'import-type-unsupported'],
      ['report.doc', 'binary', 415, 'import-type-unsupported'],
      ['report.pdf', '<html>not a pdf</html>', 422, 'import-unreadable'],
      ['report.docx', 'PK\u0003\u0004 but no archive', 422, 'import-unreadable'],
      ['report.pdf', '%PDF-1.7 truncated', 422, 'import-unreadable'],
      ['report.txt', '   \n\n  ', 422, 'import-no-text'],
    ];
    for (const [name, bytes, status, code] of refusals) {
      const answer = await upload(name, bytes, { as: 'lead' });
      expect([name, answer.status, answer.json.error?.code]).toEqual([name, status, code]);
      expect(answer.json.error.message.length).toBeGreaterThan(10);
    }
    // An old Word file is named as such, with what to do.
    expect((await upload('report.doc', 'x', { as: 'lead' })).json.error.message).toContain('.docx');
    const missing = await fetch(`${suite.server.url}/api/imports`, { method: 'POST', headers: { cookie: await suite.cookieOf('lead'), 'content-type': 'application/json' }, body: '{}' });
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([400, 'import-file-required']);
    const tooLarge = await uploadOversized(21 * 1024 * 1024);
    expect([tooLarge.status, tooLarge.code]).toEqual([413, 'body-too-large']);
    const badYear = await upload('report.txt', '2023年报告', { as: 'lead', fields: { year: '1900' } });
    expect([badYear.status, badYear.json.error.code]).toEqual([400, 'invalid-request']);
    expect(await countReports()).toBe(before);
  });

  it('a DOCX built to exhaust its reader (a ZIP bomb: 400 MB of XML in 400 KB, for a section draft too) is refused as unreadable, and the server goes on', async () => {
    const answer = await upload('bomb.docx', bomb, { as: 'lead' });
    expect([answer.status, answer.json.error.code]).toEqual([422, 'import-unreadable']);
    expect(answer.json.error.message).toContain('400 MB');
    const draft = await upload('bomb.docx', bomb, { as: 'lead', path: `/api/reports/${suite.reportId}/sections/overview/drafts` });
    expect([draft.status, draft.json.error.code]).toEqual([422, 'import-unreadable']);
    expect((await callApi(suite, 'GET', '/api/me', { as: 'lead' })).status).toBe(200);
  });

  it('an upload from another site is refused: a foreign Origin, or a browser saying the request is cross-site', async () => {
    const foreign = await upload('report.txt', '报告', { as: 'lead', headers: { origin: 'https://evil.example' } });
    expect([foreign.status, foreign.json.error.code]).toEqual([403, 'foreign-origin']);
    const crossSite = await upload('report.txt', '报告', { as: 'lead', headers: { 'sec-fetch-site': 'cross-site' } });
    expect([crossSite.status, crossSite.json.error.code]).toEqual([415, 'unsupported-content-type']);
    // Other routes still take no form encoding at all.
    const form = new FormData();
    form.append('title', 'x');
    const elsewhere = await fetch(`${suite.server.url}/api/reports`, { method: 'POST', body: form, headers: { cookie: await suite.cookieOf('lead') } });
    expect(elsewhere.status).toBe(415);
  });
});

describe('a report mirrored in traditional characters', () => {
  it('is read in simplified characters, tables and all', async () => {
    const page = (await callApi(suite, 'GET', published.url)).text;
    const { Converter } = await import('opencc-js/cn2t');
    const traditional = Converter({ from: 'cn', to: 'tw' })(page);
    expect(traditional).toContain('政府信息公開工作年度報告');
    const answer = await upload('report-big5-mirror.html', traditional, { as: 'lead' });
    expect(answer.status).toBe(200);
    expect(answer.json.traditional).toBe(true);
    expect(answer.json.title).toBe('示范区人民政府2025年政府信息公开工作年度报告');
    expect(answer.json.tables.B).toEqual(live.B);
    expect(answer.json.unread).toEqual([]);
  });
});

describe('keeping an import as an archived report', () => {
  let archiveId: string;

  it('the lead office keeps the preview as the report of its year: listed as archived, and the next year’s cross-year rules read it', async () => {
    const page = (await callApi(suite, 'GET', published.url)).bytes;
    const preview = (await upload('report.html', page, { as: 'lead', fields: { year: '2023' } })).json;
    expect(preview.year).toBe(2023);
    const kept = await callApi(suite, 'POST', '/api/reports', {
      as: 'lead',
      body: { archived: true, year: 2023, title: '示范区人民政府2023年政府信息公开工作年度报告', format: preview.format, sections: preview.sections, tables: preview.tables },
    });
    expect(kept.status, kept.text).toBe(201);
    archiveId = kept.json.id;
    const listed = (await callApi(suite, 'GET', '/api/reports', { as: 'lead' })).json as Array<{ id: string; archived: boolean; year: number }>;
    expect(listed.find((report) => report.id === archiveId)).toMatchObject({ archived: true, year: 2023 });
    expect(listed.find((report) => report.id === suite.reportId)).toMatchObject({ archived: false });
    const annex = (await callApi(suite, 'GET', `/api/reports/${archiveId}/annex`, { as: 'lead' })).json;
    expect(annex.tables.B).toEqual(live.B);
    const sections = (await callApi(suite, 'GET', `/api/reports/${archiveId}/sections`, { as: 'lead' })).json as Array<{ id: string; title: string }>;
    expect(sections.map((section) => section.title)).toEqual(preview.sections.map((section) => section.title));
    expect(sections.find((section) => section.title === '三、收到和处理政府信息公开申请情况')?.id).toBe('requests');
    // The 2024 report now has a real last year.
    const report2024 = listed.find((report) => report.year === 2024)!;
    const annex2024 = (await callApi(suite, 'GET', `/api/reports/${report2024.id}/annex`, { as: 'lead' })).json;
    expect(annex2024.previousSource).toMatchObject({ reportId: archiveId });
  });

  it('or keeps only its figures, as last year’s of a report whose last year is not in the system', async () => {
    const created = await callApi(suite, 'POST', '/api/reports', { as: 'lead', body: { year: 2031, title: '示范区人民政府2031年政府信息公开工作年度报告' } });
    expect(created.status).toBe(201);
    const page = (await callApi(suite, 'GET', published.url)).bytes;
    const preview = (await upload('report.html', page, { as: 'lead', fields: { year: '2030' } })).json;
    const kept = await callApi(suite, 'PUT', `/api/reports/${created.json.id}/previous-annex`, { as: 'lead', body: { tables: preview.tables } });
    expect(kept.status, kept.text).toBe(200);
    const annex = (await callApi(suite, 'GET', `/api/reports/${created.json.id}/annex`, { as: 'lead' })).json;
    expect(annex.previousSource).toBe('entered');
    expect(annex.previous.B.forward).toEqual(live.B!.forward);
  });

  it('a second report for the same year, or an archive with malformed parts or tables, is refused', async () => {
    const before = await countReports();
    const body = { archived: true, year: 2023, title: '重复', format: 'gov-disclosure-2021', sections: [{ title: '一、总体情况', text: '' }], tables: {} };
    expect((await callApi(suite, 'POST', '/api/reports', { as: 'lead', body })).status).toBe(409);
    const malformed = [
      { ...body, year: 2019, sections: [] },
      { ...body, year: 2019, sections: [{ title: '', text: 'x' }] },
      { ...body, year: 2019, sections: [{ title: '一、', text: 'x', tables: ['Z'] }] },
      { ...body, year: 2019, tables: { B: { new: { natural: 'many' } } } },
      { ...body, year: 2019, format: 'no-such-format' },
    ];
    for (const archive of malformed) {
      const answer = await callApi(suite, 'POST', '/api/reports', { as: 'lead', body: archive });
      expect(answer.status, JSON.stringify(archive)).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    expect((await callApi(suite, 'POST', '/api/reports', { as: 'finance', body: { ...body, year: 2019 } })).status).toBe(403);
    expect(await countReports()).toBe(before);
  });

  it('an archived report is read-only: every change is refused over HTTP and over the socket, and nothing is stored', async () => {
    const stored = () => storedRows<{ n: number }>(suite.server, 'select count(*) as n from update_log where report_id = ?', archiveId);
    const [before] = await stored();
    const sectionsPath = `/api/reports/${archiveId}/sections`;
    for (const [path, body] of [
      [`${sectionsPath}/requests/lock`, undefined],
      [`${sectionsPath}/requests/assign`, { department: 'finance' }],
      [`/api/reports/${archiveId}/publications`, { note: '', acknowledge: [] }],
      [`/api/reports/${archiveId}/comments`, { sectionId: 'requests', text: '意见' }],
    ] as const) {
      const answer = await callApi(suite, 'POST', path, { as: 'lead', body });
      expect([path, answer.status, answer.json?.error?.code]).toEqual([path, 409, 'report-archived']);
    }
    const client = connectClient(suite.server.wsUrl, archiveId, await suite.cookieOf('lead'));
    await client.synced;
    const closed = waitForClose(client.provider);
    sectionText(client.body, 'requests').insert(0, '篡改');
    const { code, reason } = await closed;
    client.destroy();
    expect(code).toBe(4403);
    expect(reason).toContain('archived');
    expect(await stored()).toEqual([before]);
  });
});
