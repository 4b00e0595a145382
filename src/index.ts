/**
 * The programmatic API; the CLI is a thin layer over it.
 *
 * @example
 * import { plan, apply } from 'bulwark';
 * const p = await plan('app', { name: 'billing-api' }, { cwd: 'billing-api' });
 * if (!p.files.some((f) => f.status === 'conflict')) await apply(p);
 */
export { apply, recover, type ApplyOptions, type ApplyResult, type ApplyStep, type FileReport } from './apply.js';
export { BulwarkError, ERROR_CODES, type ErrorCode } from './errors.js';
export { defineGenerator, type FileIntent, type GeneratorContext, type GeneratorDefinition } from './generator.js';
export type { BlockComment } from './blocks.js';
export type { TsEdit } from './edit.js';
export { jsonSchemaOf } from './options.js';
export { hasConflicts, plan, type FileStatus, type Plan, type PlannedFile, type PlanOptions } from './plan.js';
export { GENERATORS, getGenerator } from './registry.js';
