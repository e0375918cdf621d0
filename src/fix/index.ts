/**
 * The fix as a library: plan → (ask) → apply, and undo. Each phase lives in its
 * own module; this file only names what callers use.
 */
export { runFix, type FixMode, type RunFixOptions } from './run-fix.js';
export { revokeAdviceOf, type FixedItem, type FixResult, type FixStatus, type RevokeAdvice, type SkippedItem } from './fix-result.js';
export { renderPlanDiff } from './preview.js';
export { cleanFixBackups, undoLastFix, type UndoOptions } from './undo.js';
export { ENV_FILE, planFix, type FixPlan, type PlanItem, type ItemSkipReason } from './plan-fix.js';
export { applyFix } from './apply-fix.js';
export { interruptedFix } from './backup.js';
export { openTerminal, streamPromptIO, type PromptIO } from './prompt.js';
export { fixMessages, FIX_COMMAND } from './messages.js';
