/**
 * Every refusal the product explains to a person: a stable code, the parameters that make it
 * specific, and how it reads in each language. The server answers `{ error: { code, message,
 * params } }` (the message in Chinese with the English after it, for scripts and logs); the
 * browser shows `describeError(code, params, language)` in the language the user chose.
 */

export type Language = 'zh' | 'en';

type Texts<P> = { zh: (params: P) => string; en: (params: P) => string };
type NoParams = Record<never, never>;
const texts = <P extends Record<string, string | number>>(zh: (params: P) => string, en: (params: P) => string): Texts<P> => ({ zh, en });
const plain = (zh: string, en: string): Texts<NoParams> => ({ zh: () => zh, en: () => en });

/** What only the lead office may do, named as the refusal says it. */
const leadActions = {
  assign: ['分配章节', 'assign sections'],
  deadline: ['设置截止日期', 'set deadlines'],
  lock: ['锁定章节', 'lock sections'],
  unlock: ['解锁章节', 'unlock sections'],
  approve: ['审核通过章节', 'approve sections'],
  return: ['退回章节', 'return sections'],
  restore: ['恢复历史版本', 'restore earlier versions'],
  'add-section': ['添加章节', 'add sections'],
  'remove-section': ['删除章节', 'remove sections'],
  'move-section': ['调整章节顺序', 'reorder sections'],
  'retitle-section': ['修改章节标题', 'rename sections'],
  audit: ['查看审计日志', 'read the audit log'],
  'previous-figures': ['录入上年数据', 'enter last year’s figures'],
  'report-level': ['设置报告主体层级', 'set who writes the report'],
  'create-report': ['新建报告', 'create reports'],
  import: ['导入报告', 'import reports'],
  'unit-tables': ['设置分单位汇总表', 'set up the unit tables'],
  publish: ['发布报告', 'publish'],
  redeliver: ['重新推送', 'send a publication again'],
  accounts: ['管理部门与用户', 'manage departments and users'],
  remind: ['催办', 'send reminders'],
} as const satisfies Record<string, readonly [string, string]>;

export type LeadAction = keyof typeof leadActions;

