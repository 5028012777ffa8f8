/** Email: templates in zh-CN and en, the notification rows that queue them, and the SMTP or file transport. */
export { notificationStatuses, type NotificationStatus } from './vocabulary.js';
export {
  emailTemplates,
  ERASED_RECIPIENT,
  erasesRecipient,
  isEmailTemplate,
  renderEmail,
  type EmailTemplate,
  type TemplateParams,
} from './templates.js';
export { toEmail, type EmailSecrets, type RenderedEmail } from './render.js';
export {
  insertNotifications,
  notifyJobsOfInserted,
  queueNotification,
  type NewNotification,
  type NotificationRow,
} from './notifications.js';
export { createMailer, type Mailer, type OutgoingMail } from './transport.js';
