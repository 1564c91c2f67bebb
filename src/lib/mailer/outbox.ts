import type { EmailMessage, EmailSender, SendMeta } from './types';

/**
 * Outbox messages live a day in KV, under `outbox:<13-digit ms timestamp>:<6-digit sequence>:<id>`:
 * the sequence orders the messages an isolate stores within one millisecond.
 */
export const OUTBOX_PREFIX = 'outbox:';
export const OUTBOX_TTL_SECONDS = 24 * 3600;

let sequence = 0;

export interface OutboxMessage extends EmailMessage {
  id: string;
  from: string;
  requestId: string;
  createdAt: string;
}

interface OutboxKeyMetadata {
  to: string;
  template: string;
}

/**
 * The development and test transport: every message is stored in KV (binding CACHE) instead of
 * being sent, and `GET /api/dev/outbox` lists them. Never used in production.
 */
export function outboxSender(kv: KVNamespace, from: string): EmailSender {
  return {
    transport: 'outbox',
    async send(message: EmailMessage, meta: SendMeta) {
      const id = crypto.randomUUID();
      const record: OutboxMessage = { id, from, ...message, requestId: meta.requestId, createdAt: meta.now.toISOString() };
      const metadata: OutboxKeyMetadata = { to: message.to.toLowerCase(), template: message.template };
      sequence = (sequence + 1) % 1_000_000;
      await kv.put(`${OUTBOX_PREFIX}${String(Date.now()).padStart(13, '0')}:${String(sequence).padStart(6, '0')}:${id}`, JSON.stringify(record), {
        expirationTtl: OUTBOX_TTL_SECONDS,
        metadata,
      });
    },
  };
}

/** The stored messages, newest first, optionally only those to one address or of one template. */
export async function listOutbox(kv: KVNamespace, filter: { to?: string; template?: string; limit: number }): Promise<OutboxMessage[]> {
  const to = filter.to?.toLowerCase();
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<OutboxKeyMetadata> = await kv.list<OutboxKeyMetadata>({ prefix: OUTBOX_PREFIX, ...(cursor ? { cursor } : {}) });
    for (const key of page.keys) {
      if (to && key.metadata?.to !== to) continue;
      if (filter.template && key.metadata?.template !== filter.template) continue;
      names.push(key.name);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const newest = names.sort().reverse().slice(0, filter.limit);
  const messages = await Promise.all(newest.map((name) => kv.get<OutboxMessage>(name, 'json')));
  return messages.filter((m): m is OutboxMessage => m !== null);
}
