// `safedeploy incident list|show|ack|mitigate|resolve|postmortem`: incidents are Temporal workflows;
// reads query them, actions signal them and report the outcome the workflow reached.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Command } from 'commander';
import type { ActionRequest } from '../../incident/proposals';
import { findIncident, listIncidents, type IncidentRef } from '../../operator/incidents';
import { summarizeIncident } from '../../operator/report';
import {
  acknowledgeSignal,
  incidentQuery,
  mitigateSignal,
  postmortemSignal,
  resolveSignal,
  type IncidentView,
  workflowIds,
} from '../../../workflows/messages';
import type { ActionTarget } from '../../incident/action-statement';
import type { HumanAction } from '../../signing/statement';
import { addWaitOption, performAction, reportOutcome, type ActionSpec, type WaitFlags } from '../actions';
import { CliError, EXIT } from '../errors';
import { addActorOptions, requireActor, requireReason, type ActorFlags } from '../identity';
import { printJson } from '../output';
import { addTemporalOptions, withTemporal, type TemporalFlags } from '../temporal-options';
import { renderIncidentDetail, renderIncidentList } from '../views/incident-views';

interface ListFlags extends TemporalFlags {
  service?: string;
  all?: boolean;
  json?: boolean;
}

type ActionFlags = TemporalFlags & ActorFlags & WaitFlags;

interface PostmortemFlags extends TemporalFlags, WaitFlags {
  url: string;
  actionItem: string[];
  by: string;
  reason?: string;
}

const ACTION_EXIT =
  '\nExit codes: 0 accepted, 1 refused (not an approver, wrong state) or no such incident, 2 bad usage\n' +
  '(e.g. no --reason), 3 Temporal unreachable or no worker answered.';

/** Human transitions: the workflow checks the actor and the state, and answers. */
const HUMAN_TRANSITIONS: [string, HumanAction, string, SignalDefinition<[ActionRequest]>][] = [
  ['ack', 'acknowledge', 'Acknowledge an incident: detected → investigating', acknowledgeSignal],
  ['mitigate', 'mitigate', 'Say the incident is mitigated (approvers only)', mitigateSignal],
  [
    'resolve',
    'resolve',
    'Resolve the incident without waiting for the cool-down (approvers only)',
    resolveSignal,
  ],
];

export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command('incident')
    .description('List, inspect and act on incidents (Temporal workflows)');
  addTemporalOptions(incident.command('list').description('List open incidents, newest first'))
    .option('--service <name>', 'only this service')
    .option('--all', 'include finished incidents (postmortem complete)')
    .option('--json', 'print the incidents as JSON')
    .addHelpText('after', '\nExit codes: 0 listed, 2 bad usage, 3 Temporal unreachable.')
    .action(async (flags: ListFlags) => {
      process.exitCode = await withTemporal(flags, (client) => list(client, flags));
    });
  addTemporalOptions(
    incident.command('show').argument('<incident>', 'incident id, or a service (its latest incident)'),
  )
    .description('Show an incident: state, severity, transitions, proposals and timeline')
    .option('--json', 'print the incident as JSON')
    .addHelpText('after', '\nExit codes: 0 shown, 1 no such incident, 2 bad usage, 3 Temporal unreachable.')
    .action(async (ref: string, flags: TemporalFlags & { json?: boolean }) => {
      process.exitCode = await withTemporal(flags, (client) => show(client, ref, flags.json === true));
    });
  for (const [name, action, description, signal] of HUMAN_TRANSITIONS)
    registerAction(incident, name, action, description, signal);
  registerPostmortem(incident);
}

async function list(client: Client, flags: ListFlags): Promise<number> {
  const now = new Date();
  const refs = await incidentsOf(client, flags.service, flags.all === true);
  const incidents = refs.map((r) => summarizeIncident(r.view, now));
  if (flags.json) printJson({ incidents });
  else process.stdout.write(renderIncidentList(incidents, flags.all === true));
  return EXIT.ok;
}

async function show(client: Client, ref: string, json: boolean): Promise<number> {
  const found = await resolveIncident(client, ref);
  if (json) printJson({ workflowId: found.workflowId, ...found.view });
  else process.stdout.write(renderIncidentDetail(found.view, new Date()));
  return EXIT.ok;
}

