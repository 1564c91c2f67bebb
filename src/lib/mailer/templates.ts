import type { EmailMessage } from './types';

/** Paths of the front end's pages that take a token from an email link, and the notification pages. */
export const FRONTEND_PATHS = {
  verifyEmail: '/auth/verify-email',
  resetPassword: '/auth/reset-password',
  security: '/settings/security',
  notifications: '/notifications',
  notificationSettings: '/settings/notifications',
  apiKeys: '/settings/api-keys',
} as const;

const PRODUCT = 'AegisX';

/** `${frontendUrl}${path}?token=…`, whatever the trailing slashes of the configured base URL. */
export function actionLink(frontendUrl: string, path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${frontendUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

const escapeHtml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export interface EmailLayout {
  to: string;
  template: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** A list after the paragraphs (a digest's notifications), each with an optional link. */
  items?: { title: string; lines: string[]; link?: { label: string; url: string } }[];
  action?: { label: string; url: string };
  footer: string;
  /** A link under the footer (the notification preferences). */
  footerLink?: { label: string; url: string };
  /** The `lang` of the HTML (default `en`). */
  language?: string;
  /** The fallback line under the button (default in English). */
  buttonFallback?: string;
}

/** One message in plain text and in HTML from the same parts (every dynamic value escaped in HTML). */
export function renderEmail(parts: EmailLayout): EmailMessage {
  const items = parts.items ?? [];
  const text = [
    parts.greeting,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...items.flatMap((item) => [`* ${item.title}`, ...item.lines.map((l) => `  ${l}`), ...(item.link ? [`  ${item.link.label}: ${item.link.url}`] : []), '']),
    ...(parts.action ? [`${parts.action.label}: ${parts.action.url}`, ''] : []),
    parts.footer,
    ...(parts.footerLink ? [`${parts.footerLink.label}: ${parts.footerLink.url}`] : []),
    '',
    `— ${PRODUCT}`,
  ].join('\n');
  const button = parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="background:#1976d2;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(parts.action.label)}</a></p>
<p style="font-size:13px;color:#555555">${escapeHtml(parts.buttonFallback ?? 'If the button does not work, open this link:')} <a href="${escapeHtml(parts.action.url)}">${escapeHtml(parts.action.url)}</a></p>`
    : '';
  const list = items.length
    ? `<ul style="padding-left:20px">
${items
  .map(
    (item) =>
      `<li style="margin-bottom:12px"><strong>${escapeHtml(item.title)}</strong>${item.lines.map((l) => `<br>${escapeHtml(l)}`).join('')}${item.link ? `<br><a href="${escapeHtml(item.link.url)}">${escapeHtml(item.link.label)}</a>` : ''}</li>`,
  )
  .join('\n')}
</ul>`
    : '';
  const footerLink = parts.footerLink ? ` <a href="${escapeHtml(parts.footerLink.url)}">${escapeHtml(parts.footerLink.label)}</a>` : '';
  const html = `<!doctype html>
<html lang="${escapeHtml(parts.language ?? 'en')}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#212121;max-width:560px;margin:0 auto;padding:24px">
<p>${escapeHtml(parts.greeting)}</p>
${parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${list ? `${list}\n` : ''}${button}
<p style="font-size:13px;color:#555555">${escapeHtml(parts.footer)}${footerLink}</p>
<p>— ${PRODUCT}</p>
</body></html>
`;
  return { to: parts.to, subject: parts.subject, text, html, template: parts.template };
}

const greet = (name: string | null | undefined) => (name ? `Hello ${name},` : 'Hello,');
const ignore = 'If you did not ask for this, you can ignore this email.';
const unexpected = 'If this was not you, reset your password at once and review your sessions.';

export function verifyEmailMessage(input: { to: string; name: string | null; link: string; validHours: number; change: boolean }): EmailMessage {
  return renderEmail({
    to: input.to,
    template: 'verify_email',
    subject: input.change ? `Confirm your new ${PRODUCT} email address` : `Verify your ${PRODUCT} email address`,
    greeting: greet(input.name),
    paragraphs: [
      input.change
        ? `Confirm that ${input.to} is the new email address of your ${PRODUCT} account. Your current address stays in use until you do.`
        : `Confirm that ${input.to} is your email address to finish setting up your ${PRODUCT} account.`,
      `The link works once and expires in ${input.validHours} hours.`,
    ],
    action: { label: input.change ? 'Confirm the new address' : 'Verify my email', url: input.link },
    footer: ignore,
  });
}

export function passwordResetMessage(input: { to: string; name: string | null; link: string; validMinutes: number }): EmailMessage {
  return renderEmail({
    to: input.to,
    template: 'password_reset',
    subject: `Reset your ${PRODUCT} password`,
    greeting: greet(input.name),
    paragraphs: [
      `Someone asked to reset the password of the ${PRODUCT} account for ${input.to}.`,
      `The link works once and expires in ${input.validMinutes} minutes. Resetting signs you out of every device.`,
    ],
    action: { label: 'Choose a new password', url: input.link },
    footer: ignore,
  });
}

export function passwordChangedMessage(input: {
  to: string;
  name: string | null;
  how: 'reset' | 'change';
  /** Other sessions signed out by a change (a reset signs out every one). */
  otherSessionsRevoked?: boolean;
  revokedApiKeys: number;
  securityUrl: string;
}): EmailMessage {
  const keys = input.revokedApiKeys > 0 ? ` Your ${input.revokedApiKeys} API key${input.revokedApiKeys === 1 ? ' was' : 's were'} revoked: create new ones where you need them.` : '';
  return renderEmail({
    to: input.to,
    template: 'password_changed',
    subject: `Your ${PRODUCT} password was changed`,
    greeting: greet(input.name),
    paragraphs: [
      input.how === 'reset'
        ? `Your password was reset with an email link: every device was signed out, and pending sign-in, reset and verification links no longer work.${keys}`
        : `Your password was changed${input.otherSessionsRevoked === false ? '' : ', and every other device was signed out'}; pending sign-in and reset links no longer work.${keys}`,
      unexpected,
    ],
    action: { label: 'Review account security', url: input.securityUrl },
    footer: 'You receive this notice whenever your password changes.',
  });
}

export function emailChangeRequestedMessage(input: { to: string; name: string | null; newEmail: string; securityUrl: string }): EmailMessage {
  return renderEmail({
    to: input.to,
    template: 'email_change_requested',
    subject: `A new email address was requested for your ${PRODUCT} account`,
    greeting: greet(input.name),
    paragraphs: [
      `Someone asked to change the email address of your ${PRODUCT} account to ${input.newEmail}. Nothing changes until the new address is confirmed.`,
      unexpected,
    ],
    action: { label: 'Review account security', url: input.securityUrl },
    footer: 'You receive this notice at your current address whenever a change is requested.',
  });
}

export function emailChangedByAdministratorMessage(input: { to: string; name: string | null; newEmail: string; securityUrl: string }): EmailMessage {
  return renderEmail({
    to: input.to,
    template: 'email_changed_by_administrator',
    subject: `The email address of your ${PRODUCT} account was changed`,
    greeting: greet(input.name),
    paragraphs: [
      `An administrator changed the email address of your ${PRODUCT} account to ${input.newEmail}. Every device was signed out, and links sent to this address no longer work.`,
      'If you did not expect this, contact your administrator at once.',
    ],
    action: { label: 'Review account security', url: input.securityUrl },
    footer: 'You receive this notice at your previous address whenever an administrator changes it.',
  });
}

export function twoFactorChangedMessage(input: { to: string; name: string | null; change: 'enabled' | 'disabled' | 'backup_codes'; securityUrl: string }): EmailMessage {
  const what = {
    enabled: ['Two-factor authentication is on', 'Two-factor authentication was turned on for your account. Keep your backup codes somewhere safe.'],
    disabled: ['Two-factor authentication is off', 'Two-factor authentication was turned off for your account. Signing in now needs only your password.'],
    backup_codes: ['New two-factor backup codes', 'New backup codes were generated for your account; the previous ones no longer work.'],
  }[input.change];
  return renderEmail({
    to: input.to,
    template: `two_factor_${input.change}`,
    subject: `${PRODUCT}: ${what[0]}`,
    greeting: greet(input.name),
    paragraphs: [what[1]!, unexpected],
    action: { label: 'Review account security', url: input.securityUrl },
    footer: 'You receive this notice whenever your two-factor settings change.',
  });
}

export function apiKeyCreatedMessage(input: { to: string; name: string | null; keyName: string; prefix: string; scopes: readonly string[]; expiresAt: Date; rotated: boolean; manageUrl: string }): EmailMessage {
  const what = input.rotated ? 'was given a new secret' : 'was created';
  return renderEmail({
    to: input.to,
    template: input.rotated ? 'api_key_rotated' : 'api_key_created',
    subject: `${PRODUCT}: an API key ${what}`,
    greeting: greet(input.name),
    paragraphs: [
      `The API key "${input.keyName}" (${input.prefix}…) of your ${PRODUCT} account ${what}. It may use: ${input.scopes.join(', ')}; it expires on ${input.expiresAt.toISOString().slice(0, 10)}.`,
      `${unexpected} Revoke the key from your API key settings.`,
    ],
    action: { label: 'Manage API keys', url: input.manageUrl },
    footer: 'You receive this notice whenever an API key of your account is created or rotated.',
  });
}
