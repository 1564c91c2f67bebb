/** One email, as the templates build it. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What kind of message this is (e.g. `verify_email`), for logs and the dev outbox. */
  template: string;
}

/** Where a message came from: the request that caused it and its clock. */
export interface SendMeta {
  requestId: string;
  now: Date;
}

export type EmailTransport = 'outbox' | 'http' | 'cloudflare';

/** The one email-sending interface; every transport implements it. `send` rejects on failure. */
export interface EmailSender {
  readonly transport: EmailTransport;
  send(message: EmailMessage, meta: SendMeta): Promise<void>;
}
