// `safedeploy proposal list|approve|reject`: proposals live inside their incident workflow; approval
// is a signal the workflow checks against the service's approvers, then answers with what it did.
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { isProposalType, PROPOSAL_TYPES, type ProposalType } from '../../gitops/proposal-types';
import { proposalId, type Proposal } from '../../incident/proposals';
import { openProposals } from '../../operator/report';
import { approveSignal, rejectSignal, type IncidentView } from '../../../workflows/messages';
import { addWaitOption, performAction, reportOutcome, type WaitFlags } from '../actions';
import { CliError, EXIT } from '../errors';
import { addActorOptions, requireActor, requireReason, type ActorFlags } from '../identity';
import { printJson } from '../output';
import { addTemporalOptions, withTemporal, type TemporalFlags } from '../temporal-options';
import { renderProposalList } from '../views/proposal-table';
import { incidentsOf, resolveIncident } from './incident';

interface DecideFlags extends TemporalFlags, ActorFlags, WaitFlags {
  type?: string;
}

const DECIDE_EXIT =
  '\nA proposal is named by its id (<incident-id>/<type>), or by its incident id or service with --type\n' +
  '(optional when the incident has one pending proposal).\n' +
  'Exit codes: 0 done, 1 refused (not an approver, not pending, expired) or no such proposal, 2 bad usage,\n' +
  '3 Temporal unreachable or no worker answered.';

export function registerProposalCommands(program: Command): void {
  const proposal = program.command('proposal').description('List, approve and reject remediation proposals');
  addTemporalOptions(
    proposal.command('list').description('List open proposals (pending, approved, opened) across incidents'),
  )
    .option('--service <name>', 'only this service')
    .option('--json', 'print the proposals as JSON')
    .addHelpText('after', '\nExit codes: 0 listed, 2 bad usage, 3 Temporal unreachable.')
    .action(async (flags: TemporalFlags & { service?: string; json?: boolean }) => {
      process.exitCode = await withTemporal(flags, (client) =>
        list(client, flags.service, flags.json === true),
      );
    });
  registerDecision(
    proposal,
    'approve',
    'Approve a proposal: SafeDeploy opens its pull request (approvers only)',
  );
  registerDecision(proposal, 'reject', 'Reject a proposal (approvers only)');
}

async function list(client: Client, service: string | undefined, json: boolean): Promise<number> {
  const refs = await incidentsOf(client, service);
  const proposals = openProposals(refs.map((r) => r.view));
  if (json) printJson({ proposals });
  else process.stdout.write(renderProposalList(proposals, new Date()));
  return EXIT.ok;
}

function registerDecision(proposal: Command, action: 'approve' | 'reject', description: string): void {
  const command = proposal
    .command(action)
    .argument('<proposal>', 'proposal id, or an incident id or service')
    .option('--type <type>', `proposal type: ${PROPOSAL_TYPES.join(', ')}`)
    .description(description);
  addWaitOption(addTemporalOptions(addActorOptions(command)))
    .addHelpText('after', DECIDE_EXIT)
    .action(async (ref: string, flags: DecideFlags) => {
      const request = { by: requireActor(flags.by), reason: requireReason(flags.reason) };
      const wanted = parseProposalRef(ref, flags.type);
      process.exitCode = await withTemporal(flags, async (client) => {
        const found = await resolveIncident(client, wanted.incident, 'safedeploy proposal list');
        const chosen = chooseProposal(found.view, wanted.type, wanted.id);
        const target = {
          workflowId: found.workflowId,
          label: `proposal ${chosen}`,
          follow: `safedeploy incident show ${found.view.incidentId}`,
        };
        const signal = action === 'approve' ? approveSignal : rejectSignal;
        const { incidentId, service } = found.view;
        const spec = {
          action,
          target: { kind: 'proposal', incidentId, service, proposal: chosen },
          request,
        } as const;
        const outcome = await performAction(
          client,
          target,
          spec,
          (h, signed) => h.signal(signal, { ...signed, proposal: chosen }),
          flags,
        );
        return reportOutcome(outcome, flags);
      });
    });
}

export interface ProposalRef {
  /** An incident id or a service. */
  incident: string;
  type?: ProposalType;
  /** The exact proposal id, when the reference names a numbered one. */
  id?: string;
}

/** `<incident-id>/<type>`, or an incident id or service with an optional --type. */
export function parseProposalRef(ref: string, typeFlag?: string): ProposalRef {
  const type = typeFlag === undefined ? undefined : proposalType(typeFlag, '--type');
  const slash = ref.lastIndexOf('/');
  if (slash < 0) return { incident: ref, ...(type ? { type } : {}) };
  // A fresh proposal that replaced a superseded one carries a sequence: <incident-id>/<type>-2.
  const tail = ref.slice(slash + 1);
  const sequence = /^(.+)-(\d+)$/.exec(tail);
  const numbered = !isProposalType(tail) && sequence !== null && isProposalType(sequence[1]!);
  const fromId = proposalType(numbered ? sequence[1]! : tail, `proposal "${ref}"`);
  if (type && type !== fromId)
    throw new CliError(`proposal "${ref}" is a ${fromId} proposal, but --type says ${type}`);
  return { incident: ref.slice(0, slash), type: fromId, ...(numbered ? { id: ref } : {}) };
}

function proposalType(text: string, what: string): ProposalType {
  if (!isProposalType(text))
    throw new CliError(`${what}: unknown proposal type "${text}" (expected ${PROPOSAL_TYPES.join(', ')})`);
  return text;
}

/**
 * The proposal id to send. Without a type: the incident's one pending proposal, or its only
 * proposal (the workflow then says why it cannot be decided). The workflow has the last word.
 */
export function chooseProposal(view: IncidentView, type?: ProposalType, id?: string): string {
  if (id) return id;
  if (type) {
    // The newest of that type: a superseded proposal is followed by a fresh one.
    const ofType = view.proposals.filter((p) => p.type === type);
    return ofType[ofType.length - 1]?.id ?? proposalId(view.incidentId, type);
  }
  const pending = view.proposals.filter((p) => p.state === 'pending');
  const only =
    pending.length === 1
      ? pending[0]
      : pending.length === 0 && view.proposals.length === 1
        ? view.proposals[0]
        : undefined;
  if (only) return only.id;
  if (view.proposals.length === 0) {
    throw new CliError(
      `incident ${view.incidentId} has no proposals (see: safedeploy incident show ${view.incidentId})`,
      EXIT.failure,
    );
  }
  throw new CliError(
    `incident ${view.incidentId} has several proposals (${describe(pending.length > 0 ? pending : view.proposals)}): choose one with --type`,
  );
}

function describe(proposals: Proposal[]): string {
  return proposals.map((p) => `${p.type} ${p.state}`).join(', ');
}
