/**
 * The programmatic API; the CLI is a thin layer over it.
 *
 * @example
 * import { plan, apply } from 'bulwark';
 * const p = await plan('app', { name: 'billing-api' }, { cwd: 'billing-api' });
 * if (!p.files.some((f) => f.status === 'conflict')) await apply(p);
 */
import type { AnyGenerator } from './generator.js';
import { planGenerator, type Plan, type PlanOptions } from './plan.js';
import { getGenerator } from './registry.js';

export { apply, recover, type ApplyOptions, type ApplyResult, type ApplyStep, type FileReport } from './apply.js';
export { allErrorCodes, BulwarkError, defineErrorCodes, ERROR_CODES, type EngineErrorCode, type ErrorCode, type ErrorCodeInfo, type GeneratorErrorCode } from './errors.js';
export { defineGenerator, type FileIntent, type GeneratorContext, type GeneratorDefinition } from './generator.js';
export type { BlockComment } from './blocks.js';
export type { TsEdit } from './edit.js';
export { jsonSchemaOf } from './options.js';
export { hasConflicts, type FileStatus, type Plan, type PlannedFile, type PlanOptions } from './plan.js';
export { GENERATORS, getGenerator } from './registry.js';
export { memoryWorkspace, type Workspace } from './workspace.js';
export type { PlanWarning } from './prettier-config.js';

/**
 * Renders a generator (by name, or its definition) into a plan: every file
 * with its status against the disk and the manifest, and a unified diff.
 * Nothing is written; `apply` does that.
 *
 * @throws {BulwarkError} `E_UNKNOWN_GENERATOR`, `E_SPEC_INVALID`, `E_TARGET_INVALID`, ...
 */
export async function plan(generator: string | AnyGenerator, options: unknown, planOptions: PlanOptions): Promise<Plan> {
  return planGenerator(typeof generator === 'string' ? getGenerator(generator) : generator, options, planOptions);
}
