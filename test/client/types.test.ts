// Type-level tests of the typed client and of the generated document types (openapi/schema.d.ts).
// They are checked by `npm run typecheck`: a wrong request body or a wrong result type does not compile.
import { describe, expectTypeOf, it } from 'vitest';
import type { AegisxClient, ApiClientError, ApiErrorCode, Page, RefreshedTokens } from 'aegisx-edge-api/client';
import type { components, operations, paths } from 'aegisx-edge-api/openapi';

type Result<F extends (...args: any) => Promise<unknown>> = Awaited<ReturnType<F>>;
type Client = AegisxClient;

describe('typed client types', () => {
  it('resolves calls to the envelope data of the route', () => {
    expectTypeOf<Result<Client['api']['users']['profile']['$get']>>().toHaveProperty('email').toEqualTypeOf<string>();
    expectTypeOf<Result<Client['api']['users']['profile']['$get']>>().not.toHaveProperty('success');
    expectTypeOf<Result<Client['api']['auth']['refresh']['$post']>>().toEqualTypeOf<RefreshedTokens>();
    expectTypeOf<RefreshedTokens>().toHaveProperty('accessToken').toEqualTypeOf<string>();
    expectTypeOf<Result<Client['health']['$get']>>().toHaveProperty('version').toEqualTypeOf<string>();
  });

  it('resolves a paginated list to its data and pagination', () => {
    type Users = Result<Client['api']['users']['$get']>;
    expectTypeOf<Users>().toMatchTypeOf<Page<unknown[], unknown>>();
    expectTypeOf<Users['data'][number]>().toHaveProperty('username').toEqualTypeOf<string>();
    expectTypeOf<Users['pagination']>().toHaveProperty('limit').toEqualTypeOf<number>();
  });

  it('types the error code as the API’s closed list', () => {
    expectTypeOf<ApiClientError['code']>().toEqualTypeOf<ApiErrorCode>();
    expectTypeOf<'TOKEN_EXPIRED'>().toMatchTypeOf<ApiErrorCode>();
    expectTypeOf<'NOT_A_CODE'>().not.toMatchTypeOf<ApiErrorCode>();
  });

  it('refuses wrong requests at compile time', () => {
    // Never called: only the compiler looks at these.
    const unused = (client: Client) => {
      // @ts-expect-error the register body requires a password
      void client.api.auth.register.$post({ json: { email: 'a@example.test', username: 'abc', firstName: 'A', lastName: 'B' } });
      // @ts-expect-error `bio` is a string or null, not a number
      void client.api.users.profile.$put({ json: { bio: 42 } });
      // @ts-expect-error the profile update refuses unknown fields
      void client.api.users.profile.$put({ json: { nickname: 'x' } });
      // @ts-expect-error a path parameter is required
      void client.api.users[':id'].$get({});
      // @ts-expect-error there is no such route
      void client.api.users.profiles.$get();
      void client.api.users[':id'].$get({ param: { id: '2f1d0c1e-8a47-4d8e-9d55-2b1b9f7e8a10' } });
    };
    expectTypeOf(unused).toBeFunction();
  });
});

describe('generated document types (openapi/schema.d.ts)', () => {
  it('describes the operations and schemas of the document', () => {
    expectTypeOf<components['schemas']['RegisterRequest']>().toHaveProperty('password').toEqualTypeOf<string>();
    expectTypeOf<paths['/api/users/profile']['put']>().toEqualTypeOf<operations['updateProfile']>();
    type ProfileBody = NonNullable<operations['updateProfile']['requestBody']>['content']['application/json'];
    expectTypeOf<ProfileBody>().toEqualTypeOf<components['schemas']['UpdateProfileRequest']>();
    expectTypeOf<components['schemas']['ErrorResponse']['error']>().toHaveProperty('requestId').toEqualTypeOf<string>();
  });
});
