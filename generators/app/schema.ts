import validateNpmName from 'validate-npm-package-name';
import { z } from 'zod';

/** An npm package name valid for a new package (npm's own rules). */
export const packageName = z.string().superRefine((value, ctx) => {
  const result = validateNpmName(value);
  if (!result.validForNewPackages) {
    const reasons = [...(result.errors ?? []), ...(result.warnings ?? [])].join('; ');
    ctx.addIssue({ code: 'custom', message: `is not a valid npm package name (${reasons})` });
  }
});

export const appOptions = z.strictObject({
  name: packageName
    .optional()
    .describe('npm package name of the new service, such as "billing-api" or "@acme/billing-api". Defaults to the target directory name.'),
});

export interface AppOptions {
  readonly name: string;
}
