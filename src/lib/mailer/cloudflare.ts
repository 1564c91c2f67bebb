import type { EmailMessage, EmailSender } from './types';

/** `Name <address>` or a bare address, as the `send_email` binding takes it. */
export function parseMailbox(value: string): string | { name: string; email: string } {
  const match = value.match(/^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/);
  return match && match[1] ? { name: match[1], email: match[2]!.trim() } : (match?.[2] ?? value).trim();
}

/** The production transport on Cloudflare's `send_email` binding (Email Service), text and HTML. */
export function cloudflareSender(binding: SendEmail, from: string): EmailSender {
  return {
    transport: 'cloudflare',
    async send(message: EmailMessage) {
      await binding.send({ from: parseMailbox(from), to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
  };
}
