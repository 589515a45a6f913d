import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Language = 'zh' | 'en';

const zh = {
  appTitle: '政府信息公开年度报告协同编辑',
  username: '用户名',
  password: '密码',
  login: '登录',
  loggingIn: '正在登录…',
  logout: '退出',
  loginFailed: '登录失败',
  switchLanguage: 'English',
  reports: '报告列表',
  noReports: '暂无可访问的报告',
  year: '年度',
  format: '格式',
  open: '打开',
  backToReports: '返回报告列表',
  loading: '正在加载…',
  connecting: '正在连接…',
  connected: '已连接',
  disconnected: '连接中断，正在重连…',
  presence: '在线协作者',
  nobodyElse: '暂无其他人在线',
  inSection: '正在编辑',
  you: '（我）',
  unassigned: '未分配',
  stateDraft: '草稿',
  stateSubmitted: '已提交',
  stateApproved: '已审定',
  stateReturned: '已退回',
  locked: '已锁定',
  bold: '加粗',
  italic: '斜体',
  heading: '小标题',
  bulletList: '项目符号列表',
  orderedList: '编号列表',
  insertTable: '插入表格',
  undo: '撤销',
  redo: '重做',
  refusedEdit: '服务器拒绝了一次修改，已重新载入报告：',
  sessionEnded: '登录已失效，请重新登录。',
  serverError: '服务器暂时无法保存，正在重新连接：',
  outline: '目录',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appTitle: 'Annual Report Collaborative Editor',
  username: 'Username',
  password: 'Password',
  login: 'Log in',
  loggingIn: 'Logging in…',
  logout: 'Log out',
  loginFailed: 'Login failed',
  switchLanguage: '中文',
  reports: 'Reports',
  noReports: 'No reports available to you',
  year: 'Year',
  format: 'Format',
  open: 'Open',
  backToReports: 'Back to reports',
  loading: 'Loading…',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Connection lost, reconnecting…',
  presence: 'Online now',
  nobodyElse: 'Nobody else is here',
  inSection: 'editing',
  you: ' (you)',
  unassigned: 'Unassigned',
  stateDraft: 'Draft',
  stateSubmitted: 'Submitted',
  stateApproved: 'Approved',
  stateReturned: 'Returned',
  locked: 'Locked',
  bold: 'Bold',
  italic: 'Italic',
  heading: 'Sub-heading',
  bulletList: 'Bulleted list',
  orderedList: 'Numbered list',
  insertTable: 'Insert table',
  undo: 'Undo',
  redo: 'Redo',
  refusedEdit: 'The server refused an edit; the report was reloaded: ',
  sessionEnded: 'Your session has ended. Please log in again.',
  serverError: 'The server could not store an edit, reconnecting: ',
  outline: 'Contents',
};

const messages: Record<Language, Record<MessageKey, string>> = { zh, en };

interface I18n {
  language: Language;
  t: (key: MessageKey) => string;
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'report-editor-language';

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh'));
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo<I18n>(() => ({ language, setLanguage, t: (key) => messages[language][key] }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
