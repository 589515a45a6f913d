import { useCallback, useEffect, useRef, useState } from 'react';
import { notificationText, type NotificationView } from '../../blocks/notifications.js';
import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import { navigate } from '../router.js';
import { formatDateTime } from '../publish/format.js';

/**
 * The user's notifications: a bell with the unread count in the top bar, and the list it opens.
 * New ones arrive live over the user's event stream on whatever page is open; the list is read
 * whenever the stream (re)connects, so nothing sent meanwhile is missed.
 */
export function NotificationBell() {
  const { t, language } = useI18n();
  const [notifications, setNotifications] = useState<NotificationView[]>([]);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);

  const reload = useCallback(() => {
    // Kept with what arrived live while the list was on its way.
    api.notifications().then((read) => setNotifications((live) => [...live.filter((known) => !read.some((fresh) => fresh.id === known.id)), ...read].sort((a, b) => b.createdAt - a.createdAt)), () => undefined);
  }, []);

  useEffect(() => {
    const source = new EventSource('/api/notifications/events');
    source.addEventListener('notification', (event: MessageEvent<string>) => {
      const { notification } = JSON.parse(event.data) as { notification: NotificationView };
      setNotifications((list) => (list.some((known) => known.id === notification.id) ? list : [notification, ...list]));
    });
    // Read the list once the stream listens (at first, and after every reconnect): nothing sent in between is missed.
    source.addEventListener('ready', reload);
    source.addEventListener('session-ended', () => source.close());
    return () => source.close();
  }, [reload]);

  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    const closeOutside = (event: MouseEvent) => panel.current && !panel.current.contains(event.target as Node) && setOpen(false);
    document.addEventListener('keydown', closeOnEscape);
    document.addEventListener('mousedown', closeOutside);
    return () => {
      document.removeEventListener('keydown', closeOnEscape);
      document.removeEventListener('mousedown', closeOutside);
    };
  }, [open]);

  const unread = notifications.filter((notification) => !notification.read).length;
  const markRead = (ids: string[]) => setNotifications((list) => list.map((notification) => (ids.includes(notification.id) ? { ...notification, read: true } : notification)));

  const openNotification = (notification: NotificationView) => {
    if (!notification.read) void api.readNotification(notification.id).then(() => markRead([notification.id]), () => undefined);
    setOpen(false);
    navigate(`/reports/${encodeURIComponent(notification.reportId)}`);
  };

  const readAll = () => {
    void api.readAllNotifications().then(() => markRead(notifications.map((notification) => notification.id)), () => undefined);
  };

  return (
    <div className="notification-bell" ref={panel}>
      <button
        type="button"
        className="link-button"
        data-testid="notification-bell"
        aria-expanded={open}
        aria-label={`${t('notifications')}${unread > 0 ? `（${unread} ${t('notificationsUnread')}）` : ''}`}
        onClick={() => setOpen(!open)}
      >
        {t('notifications')}
        {unread > 0 && (
          <span className="unread-count" data-testid="unread-count">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="notification-panel" role="region" aria-label={t('notifications')}>
          <div className="notification-panel-head">
            <strong>{t('notifications')}</strong>
            <button type="button" className="link-button" disabled={unread === 0} onClick={readAll}>
              {t('markAllRead')}
            </button>
          </div>
          {notifications.length === 0 ? (
            <p className="muted">{t('noNotifications')}</p>
          ) : (
            <ul>
              {notifications.map((notification) => (
                <li key={notification.id} className={notification.read ? 'is-read' : 'is-unread'} data-testid={`notification-${notification.kind}`}>
                  <button type="button" className="notification-item" onClick={() => openNotification(notification)}>
                    <span>{language === 'zh' ? notification.text : notificationText(notification.kind, notification.detail, language)}</span>
                    <time className="muted" dateTime={new Date(notification.createdAt).toISOString()}>
                      {formatDateTime(notification.createdAt, language)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
