import { z } from 'zod';
import { BulwarkError } from '../../src/errors.js';
import { defineGenerator, type FileIntent } from '../../src/generator.js';
import { isValidIdentifier } from '../../src/paths.js';

const kebab = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be kebab-case: lower-case words joined by "-", such as "webhooks" or "audit-log"')
  .max(40);

const options = z.strictObject({
  name: kebab.describe('Kebab name of the new generator; it names its folder, templates, test, docs and registry key.'),
  description: z.string().min(1).max(200).default('Describe what this generator writes.').describe('One line shown in "bulwark list" and the menu.'),
});

/** Names already bound where the identifier is declared (generators/<name>/index.ts) and imported (src/registry.ts). */
const BOUND = new Set(['defineGenerator', 'options', 'getGenerator']);

/** kebab-name to camelCase, the generator's identifier in code. */
function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A generator for generators: run in bulwark's own repository, it writes
 * the four parts one name joins and registers the new generator, so that
 * `npm test` covers it from the first commit.
 */
export const generator = defineGenerator({
  name: 'generator',
  description: "A new bulwark generator (for template maintainers, in bulwark's own repository).",
  options,
  example: { name: 'audit-log', description: 'Append-only audit log.' },
  normalize: (parsed) => {
    const identifier = camel(parsed.name);
    if (!isValidIdentifier(identifier) || BOUND.has(identifier)) {
      throw new BulwarkError('E_SPEC_INVALID', `Invalid options for "generator": name: "${parsed.name}" would be the identifier ${identifier}, which ${BOUND.has(identifier) ? 'the files it is declared in already use' : 'is a reserved word in strict-mode TypeScript'}.`, {
        option: 'name',
        issues: [{ option: 'name', message: `"${identifier}" cannot be declared in the generated code` }],
        fix: 'Choose another name, for example by adding a word: --set name=' + parsed.name + '-log.',
      });
    }
    return { ...parsed, identifier };
  },
  files: ({ name, description, identifier }): FileIntent[] => {
    const data = {
      name,
      description,
      identifier,
      modulePath: `src/${name}.ts`,
      templatePath: `${name}/src/greeting.ts.hbs`,
      testTitle: `${name} generator (in memory)`,
    };
    const template = (path: string, source: string): FileIntent => ({ kind: 'template', path, template: `generator/${source}.hbs`, data });
    return [
      template(`generators/${name}/index.ts`, 'generators/index.ts'),
      template(`generators/${name}/schema.ts`, 'generators/schema.ts'),
      template(`templates/${name}/src/greeting.ts.hbs`, 'templates/greeting.ts.hbs'),
      template(`test/generators/${name}.test.ts`, 'test/generator.test.ts'),
      template(`docs/${name}.md`, 'docs/generator.md'),
      {
        kind: 'edit',
        path: 'src/registry.ts',
        edits: [
          { op: 'ensure-import', from: `../generators/${name}/index.js`, named: [identifier] },
          { op: 'ensure-array-element', variable: 'ALL', element: identifier },
        ],
      },
    ];
  },
});
