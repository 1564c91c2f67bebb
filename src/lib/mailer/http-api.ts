import type { EmailMessage, EmailSender } from './types';

export type EmailApiFormat = 'resend' | 'postmark';

export interface HttpApiOptions {
  url: string;
  apiKey: string;
  from: string;
  format: EmailApiFormat;
  /** Milliseconds before the call is abandoned (and logged as a failure). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function request(options: HttpApiOptions, message: EmailMessage): { headers: Record<string, string>; body: unknown } {
  if (options.format === 'postmark') {
    return {
      headers: { 'X-Postmark-Server-Token': options.apiKey, Accept: 'application/json' },
      body: { From: options.from, To: message.to, Subject: message.subject, TextBody: message.text, HtmlBody: message.html, Tag: message.template, MessageStream: 'outbound' },
    };
  }
  return {
    headers: { Authorization: `Bearer ${options.apiKey}` },
    body: { from: options.from, to: [message.to], subject: message.subject, text: message.text, html: message.html, tags: [{ name: 'template', value: message.template }] },
  };
}

/**
 * The production transport for an HTTP email API: one JSON POST per message, in Resend's shape
 * (`Authorization: Bearer`, `{from, to, subject, text, html}`) or Postmark's
 * (`X-Postmark-Server-Token`, `{From, To, Subject, TextBody, HtmlBody}`). A non-2xx answer rejects.
 */
export function httpApiSender(options: HttpApiOptions): EmailSender {
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return {
    transport: 'http',
    async send(message: EmailMessage) {
      const { headers, body } = request(options, message);
      const response = await send(options.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        const detail = (await response.text().catch(() => '')).slice(0, 200);
        throw new Error(`email API answered ${response.status}${detail ? `: ${detail}` : ''}`);
      }
    },
  };
}
