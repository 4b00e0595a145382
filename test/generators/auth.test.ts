import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../src/errors.js';
import { plan } from '../../src/plan.js';
import { generatedService } from '../helpers/generators.js';

const service = generatedService;

describe('auth generator (in memory)', () => {
  it('writes bearer verification with the chosen algorithms and claims, and installs it in buildApp', async () => {
    const options = { algorithms: ['ES256'], tenantClaim: 'https://example.test/tenant', maxTokenLifetimeSeconds: 300 };
    const p = await plan('auth', options, { cwd: await service() });
    const content = (name: string) => p.files.find((f) => f.path === name)?.content ?? '';
    expect(content('src/auth/config.ts')).toContain("algorithms: ['ES256']");
    expect(content('src/auth/config.ts')).toContain("tenantClaim: 'https://example.test/tenant'");
    expect(content('src/app.ts')).toContain('installBearerAuth(app, loadAuthConfig(process.env));');
    expect(JSON.parse(content('package.json'))).toMatchObject({ dependencies: { jose: expect.any(String) as string } });
    expect(content('.env.example')).toContain('AUTH_MAX_TOKEN_LIFETIME_SECONDS=300');
  });

  it.each([
    ['a symmetric algorithm', { algorithms: ['HS256'] }, 'algorithms.0'],
    ['alg none', { algorithms: ['none'] }, 'algorithms.0'],
    ['a token lifetime over an hour', { maxTokenLifetimeSeconds: 86400 }, 'maxTokenLifetimeSeconds'],
    ['a claim name with spaces', { tenantClaim: 'tenant id' }, 'tenantClaim'],
  ])('refuses %s with E_SPEC_INVALID', async (_what, options, option) => {
    const error = await plan('auth', options, { cwd: await service() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).details.option).toBe(option);
  });
});
