/** The avatar upload's path: the global body limit leaves it to the upload's own 5 MB limit (src/shell.ts). */
export const AVATAR_UPLOAD_PATH = '/api/users/avatar';
