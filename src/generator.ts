import type { z } from 'zod';
import type { BlockComment } from './blocks.js';
import type { TsEdit } from './edit.js';
import type { Workspace } from './workspace.js';

export type { Workspace } from './workspace.js';

/** What a generator knows about where it runs; never the wall clock. */
export interface GeneratorContext {
  /** Absolute path of the target directory (it may not exist yet); a name, not a way to read it. */
  readonly target: string;
  /**
   * The target, read-only and confined to it: the only way a generator reads
   * what is there (`node:fs` is not allowed in generators/).
   */
  readonly workspace: Workspace;
}

/**
 * One file a generator wants in the target. Paths are relative to the
 * target, with forward slashes; the engine checks them before anything else.
 */
export type FileIntent =
  | {
      readonly kind: 'template';
      readonly path: string;
      readonly template: string;
      readonly data: Readonly<Record<string, unknown>>;
      /** Written as another generator's output (see `content`). */
      readonly generator?: string;
    }
  | {
      readonly kind: 'content';
      readonly path: string;
      readonly content: string;
      /**
       * Written on behalf of another generator, whose output this is (billing
       * compiles rbac's permission files again after adding to the spec): the
       * manifest records that generator as the writer, so neither run sees
       * the other's file as a conflict.
       */
      readonly generator?: string;
    }
  | {
      readonly kind: 'edit';
      readonly path: string;
      readonly edits: readonly TsEdit[];
      /** Content to start from when the file does not exist yet. */
      readonly initial?: string;
    }
  | {
      /** A block between `bulwark:begin <id>` / `bulwark:end <id>` comments, replaced on each run; the rest is the user's. */
      readonly kind: 'block';
      readonly path: string;
      readonly id: string;
      readonly comment: BlockComment;
      readonly content: string;
      /** Content to start from when the file does not exist yet (default: empty). */
      readonly initial?: string;
    }
  | {
      /** Keys added to a JSON object file (such as package.json) where missing; existing values are kept. */
      readonly kind: 'json-merge';
      readonly path: string;
      readonly merge: Readonly<Record<string, unknown>>;
      /** Elements added at the end of top-level arrays (a journal's entries), unless an equal one is there. */
      readonly append?: Readonly<Record<string, readonly unknown[]>>;
    }
  | {
      /**
       * Adds to a YAML file the keys of `merge` it lacks, at any depth, and
       * appends array elements it does not hold yet; never changes a value
       * already there, and keeps the file's comments (src/yaml-merge.ts).
       * The file is created from `merge` when it does not exist.
       */
      readonly kind: 'yaml-merge';
      readonly path: string;
      readonly merge: Readonly<Record<string, unknown>>;
    };

/**
 * A module another generator must have added first: the engine checks that
 * `marker` exists in the target before the generator runs, and otherwise
 * stops with E_MODULE_MISSING, naming the module and the command that adds it.
 */
export interface ModuleRequirement {
  readonly generator: string;
  /** A file only that module writes, such as src/authz/permissions.ts for rbac. */
  readonly marker: string;
}

/**
 * A generator: a zod options schema (the source of its JSON Schema and its
 * prompts), a normalize step for defaults that depend on the target, and a
 * pure function from options to file intents.
 */
export interface GeneratorDefinition<Schema extends z.ZodObject = z.ZodObject, Options = z.output<Schema>> {
  readonly name: string;
  readonly description: string;
  readonly options: Schema;
  /** A minimal valid spec: documents the generator, and the meta-test and end-to-end matrix run it. */
  readonly example: z.input<Schema>;
  /** Modules the target must have before this generator runs (checked before normalize). */
  readonly requires?: readonly ModuleRequirement[];
  /** Fills defaults that depend on the context; throws E_SPEC_INVALID when it cannot. */
  readonly normalize: (parsed: z.output<Schema>, context: GeneratorContext) => Options;
  /** Defaults offered at an interactive prompt, for options whose default depends on the context. */
  readonly promptDefaults?: (context: GeneratorContext) => Partial<Record<keyof z.output<Schema> & string, unknown>>;
  readonly files: (options: Options, context: GeneratorContext) => readonly FileIntent[];
}

/** Keeps a generator's option types flowing from its schema to its files. */
export function defineGenerator<Schema extends z.ZodObject, Options>(
  definition: GeneratorDefinition<Schema, Options>,
): GeneratorDefinition<Schema, Options> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyGenerator = GeneratorDefinition<z.ZodObject, any>;
