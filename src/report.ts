import path from 'node:path';
import type { FileReport } from './apply.js';
import type { FileStatus } from './plan.js';

const LABEL: Readonly<Record<FileStatus, [planned: string, done: string]>> = {
  created: ['create', 'created'],
  updated: ['update', 'updated'],
  unchanged: ['keep', 'unchanged'],
  conflict: ['CONFLICT', 'CONFLICT'],
};

/** One line per file, for people; the JSON report is for programs. */
export function summarize(files: readonly FileReport[], target: string, planned: boolean): string {
  const where = path.relative(process.cwd(), target) || '.';
  const lines = files.map((f) => {
    const label = LABEL[f.status][planned ? 0 : 1].padEnd(9);
    const extra = f.status === 'conflict' ? `  (${f.reason ?? ''})` : f.keptAs === undefined ? '' : `  (yours kept as ${f.keptAs})`;
    return `  ${label} ${f.path}${extra}`;
  });
  const counts = (['created', 'updated', 'unchanged', 'conflict'] as const)
    .map((s) => [s, files.filter((f) => f.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${where}:\n${lines.join('\n')}\n${counts || 'nothing to do'}\n`;
}
