import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The closed list of error codes the API answers with, and the HTTP status of each. */
export const errorStatus = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  CANNOT_REVOKE_CURRENT_SESSION: 400,
  INVALID_THEME: 400,
  INVALID_NAVIGATION_TYPE: 400,
  NAVIGATION_CYCLE: 400,
  NAVIGATION_PARENT_NOT_FOUND: 400,
  UNKNOWN_PERMISSION: 400,
  INVALID_TOKEN: 400,
  LINK_EXPIRED: 400,
  INVALID_PASSWORD: 400,
  INVALID_TWO_FACTOR_CODE: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_EXPIRED: 401,
  INVALID_CHALLENGE: 401,
  FORBIDDEN: 403,
  SCOPE_NOT_ALLOWED: 403,
  API_KEY_NOT_ALLOWED: 403,
  PERMISSION_ESCALATION: 403,
  PROTECTED_TARGET: 403,
  CANNOT_CHANGE_SYSTEM_ROLE: 403,
  CANNOT_REMOVE_OWN_ADMIN_ROLE: 403,
  ACCOUNT_DISABLED: 403,
  SETTING_NOT_CONFIGURABLE: 403,
  REGISTRATION_DISABLED: 403,
  EMAIL_NOT_VERIFIED: 403,
  REAUTHENTICATION_REQUIRED: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  ROLE_NOT_FOUND: 404,
  AVATAR_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  NAVIGATION_ITEM_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  LAST_ADMINISTRATOR: 409,
  ROLE_ALREADY_EXISTS: 409,
  PERMISSION_ALREADY_EXISTS: 409,
  EMAIL_ALREADY_EXISTS: 409,
  USERNAME_ALREADY_EXISTS: 409,
  TWO_FACTOR_ALREADY_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  TWO_FACTOR_SETUP_NOT_STARTED: 409,
  NAVIGATION_KEY_EXISTS: 409,
  DEFAULT_THEME_REQUIRED: 409,
  SETTINGS_LIMIT_REACHED: 409,
  SETTING_REQUIRED: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  IMAGE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  CONFIGURATION_ERROR: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorDetail {
  field: string;
  message: string;
  code: string;
}

/** The one error class: services throw it, the app's error handler turns it into the envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details: ErrorDetail[] | Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[] | Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = errorStatus[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

export const notFound = (what = 'Resource') => new ApiError('NOT_FOUND', `${what} not found`);
