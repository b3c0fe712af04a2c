// `gate` as text: the verdict first (what a human or a script acts on), then every reason with its code.
import type { GateAnswer } from '../../operator/gate';
import { burn, percent, verdictText } from './format';

export function renderGateAnswer(answer: GateAnswer): string {
  const revision = answer.revision ? ` (revision ${answer.revision})` : '';
  const lines = [`${answer.service}: ${verdictText(answer)}${revision}`];
  for (const r of answer.reasons) lines.push(`  [${r.code}] ${r.message}`);
  for (const slo of answer.slos ?? []) {
    lines.push(
      `  SLO ${slo.name} ${slo.objective}%/${slo.window}: ${slo.severity}, budget ${percent(slo.errorBudget.remaining)}, ` +
        `burn 1h ${burn(slo.burnRates['1h'])}x, 6h ${burn(slo.burnRates['6h'])}x, 1d ${burn(slo.burnRates['1d'])}x`,
    );
  }
  lines.push(`evaluated at ${answer.evaluatedAt} (governance.mode ${answer.mode})`);
  return `${lines.join('\n')}\n`;
}
