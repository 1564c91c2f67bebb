import type { Env } from '../../env';
import type { Logger } from '../logger';
import { describeError } from '../logger';
import { cloudflareSender } from './cloudflare';
import { httpApiSender, type EmailApiFormat } from './http-api';
import { outboxSender } from './outbox';
import type { EmailMessage, EmailSender, EmailTransport } from './types';

type MailerEnv = Pick<Env, 'APP_ENV' | 'CACHE' | 'EMAIL_FROM' | 'EMAIL_TRANSPORT' | 'EMAIL_API_URL' | 'EMAIL_API_FORMAT' | 'EMAIL_API_KEY' | 'SEND_EMAIL'>;

const DEFAULT_FROM = 'AegisX <no-reply@localhost>';

/** The transport the environment asks for (see EMAIL_TRANSPORT in env.ts). */
export function emailTransport(env: MailerEnv): EmailTransport {
  const chosen = env.EMAIL_TRANSPORT?.trim();
  if (chosen === 'outbox' || chosen === 'http' || chosen === 'cloudflare') return chosen;
  if (chosen) throw new Error(`EMAIL_TRANSPORT must be outbox, http or cloudflare, not "${chosen}"`);
  if (env.APP_ENV !== 'production') return 'outbox';
  return env.EMAIL_API_URL ? 'http' : 'cloudflare';
}

/** A sender whose every message fails with `error` (a configuration problem, logged per message). */
const failing = (transport: EmailTransport, error: Error): EmailSender => ({ transport, send: () => Promise.reject(error) });

/** The email sender for this environment. It never throws: a misconfiguration fails each send instead. */
export function createMailer(env: MailerEnv, deps: { fetch?: typeof fetch } = {}): EmailSender {
  const from = env.EMAIL_FROM || DEFAULT_FROM;
  let transport: EmailTransport;
  try {
    transport = emailTransport(env);
  } catch (error) {
    return failing('outbox', error as Error);
  }
  switch (transport) {
    case 'outbox':
      if (env.APP_ENV === 'production') return failing(transport, new Error('the outbox transport is not available in production'));
      return outboxSender(env.CACHE, from);
    case 'http': {
      if (!env.EMAIL_API_URL || !env.EMAIL_API_KEY) return failing(transport, new Error('the http email transport needs EMAIL_API_URL and EMAIL_API_KEY'));
      const format: EmailApiFormat = env.EMAIL_API_FORMAT === 'postmark' ? 'postmark' : 'resend';
      return httpApiSender({ url: env.EMAIL_API_URL, apiKey: env.EMAIL_API_KEY, from, format, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    }
    case 'cloudflare':
      if (!env.SEND_EMAIL) return failing(transport, new Error('the cloudflare email transport needs a send_email binding named SEND_EMAIL'));
      return cloudflareSender(env.SEND_EMAIL, from);
  }
}

export interface MailContext {
  env: MailerEnv;
  logger: Logger;
  requestId: string;
  now: Date;
  waitUntil: (promise: Promise<unknown>) => void;
}

/**
 * Sends after the response (`waitUntil`): the request that caused the email neither waits for it
 * nor fails with it. A failed send is logged (with the request id, which the logger carries);
 * the recipient's address is not logged.
 */
export function queueEmail(ctx: MailContext, message: EmailMessage, sender: EmailSender = createMailer(ctx.env)): void {
  ctx.waitUntil(deliver(ctx, message, sender));
}

/** One send, resolved either way: success logged at info, failure at error. */
export async function deliver(ctx: Pick<MailContext, 'logger' | 'requestId' | 'now'>, message: EmailMessage, sender: EmailSender): Promise<boolean> {
  try {
    await sender.send(message, { requestId: ctx.requestId, now: ctx.now });
    ctx.logger.info('email sent', { template: message.template, transport: sender.transport });
    return true;
  } catch (error) {
    ctx.logger.error('email send failed', { template: message.template, transport: sender.transport, ...describeError(error) });
    return false;
  }
}
