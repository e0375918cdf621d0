/**
 * What the user sees before anything changes: the planned edits as a unified
 * diff, secrets redacted (dry-run and the prompt).
 */
import { escapeForDisplay } from '../report/escape.js';
import { scrubSecrets } from '../redact.js';
import { fixMessages } from './messages.js';
import type { FixPlan, PlanItem } from './plan-fix.js';
import { decodeText } from './text-codec.js';
import { unifiedDiff } from './unified-diff.js';

/**
 * The planned edits as a unified diff, secrets redacted: the staged version of
 * each file, then the working tree where it differs (partially staged files).
 */
export function renderPlanDiff(plan: FixPlan): string {
  const parts: string[] = [];
  for (const change of plan.indexChanges) {
    const before = change.previousContent ? decodeText(change.previousContent).text : '';
    if (change.next === null || 'sha' in change.next) {
      parts.push(`unstage ${change.path}\n`);
      continue;
    }
    parts.push(unifiedDiff(before, decodeText(change.next.content).text, labels(change.path, 'index')));
  }
  for (const change of plan.worktreeChanges) {
    const before = change.previous ? decodeText(change.previous).text : '';
    const after = decodeText(change.content).text;
    const staged = plan.indexChanges.find((c) => c.path === change.path);
    const sameAsStaged =
      staged?.previousContent &&
      staged.next &&
      'content' in staged.next &&
      change.previous?.equals(staged.previousContent) &&
      change.content.equals(staged.next.content);
    if (!sameAsStaged) parts.push(unifiedDiff(before, after, labels(change.path, 'working tree')));
  }
  return scrubSecrets(parts.join(''), plan.secrets);
}

function labels(path: string, where: 'index' | 'working tree') {
  // Shown to people only: a path's line breaks and ESC sequences are escaped (src/report/escape.ts).
  const shown = escapeForDisplay(path);
  return { oldLabel: `a/${shown} (${where})`, newLabel: `b/${shown} (${where})` };
}

/** The redacted staged diff of the item's file, shown in the prompt. */
export function previewOf(plan: FixPlan, item: PlanItem): string {
  const change = plan.indexChanges.find((c) => c.path === item.finding.file);
  if (!change || !change.next || !('content' in change.next)) return '';
  const before = change.previousContent ? decodeText(change.previousContent).text : '';
  const diff = unifiedDiff(before, decodeText(change.next.content).text, { ...labels(change.path, 'index'), context: 1 });
  const advice = plan.runAdvice.find((a) => a.file === item.finding.file && a.addedLines);
  const loader = advice ? `  ${fixMessages.loaderAdded(advice.file, advice.addedLines!, advice.loader!.manifest, true)}\n` : '';
  const rename = plan.renamed.find((r) => r.chosen === plan.items.find((i) => i === item)?.envVar);
  // The prompt asks what to do about a name .env already holds (run-fix.ts), so no "by hand" here.
  const renameNote =
    rename &&
    (rename.inEnvFile
      ? fixMessages.promptRenameNext(rename.preferred, rename.chosen)
      : fixMessages.renamedKey(rename.preferred, rename.chosen, true, false));
  const renamed = renameNote ? `  ${renameNote}\n` : '';
  return scrubSecrets(diff + loader + renamed, plan.secrets);
}