/**
 * Incidents of one service (or all), filtered here rather than by the SafeDeployService search
 * attribute: postmortem workflows are started without it, so a server-side filter would hide
 * resolved incidents awaiting their postmortem.
 */
export async function incidentsOf(
  client: Client,
  service: string | undefined,
  all = false,
): Promise<IncidentRef[]> {
  const refs = await listIncidents(client, { all });
  return service ? refs.filter((r) => r.view.service === service) : refs;
}

/** The incident an operator named, with its current view; one clear line when there is none. */
export async function resolveIncident(
  client: Client,
  ref: string,
  hint = 'safedeploy incident list',
): Promise<IncidentRef> {
  const found = await findIncident(client, ref);
  if (!found) throw new CliError(`no incident "${ref}" (try: ${hint})`, EXIT.failure);
  // A service's finished incident workflow points at its postmortem workflow, whose view is newer.
  if (found.workflowId === workflowIds.postmortem(found.view.incidentId)) {
    return { workflowId: found.workflowId, view: await currentView(client, found.workflowId, found.view) };
  }
  return found;
}

async function currentView(
  client: Client,
  workflowId: string,
  fallback: IncidentView,
): Promise<IncidentView> {
  const handle = client.workflow.getHandle(workflowId);
  const status = (await handle.describe().catch(() => undefined))?.status.name;
  if (status === 'RUNNING') return handle.query(incidentQuery);
  if (status === 'COMPLETED') return (await handle.result()) as IncidentView;
  return fallback;
}

function registerAction(
  incident: Command,
  name: string,
  action: HumanAction,
  description: string,
  signal: SignalDefinition<[ActionRequest]>,
): void {
  const command = incident
    .command(name)
    .argument('<incident>', 'incident id, or a service (its open incident)')
    .description(description);
  addWaitOption(addTemporalOptions(addActorOptions(command)))
    .addHelpText('after', ACTION_EXIT)
    .action(async (ref: string, flags: ActionFlags) => {
      const request = { by: requireActor(flags.by), reason: requireReason(flags.reason) };
      process.exitCode = await act(
        ref,
        flags,
        (view) => ({ action, target: incidentTarget(view), request }),
        (handle, signed) => handle.signal(signal, signed),
      );
    });
}

function registerPostmortem(incident: Command): void {
  const command = incident
    .command('postmortem')
    .argument('<incident>', 'incident id (resolved, awaiting its postmortem)')
    .description('Record the postmortem of a resolved incident: resolved → postmortem-complete')
    .requiredOption('--url <url>', 'link to the postmortem document (http or https)')
    .option(
      '--action-item <text>',
      'a follow-up action (repeatable)',
      (item: string, items: string[]) => [...items, item],
      [],
    );
  addWaitOption(addTemporalOptions(addActorOptions(command, false)))
    .addHelpText('after', ACTION_EXIT)
    .action(async (ref: string, flags: PostmortemFlags) => {
      if (!/^https?:\/\/\S+$/.test(flags.url))
        throw new CliError(
          `invalid --url "${flags.url}": expected an http(s) link to the postmortem document`,
        );
      const request = { by: requireActor(flags.by), reason: flags.reason?.trim() ?? '' };
      const postmortem = { url: flags.url, actionItems: flags.actionItem };
      process.exitCode = await act(
        ref,
        flags,
        (view) => ({ action: 'postmortem', target: incidentTarget(view), request, postmortem }),
        (handle, signed) => handle.signal(postmortemSignal, { ...signed, ...postmortem }),
      );
    });
}

function incidentTarget(view: IncidentView): ActionTarget {
  return { kind: 'incident', incidentId: view.incidentId, service: view.service };
}

async function act(
  ref: string,
  flags: TemporalFlags & WaitFlags,
  spec: (view: IncidentView) => ActionSpec,
  send: (handle: WorkflowHandle, request: ActionRequest) => Promise<void>,
): Promise<number> {
  return withTemporal(flags, async (client) => {
    const found = await resolveIncident(client, ref);
    const id = found.view.incidentId;
    const target = {
      workflowId: found.workflowId,
      label: `incident ${id}`,
      follow: `safedeploy incident show ${id}`,
    };
    return reportOutcome(await performAction(client, target, spec(found.view), send, flags), flags);
  });
}
