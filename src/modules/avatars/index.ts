import { createRouter } from '../../lib/router';
import { deleteAvatarHandler, deleteAvatarRoute } from './routes/delete-avatar';
import { deleteUserAvatarHandler, deleteUserAvatarRoute } from './routes/delete-user-avatar';
import { getAvatarImageHandler, getAvatarImageRoute } from './routes/get-avatar-image';
import { uploadAvatarHandler, uploadAvatarRoute } from './routes/upload-avatar';

/**
 * Mounted before the users module: `/api/users/avatar` must be matched before the users
 * module's `/api/users/{id}`.
 */
export const avatarsRoutes = createRouter()
  .openapi(uploadAvatarRoute, uploadAvatarHandler)
  .openapi(deleteAvatarRoute, deleteAvatarHandler)
  .openapi(deleteUserAvatarRoute, deleteUserAvatarHandler)
  .openapi(getAvatarImageRoute, getAvatarImageHandler);
