/** Worker variables and secrets used by the test suite (test-only values, never used elsewhere). */
export const testBindings = {
  APP_ENV: 'test',
  CORS_ORIGINS: 'http://localhost:4200',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
  ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  FRONTEND_URL: 'https://app.aegisx.test',
  EMAIL_FROM: 'AegisX Test <no-reply@aegisx.test>',
};
