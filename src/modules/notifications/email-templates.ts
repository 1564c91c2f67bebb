import { actionLink, FRONTEND_PATHS, renderEmail, type EmailMessage } from '../../lib/mailer';

/*
 * The emails of notifications: one notification, or a daily or weekly digest of several, in the
 * recipient's language where a translation exists (English otherwise). Every email links to the
 * notification preferences, where the user turns these emails off.
 */

export const NOTIFICATION_TEMPLATE = 'notification';
export const DIGEST_TEMPLATE = 'notification_digest';

const PRODUCT = 'AegisX';

interface Strings {
  locale: string;
  greeting: (name: string | null) => string;
  subject: (title: string) => string;
  open: string;
  footer: string;
  preferences: string;
  buttonFallback: string;
  digestSubject: (period: 'daily' | 'weekly', count: number) => string;
  digestIntro: (period: 'daily' | 'weekly', count: number, until: string) => string;
  inbox: string;
  more: (count: number) => string;
}

const STRINGS: Record<string, Strings> = {
  en: {
    locale: 'en-GB',
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    subject: (title) => `${PRODUCT}: ${title}`,
    open: 'Open',
    footer: 'You receive this email because email notifications are on for this kind of notification.',
    preferences: 'Change your notification emails',
    buttonFallback: 'If the button does not work, open this link:',
    digestSubject: (period, count) => `Your ${PRODUCT} ${period} digest: ${count} notification${count === 1 ? '' : 's'}`,
    digestIntro: (period, count, until) =>
      period === 'daily'
        ? `${count} notification${count === 1 ? '' : 's'} up to the end of ${until}:`
        : `${count} notification${count === 1 ? '' : 's'} in the week up to the end of ${until}:`,
    inbox: 'Open your notifications',
    more: (count) => `… and ${count} more`,
  },
  th: {
    locale: 'th-TH',
    greeting: (name) => (name ? `สวัสดีคุณ ${name}` : 'สวัสดี'),
    subject: (title) => `${PRODUCT}: ${title}`,
    open: 'เปิดดู',
    footer: 'คุณได้รับอีเมลนี้เพราะเปิดการแจ้งเตือนทางอีเมลสำหรับการแจ้งเตือนประเภทนี้ไว้',
    preferences: 'ตั้งค่าอีเมลแจ้งเตือน',
    buttonFallback: 'หากปุ่มใช้งานไม่ได้ ให้เปิดลิงก์นี้:',
    digestSubject: (period, count) => `สรุปการแจ้งเตือน${period === 'daily' ? 'ประจำวัน' : 'ประจำสัปดาห์'}ของ ${PRODUCT}: ${count} รายการ`,
    digestIntro: (period, count, until) =>
      period === 'daily' ? `การแจ้งเตือน ${count} รายการ จนถึงสิ้นวันที่ ${until}:` : `การแจ้งเตือน ${count} รายการ ในสัปดาห์ที่สิ้นสุดวันที่ ${until}:`,
    inbox: 'เปิดการแจ้งเตือนของคุณ',
    more: (count) => `… และอีก ${count} รายการ`,
  },
};

/** The strings of a language (`th`, `th-TH`…), English when there is no translation. */
export function stringsFor(language: string | null): Strings & { language: string } {
  const base = (language ?? 'en').toLowerCase().split(/[-_]/)[0]!;
  const found = STRINGS[base];
  return found ? { ...found, language: base } : { ...STRINGS.en!, language: 'en' };
}

/** A notification's action link as a URL: a path in the front end, or the https URL as given. */
export function notificationLink(frontendUrl: string, actionUrl: string | null): string | null {
  if (!actionUrl) return null;
  return actionUrl.startsWith('/') ? actionLink(frontendUrl, actionUrl) : actionUrl;
}

export interface Recipient {
  email: string;
  name: string | null;
  language: string | null;
  timeZone: string;
}

export interface EmailedNotification {
  title: string;
  message: string;
  actionUrl: string | null;
  createdAt: Date;
}

const paragraphs = (message: string) => message.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

export function notificationEmail(frontendUrl: string, to: Recipient, n: EmailedNotification): EmailMessage {
  const t = stringsFor(to.language);
  const link = notificationLink(frontendUrl, n.actionUrl);
  return renderEmail({
    to: to.email,
    template: NOTIFICATION_TEMPLATE,
    subject: t.subject(n.title),
    greeting: t.greeting(to.name),
    paragraphs: [n.title, ...paragraphs(n.message)],
    ...(link ? { action: { label: t.open, url: link } } : {}),
    footer: t.footer,
    footerLink: { label: t.preferences, url: actionLink(frontendUrl, FRONTEND_PATHS.notificationSettings) },
    language: t.language,
    buttonFallback: t.buttonFallback,
  });
}

/** Items listed in one digest at most; the rest is counted. */
const DIGEST_LISTED = 50;
const EXCERPT = 300;

/** `until` is the local date of the cut-off (YYYY-MM-DD): the digest covers what came before that day. */
export function digestEmail(frontendUrl: string, to: Recipient, period: 'daily' | 'weekly', until: string, items: EmailedNotification[]): EmailMessage {
  const t = stringsFor(to.language);
  const when = new Intl.DateTimeFormat(t.locale, { timeZone: to.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const dayBefore = new Intl.DateTimeFormat(t.locale, { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(Date.parse(`${until}T00:00:00Z`) - 86_400_000));
  const listed = items.slice(0, DIGEST_LISTED);
  return renderEmail({
    to: to.email,
    template: DIGEST_TEMPLATE,
    subject: t.digestSubject(period, items.length),
    greeting: t.greeting(to.name),
    paragraphs: [t.digestIntro(period, items.length, dayBefore), ...(items.length > listed.length ? [t.more(items.length - listed.length)] : [])],
    items: listed.map((n) => {
      const link = notificationLink(frontendUrl, n.actionUrl);
      const message = n.message.length > EXCERPT ? `${n.message.slice(0, EXCERPT)}…` : n.message;
      return { title: n.title, lines: [message, when.format(n.createdAt)], ...(link ? { link: { label: t.open, url: link } } : {}) };
    }),
    action: { label: t.inbox, url: actionLink(frontendUrl, FRONTEND_PATHS.notifications) },
    footer: t.footer,
    footerLink: { label: t.preferences, url: actionLink(frontendUrl, FRONTEND_PATHS.notificationSettings) },
    language: t.language,
    buttonFallback: t.buttonFallback,
  });
}