export const errorTexts = {
  // Signing in and connections
  'login-required': plain('请先登录', 'Please log in first'),
  'credentials-required': plain('请填写用户名和密码', 'Username and password are required'),
  'wrong-credentials': plain('用户名或密码错误', 'Wrong username or password'),
  'too-many-attempts': texts<{ seconds: number }>(
    ({ seconds }) => `密码错误次数过多，请 ${seconds} 秒后再试`,
    ({ seconds }) => `Too many wrong passwords: try again in ${seconds} s`,
  ),
  'too-many-connections': texts<{ limit: number; per: 'login' | 'user' }>(
    ({ limit, per }) => (per === 'login' ? `此浏览器已打开 ${limit} 个协作连接，请关闭不用的报告页面` : `您已在各处打开 ${limit} 个协作连接，请关闭不用的报告页面`),
    ({ limit, per }) => `Too many open reports: at most ${limit} connections per ${per}; close the report pages you are not using`,
  ),

  'weak-password': texts<{ reason: 'too-short' | 'one-kind' | 'is-username'; min: number }>(
    ({ reason, min }) => (reason === 'too-short' ? `密码至少 ${min} 个字符` : reason === 'one-kind' ? '密码须含字母、数字、符号中的至少两类' : '密码不能包含用户名'),
    ({ reason, min }) => (reason === 'too-short' ? `A password has at least ${min} characters` : reason === 'one-kind' ? 'A password mixes at least two of letters, digits and symbols' : 'A password may not contain the username'),
  ),
  'password-change-required': plain('请先设置您自己的密码', 'Choose your own password first'),
  'wrong-current-password': plain('当前密码不正确', 'The current password is wrong'),
  'same-password': plain('新密码不能与当前密码相同', 'The new password must differ from the current one'),
  'account-deactivated': plain('此账号已停用，请联系管理员', 'This account is deactivated: ask an administrator'),
  'username-taken': texts<{ username: string }>(({ username }) => `用户名 ${username} 已被使用`, ({ username }) => `The username ${username} is taken`),
  'user-not-found': texts<{ username: string }>(({ username }) => `没有用户 ${username}`, ({ username }) => `No user ${username}`),
  'department-name-taken': texts<{ name: string }>(({ name }) => `部门 ${name} 已存在`, ({ name }) => `A department named ${name} exists`),
  'already-initialised': texts<{ district: string }>(({ district }) => `已经初始化：${district}`, ({ district }) => `Already set up: ${district}`),
  'not-initialised': plain('尚未初始化，请先运行 npm run admin -- init', 'Not set up yet: run npm run admin -- init first'),

  // Who may do what
  'lead-office-only': texts<{ action: LeadAction }>(
    ({ action }) => `只有政府办可以${leadActions[action][0]}`,
    ({ action }) => `Only the lead office may ${leadActions[action][1]}`,
  ),
  'not-your-section': texts<{ section: string }>(({ section }) => `章节 ${section} 不由您负责，不能提交`, ({ section }) => `Section ${section} is not yours to submit`),
  'read-only-user': plain('只读用户不能发表意见', 'Read-only users cannot comment'),
  'may-not-resolve': plain('只有政府办、意见作者或章节所属部门可以标记解决', 'Only the lead office, the author or the section’s department may resolve this'),

  // What is not there
  'report-not-found': texts<{ report: string }>(({ report }) => `报告不存在或无权访问：${report}`, ({ report }) => `No such report, or not yours to see: ${report}`),
  'section-not-found': texts<{ section: string }>(({ section }) => `没有章节 ${section}`, ({ section }) => `No section ${section}`),
  'section-not-in-version': texts<{ section: string; seq: number }>(
    ({ section, seq }) => `第 ${seq} 版中没有章节 ${section}`,
    ({ section, seq }) => `Version ${seq} has no section ${section}`,
  ),
  'version-not-found': texts<{ seq: number }>(({ seq }) => `没有第 ${seq} 版`, ({ seq }) => `There is no version ${seq}`),
  'suggestion-not-found': texts<{ section: string }>(({ section }) => `章节 ${section} 中没有这些修改建议`, ({ section }) => `No such suggestions in section ${section}`),
  'suggestion-outdated': texts<{ quote: string; current: string }>(
    ({ quote, current }) => `建议修改的原文「${quote}」已被改为「${current}」，不能再接受这条建议`,
    ({ quote, current }) => `The text the suggestion replaces, “${quote}”, now reads “${current}”: it can no longer be accepted`,
  ),
  'notification-not-found': texts<{ notification: string }>(({ notification }) => `您没有这条通知：${notification}`, ({ notification }) => `You have no notification ${notification}`),
  'nothing-overdue': plain('没有逾期未完成的部门，请选择要催办的部门', 'No department is late: choose the departments to remind'),
  'reminder-message-length': texts<{ max: number }>(({ max }) => `催办说明不能超过 ${max} 字`, ({ max }) => `A reminder’s message has at most ${max} characters`),
  'comment-not-found': texts<{ comment: string }>(({ comment }) => `没有这条意见：${comment}`, ({ comment }) => `No such comment in this section: ${comment}`),
  'publication-not-found': texts<{ publication: string }>(({ publication }) => `本报告没有这个版本：${publication}`, ({ publication }) => `This report has no publication ${publication}`),
  'format-not-found': texts<{ format: string; formats: string }>(({ format, formats }) => `没有这个格式：${format}，可用的格式：${formats}`, ({ format, formats }) => `No format ${format} (formats: ${formats})`),

  // The workflow's states
  'section-locked': texts<{ section: string }>(({ section }) => `章节 ${section} 已锁定，请先解锁`, ({ section }) => `Section ${section} is locked: unlock it first`),
  'section-already-submitted': texts<{ section: string }>(({ section }) => `章节 ${section} 已提交`, ({ section }) => `Section ${section} is already submitted`),
  'section-already-approved': texts<{ section: string }>(({ section }) => `章节 ${section} 已审核通过`, ({ section }) => `Section ${section} is already approved`),
  'section-not-submitted': texts<{ section: string }>(({ section }) => `章节 ${section} 尚未提交，无需退回`, ({ section }) => `Section ${section} has not been submitted: nothing to return`),
  'section-id-taken': texts<{ section: string }>(({ section }) => `章节编号 ${section} 已存在`, ({ section }) => `Section id ${section} is in use`),
  'last-section': plain('报告至少要有一个章节', 'A report keeps at least one section'),
  'report-exists': texts<{ year: number }>(({ year }) => `${year}年度报告已存在`, ({ year }) => `A ${year} report already exists`),
  'previous-report-in-system': texts<{ title: string }>(
    ({ title }) => `上年报告《${title}》已在系统中，上年数据取自该报告，无需录入`,
    ({ title }) => `Last year's report (${title}) is in the system: its figures are used, nothing to enter`,
  ),
  'format-without-units': texts<{ format: string }>(({ format }) => `${format}没有分单位汇总的附表`, ({ format }) => `${format} has no roll-up tables`),
  'only-failed-delivery': plain('只有推送失败的版本可以重新推送', 'Only a failed delivery can be sent again'),

  // Publishing
  'publish-blocked': texts<{ errors: number; sections: number }>(
    ({ errors, sections }) => `尚不能发布：${errors} 项错误，${sections} 个章节未审定`,
    ({ errors, sections }) => `Cannot publish yet: ${errors} errors, ${sections} sections not approved`,
  ),
  'warnings-not-acknowledged': texts<{ rules: string }>(({ rules }) => `请确认以下提醒后再发布：${rules}`, ({ rules }) => `Acknowledge these warnings before publishing: ${rules}`),
  'note-required': texts<{ version: number }>(({ version }) => `第 ${version} 版是更正，请写明更正说明`, ({ version }) => `Version ${version} is a correction: it needs a note`),
  'pdf-unavailable': texts<{ detail: string }>(
    ({ detail }) => `无法生成 PDF：Chromium 不可用，请安装 chromium 与 fonts-noto-cjk，或设置 CHROMIUM_PATH。${detail}`,
    ({ detail }) => `Cannot make the PDF: Chromium is unavailable; install chromium and fonts-noto-cjk or set CHROMIUM_PATH (${detail})`,
  ),

  // What a person typed
  'comment-required': plain('退回时请写明修改意见', 'Say what to change when returning a section'),
  'comment-length': texts<{ max: number }>(({ max }) => `意见内容须为 1–${max} 字`, ({ max }) => `A comment is 1–${max} characters`),
  'title-length': texts<{ max: number }>(({ max }) => `标题须为 1–${max} 字`, ({ max }) => `A title is 1–${max} characters`),
  'deadline-format': plain('截止日期格式应为 YYYY-MM-DD', 'A deadline is written YYYY-MM-DD'),
  'no-such-date': texts<{ date: string }>(({ date }) => `没有这一天：${date}`, ({ date }) => `No such date: ${date}`),
  'section-id-format': texts<{ pattern: string }>(({ pattern }) => `章节编号须匹配 ${pattern}`, ({ pattern }) => `A section id matches ${pattern}`),
  'department-required': plain('请指定部门', 'Name a department'),
  'department-unknown': texts<{ department: string }>(({ department }) => `没有这个部门：${department}`, ({ department }) => `No department ${department}`),
  'format-unknown': texts<{ format: string; formats: string }>(({ format, formats }) => `未知格式：${format}，可用的格式：${formats}`, ({ format, formats }) => `Unknown format ${format} (formats: ${formats})`),
  'format-not-for-year': texts<{ year: number; format: string; expected: string }>(
    ({ year, expected }) => `${year}年度报告须使用 ${expected} 格式`,
    ({ year, format, expected }) => `A ${year} report uses ${expected}, not ${format}`,
  ),
  'unit-section-missing': texts<{ unit: string; section: string }>(({ unit, section }) => `单位 ${unit} 的章节 ${section} 不存在`, ({ unit, section }) => `Unit ${unit}: no section ${section}`),
  'previous-figures-invalid': texts<{ detail: string }>(({ detail }) => `上年数据格式有误：${detail}`, ({ detail }) => `Last year's figures are malformed: ${detail}`),
  'no-report-last-year': texts<{ year: number }>(
    ({ year }) => `系统中没有 ${year} 年度的报告，无法沿用上年内容（可先导入该年度已发布的报告）`,
    ({ year }) => `There is no ${year} report to start from (import the one published that year first)`,
  ),
  'may-not-write-section': texts<{ section: string; why: 'read-only' | 'locked' | 'not-yours' }>(
    ({ section, why }) => `不能向章节 ${section} 导入草稿：${why === 'locked' ? '该章节已锁定' : why === 'not-yours' ? '该章节不由您的部门负责' : '只读用户不能修改报告'}`,
    ({ section, why }) => `Cannot bring a draft into section ${section}: ${why === 'locked' ? 'it is locked' : why === 'not-yours' ? 'it is not your department’s' : 'read-only users change nothing'}`,
  ),
  'report-archived': texts<{ title: string }>(
    ({ title }) => `「${title}」是导入的归档报告，只能查看，不能修改`,
    ({ title }) => `"${title}" is an imported archive: it can be read, not changed`,
  ),

  // Importing a published report or a draft
  'import-file-required': plain('请选择要导入的文件（表单字段 file）', 'Choose a file to import (form field "file")'),
  'import-type-unsupported': texts<{ name: string; types: string }>(
    ({ name, types }) => `不能导入「${name}」：只接受 ${types} 文件${/\.(doc|wps)$/i.test(name) ? '（请在 Word 或 WPS 中另存为 .docx）' : ''}`,
    ({ name, types }) => `Cannot import "${name}": only ${types} files are read${/\.(doc|wps)$/i.test(name) ? ' (save it as .docx in Word or WPS)' : ''}`,
  ),
  'import-too-large': texts<{ max: string }>(({ max }) => `导入文件过大，上限为 ${max}`, ({ max }) => `The file is too large to import: at most ${max}`),
  'import-unreadable': texts<{ name: string; detail: string }>(
    ({ name, detail }) => `无法读取「${name}」，文件可能已损坏或类型不符：${detail}`,
    ({ name, detail }) => `Cannot read "${name}": the file may be damaged or of another type (${detail})`,
  ),
  'import-no-text': texts<{ name: string }>(
    ({ name }) => `「${name}」中没有可读取的文字（扫描件请先进行文字识别）`,
    ({ name }) => `"${name}" has no text to read (run text recognition on scanned pages first)`,
  ),

  // Requests the server does not take from anyone
  'foreign-origin': texts<{ origin: string }>(({ origin }) => `拒绝来自其他网站的请求：${origin}`, ({ origin }) => `Refused: the request comes from another site (${origin})`),
  'body-too-large': texts<{ max: string }>(({ max }) => `请求内容过大，上限为 ${max}`, ({ max }) => `The request body is too large: at most ${max}`),
  'unsupported-content-type': texts<{ type: string }>(({ type }) => `不接受这种请求格式：${type}`, ({ type }) => `This content type is not accepted: ${type}`),

  'metrics-forbidden': plain('指标仅对本机或持有令牌者开放', 'Metrics are open to this machine, or with METRICS_TOKEN'),

  // A request no page of the product sends: the detail is for whoever wrote the script
  'invalid-request': texts<{ detail: string }>(({ detail }) => `请求有误：${detail}`, ({ detail }) => `Invalid request: ${detail}`),

  // Storage trouble, no fault of the caller's
  'database-busy': texts<{ waited: string }>(
    ({ waited }) => `数据库正被其他程序占用，已等待 ${waited} 秒，请稍后重试`,
    ({ waited }) => `The database is locked by another process; try again shortly (waited ${waited} s)`,
  ),
  'report-unreadable': texts<{ part: string }>(
    ({ part }) => `报告数据损坏，已暂停编辑，请联系管理员：${part}`,
    ({ part }) => `Report data unreadable: ${part}`,
  ),
  // Several server processes: the one deciding the report's changes is being replaced
  'report-moving': texts<{ seconds: number }>(
    ({ seconds }) => `报告正转由另一服务器进程处理，请 ${seconds} 秒后重试`,
    ({ seconds }) => `The report is moving to another server process; try again in ${seconds} s`,
  ),
} satisfies Record<string, Texts<never>>;

export type ErrorCode = keyof typeof errorTexts;
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof errorTexts)[C]['zh']>[0];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorTexts, code);
}

export function describeError<C extends ErrorCode>(code: C, params: ErrorParams<C>, language: Language): string {
  return (errorTexts[code][language] as (params: ErrorParams<C>) => string)(params);
}

/**
 * A refusal of the product's own rules, thrown by domain code and routes alike; how it travels
 * (an HTTP status, a close reason) is for the layer that answers to decide.
 */
export class ReportError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    readonly params: ErrorParams<C>,
  ) {
    super(`${describeError(code, params, 'zh')}（${describeError(code, params, 'en')}）`);
    this.name = 'ReportError';
  }
}

/** Shorthand: `throw refuse('section-locked', { section })`. */
export function refuse<C extends ErrorCode>(code: C, params: ErrorParams<C>): ReportError<C> {
  return new ReportError(code, params);
}

/** A request no page of the product sends (a script's mistake): the detail says what is wrong with it. */
export const invalidRequest = (detail: string) => new ReportError('invalid-request', { detail });
