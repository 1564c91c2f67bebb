import { createRouter } from '../../lib/router';
import { deleteNotificationHandler, deleteNotificationRoute } from './routes/delete-notification';
import { getNotificationHandler, getNotificationRoute } from './routes/get-notification';
import { getNotificationPreferencesHandler, getNotificationPreferencesRoute } from './routes/get-notification-preferences';
import { getUnreadCountHandler, getUnreadCountRoute } from './routes/get-unread-count';
import { listNotificationsHandler, listNotificationsRoute } from './routes/list-notifications';
import { markAllReadHandler, markAllReadRoute } from './routes/mark-all-read';
import { sendNotificationHandler, sendNotificationRoute } from './routes/send-notification';
import { updateNotificationHandler, updateNotificationRoute } from './routes/update-notification';
import { updateNotificationPreferencesHandler, updateNotificationPreferencesRoute } from './routes/update-notification-preferences';

/** Fixed paths (`unread-count`, `preferences`, `read-all`) are registered before `{id}`. */
export const notificationsRoutes = createRouter()
  .openapi(listNotificationsRoute, listNotificationsHandler)
  .openapi(sendNotificationRoute, sendNotificationHandler)
  .openapi(getUnreadCountRoute, getUnreadCountHandler)
  .openapi(markAllReadRoute, markAllReadHandler)
  .openapi(getNotificationPreferencesRoute, getNotificationPreferencesHandler)
  .openapi(updateNotificationPreferencesRoute, updateNotificationPreferencesHandler)
  .openapi(getNotificationRoute, getNotificationHandler)
  .openapi(updateNotificationRoute, updateNotificationHandler)
  .openapi(deleteNotificationRoute, deleteNotificationHandler);
