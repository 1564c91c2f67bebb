export { cloudflareSender, parseMailbox } from './cloudflare';
export { httpApiSender, type EmailApiFormat, type HttpApiOptions } from './http-api';
export { createMailer, deliver, emailTransport, queueEmail, type MailContext } from './mailer';
export { listOutbox, OUTBOX_PREFIX, OUTBOX_TTL_SECONDS, outboxSender, type OutboxMessage } from './outbox';
export {
  actionLink,
  apiKeyCreatedMessage,
  emailChangedByAdministratorMessage,
  emailChangeRequestedMessage,
  FRONTEND_PATHS,
  passwordChangedMessage,
  passwordResetMessage,
  renderEmail,
  twoFactorChangedMessage,
  type EmailLayout,
  verifyEmailMessage,
} from './templates';
export type { EmailMessage, EmailSender, EmailTransport, SendMeta } from './types';
