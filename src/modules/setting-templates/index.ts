import { createRouter } from '../../lib/router';
import { createSettingTemplateHandler, createSettingTemplateRoute } from './routes/create-setting-template';
import { deleteSettingTemplateHandler, deleteSettingTemplateRoute } from './routes/delete-setting-template';
import { getSettingTemplateHandler, getSettingTemplateRoute } from './routes/get-setting-template';
import { listSettingTemplatesHandler, listSettingTemplatesRoute } from './routes/list-setting-templates';
import { updateSettingTemplateHandler, updateSettingTemplateRoute } from './routes/update-setting-template';

export const settingTemplatesRoutes = createRouter()
  .openapi(listSettingTemplatesRoute, listSettingTemplatesHandler)
  .openapi(getSettingTemplateRoute, getSettingTemplateHandler)
  .openapi(createSettingTemplateRoute, createSettingTemplateHandler)
  .openapi(updateSettingTemplateRoute, updateSettingTemplateHandler)
  .openapi(deleteSettingTemplateRoute, deleteSettingTemplateHandler);
