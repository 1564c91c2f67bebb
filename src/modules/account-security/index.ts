import { createRouter } from '../../lib/router';
import { changeEmailHandler, changeEmailRoute } from './routes/change-email';
import { changePasswordHandler, changePasswordRoute } from './routes/change-password';
import { confirmTwoFactorHandler, confirmTwoFactorRoute } from './routes/confirm-two-factor';
import { disableTwoFactorHandler, disableTwoFactorRoute } from './routes/disable-two-factor';
import { forgotPasswordHandler, forgotPasswordRoute } from './routes/forgot-password';
import { getTwoFactorStatusHandler, getTwoFactorStatusRoute } from './routes/get-two-factor-status';
import { listOutboxHandler, listOutboxRoute } from './routes/list-outbox';
import { reauthenticateHandler, reauthenticateRoute } from './routes/reauthenticate';
import { regenerateBackupCodesHandler, regenerateBackupCodesRoute } from './routes/regenerate-backup-codes';
import { resendVerificationHandler, resendVerificationRoute } from './routes/resend-verification';
import { resetPasswordHandler, resetPasswordRoute } from './routes/reset-password';
import { verifyResetTokenHandler, verifyResetTokenRoute } from './routes/verify-reset-token';
import { setupTwoFactorHandler, setupTwoFactorRoute } from './routes/setup-two-factor';
import { setupTwoFactorAtLoginHandler, setupTwoFactorAtLoginRoute } from './routes/setup-two-factor-at-login';
import { verifyEmailHandler, verifyEmailRoute } from './routes/verify-email';
import { verifyTwoFactorHandler, verifyTwoFactorRoute } from './routes/verify-two-factor';

export const accountSecurityRoutes = createRouter()
  .openapi(verifyEmailRoute, verifyEmailHandler)
  .openapi(resendVerificationRoute, resendVerificationHandler)
  .openapi(forgotPasswordRoute, forgotPasswordHandler)
  .openapi(verifyResetTokenRoute, verifyResetTokenHandler)
  .openapi(resetPasswordRoute, resetPasswordHandler)
  .openapi(changePasswordRoute, changePasswordHandler)
  .openapi(changeEmailRoute, changeEmailHandler)
  .openapi(reauthenticateRoute, reauthenticateHandler)
  .openapi(getTwoFactorStatusRoute, getTwoFactorStatusHandler)
  .openapi(setupTwoFactorRoute, setupTwoFactorHandler)
  .openapi(confirmTwoFactorRoute, confirmTwoFactorHandler)
  .openapi(disableTwoFactorRoute, disableTwoFactorHandler)
  .openapi(regenerateBackupCodesRoute, regenerateBackupCodesHandler)
  .openapi(verifyTwoFactorRoute, verifyTwoFactorHandler)
  .openapi(setupTwoFactorAtLoginRoute, setupTwoFactorAtLoginHandler);

/** Development and tests only: the email outbox. The app never mounts it when APP_ENV is `production`. */
export const devOutboxRoutes = createRouter().openapi(listOutboxRoute, listOutboxHandler);
