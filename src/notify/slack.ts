// A Slack incoming-webhook message in Block Kit. Slack rejects a message whose blocks break its
// limits (50 blocks; header text 150 characters; section text 3000; at most 10 fields of 2000 each;
// 10 context elements; button text 75, URL 3000), so every text is cut to its limit here.
import type { NotificationEvent } from './events';
import { approveCommand, burnRate, percent, webUiLink, type LinkOptions } from './links';

export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  url: 3000,
  /** The top-level `text`, shown in notifications and where blocks cannot be. */
  fallbackText: 4000,
} as const;

type Text = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: Text }
  | { type: 'section'; text?: Text; fields?: Text[] }
  | { type: 'context'; elements: Text[] }
  | { type: 'actions'; elements: { type: 'button'; text: Text; url: string; action_id: string }[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

const md = (text: string, limit: number = SLACK_LIMITS.sectionText): Text => ({
  type: 'mrkdwn',
  text: cut(text, limit),
});
/** Slack's mrkdwn treats &, < and > as control characters. */
const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const TITLES: Record<NotificationEvent['kind'], string> = {
  'incident-transition': 'Incident',
  'proposal-created': 'Approval needed',
  'proposal-approved': 'Proposal approved',
  'proposal-rejected': 'Proposal rejected',
  'action-refused': 'Action refused',
  'change-opened': 'Change opened',
  'change-merged': 'Change merged',
  'freeze-started': 'Change freeze',
  'freeze-lifted': 'Freeze lifted',
  'freeze-expired': 'Freeze ended',
  'postmortem-reminder': 'Postmortem missing',
  test: 'TEST — SafeDeploy notification test',
};

export function slackMessage(event: NotificationEvent, links: LinkOptions): SlackMessage {
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: cut(`${TITLES[event.kind]}: ${event.service}`, SLACK_LIMITS.headerText),
        emoji: true,
      },
    },
    { type: 'section', text: md(esc(event.summary)) },
    ...factsSection(event),
    ...sloSections(event),
    ...proposalSection(event),
    ...buttons(event, links),
    {
      type: 'context',
      elements: [
        md(
          `SafeDeploy · ${esc(event.kind)} · ${esc(event.occurredAt)} · event \`${esc(event.id)}\``,
          SLACK_LIMITS.fieldText,
        ),
      ],
    },
  ];
  return {
    text: cut(`${event.kind === 'test' ? '[TEST] ' : ''}${event.summary}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

function factsSection(event: NotificationEvent): SlackBlock[] {
  const fields: Text[] = [md(`*Service*\n${esc(event.service)}`, SLACK_LIMITS.fieldText)];
  const i = event.incident;
  if (i) {
    fields.push(md(`*Incident*\n\`${esc(i.id)}\` (${esc(i.state)})`, SLACK_LIMITS.fieldText));
    fields.push(md(`*Severity*\n${esc(i.severity)}`, SLACK_LIMITS.fieldText));
  }
  if (event.transition)
    fields.push(
      md(
        `*Transition*\n${esc(event.transition.from ?? 'new')} → ${esc(event.transition.to)} by ${esc(event.transition.actor)}`,
        SLACK_LIMITS.fieldText,
      ),
    );
  if (event.actor)
    fields.push(md(`*By*\n${esc(event.actor.by)}: ${esc(event.actor.reason)}`, SLACK_LIMITS.fieldText));
  if (event.actor?.refusal) fields.push(md(`*Refused*\n${esc(event.actor.refusal)}`, SLACK_LIMITS.fieldText));
  if (event.freeze?.until) fields.push(md(`*Until*\n${esc(event.freeze.until)}`, SLACK_LIMITS.fieldText));
  return [{ type: 'section', fields: fields.slice(0, SLACK_LIMITS.fields) }];
}

/** One line per SLO: budget left and the burn rate of each alert window. */
function sloSections(event: NotificationEvent): SlackBlock[] {
  const slos = event.slos ?? [];
  if (slos.length === 0) return [];
  const lines = slos.map((s) => {
    const rates = Object.entries(s.burnRates)
      .map(([w, r]) => `${w} ${burnRate(r)}`)
      .join(' · ');
    return `*${esc(s.name)}* (${s.objective}% / ${esc(s.window)}): ${esc(s.severity)}, budget left ${percent(s.remaining)}\nburn ${rates}`;
  });
  return [{ type: 'section', text: md(lines.join('\n')) }];
}

function proposalSection(event: NotificationEvent): SlackBlock[] {
  const p = event.proposal;
  if (!p) return [];
  const command = approveCommand(event);
  const target = p.target
    ? `\nRestores revision \`${esc(p.target.sha.slice(0, 12))}\` (${esc(p.target.date)})`
    : '';
  const text =
    `*Proposal* \`${esc(p.id)}\` — ${esc(p.type)} (${esc(p.state)})\n${esc(p.rationale)}${target}` +
    (command ? `\nExpires ${esc(p.expiresAt)}. To approve:\n\`\`\`${esc(command)}\`\`\`` : '');
  return [{ type: 'section', text: md(text) }];
}

function buttons(event: NotificationEvent, links: LinkOptions): SlackBlock[] {
  const elements: { type: 'button'; text: Text; url: string; action_id: string }[] = [];
  const button = (label: string, url: string, id: string) => {
    if (url.length <= SLACK_LIMITS.url)
      elements.push({
        type: 'button',
        text: { type: 'plain_text', text: cut(label, SLACK_LIMITS.buttonText) },
        url,
        action_id: id,
      });
  };
  if (event.change)
    button(
      event.change.number !== undefined ? `Pull request #${event.change.number}` : 'Change',
      event.change.url,
      'open-change',
    );
  const ui = webUiLink(event, links);
  if (ui) button('Open in Temporal Web UI', ui, 'open-web-ui');
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}
