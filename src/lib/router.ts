import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { validationHook } from './http-errors';

/** A module's router: an OpenAPIHono whose validation failures answer in the error envelope. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
