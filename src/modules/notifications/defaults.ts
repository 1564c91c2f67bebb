/**
 * Notification preferences every new user starts with (the original seed's rules): email on for
 * security and system, push off, desktop on except marketing, sound on for security and system,
 * marketing weekly and everything else immediate.
 */
export const DEFAULT_NOTIFICATION_PREFERENCES = [
  { notificationType: 'security', emailEnabled: true, pushEnabled: false, desktopEnabled: true, soundEnabled: true, frequency: 'immediate' },
  { notificationType: 'updates', emailEnabled: false, pushEnabled: false, desktopEnabled: true, soundEnabled: false, frequency: 'immediate' },
  { notificationType: 'marketing', emailEnabled: false, pushEnabled: false, desktopEnabled: false, soundEnabled: false, frequency: 'weekly' },
  { notificationType: 'reminders', emailEnabled: false, pushEnabled: false, desktopEnabled: true, soundEnabled: false, frequency: 'immediate' },
  { notificationType: 'system', emailEnabled: true, pushEnabled: false, desktopEnabled: true, soundEnabled: true, frequency: 'immediate' },
] as const;
