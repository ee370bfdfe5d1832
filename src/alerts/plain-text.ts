import { compactLine, type AlertView, type DigestView } from './view-model.js';

/**
 * The plain-text rendering of the view model: the email's text part, the console, ntfy's body and the
 * default `content.text` of templates. Matched words are marked «like this».
 */

const marked = (view: AlertView) => view.snippet.map((p) => (p.matched ? `«${p.text}»` : p.text)).join('');

/** The one-line title of an alert: "[Rule] Headline". */
export const alertTitle = (view: AlertView) =>
  `[${view.rule.name}] ${view.headline}${view.followUp && view.story ? ` (${view.story.line.toLowerCase()})` : ''}`;

/** The lines under an alert's title. */
function alertLines(view: AlertView): string[] {
  const lines = [
    marked(view),
    view.link,
    `${view.source.name}${view.source.host && view.source.host !== view.source.name ? ` (${view.source.host})` : ''} · ${view.published.text}`,
  ];
  if (view.why) lines.push(view.why);
  if (view.story) lines.push(`${view.story.line}: ${view.story.others.map((o) => o.link).join(' ')}`.trim());
  if (view.facts) lines.push(`Facts: ${view.facts}`);
  if (view.changes) lines.push(`What changed: ${view.changes}`);
  if (view.labels.length > 0) lines.push(`Labels: ${view.labels.map((l) => `${l.name}: ${l.value}`).join(', ')}`);
  return lines;
}

export const alertText = (view: AlertView) => alertLines(view).join('\n');

/** How to quiet a rule, with the status page when there is one: the email footer. */
export function footerText(view: AlertView): string {
  const lines = [
    `Rule ${view.footer.ruleId} (${view.rule.severity}). To quiet it, edit the rule:`,
    ...view.footer.mute.split('\n').map((l) => `  ${l}`),
  ];
  if (view.footer.statusUrl) lines.push(`Status page: ${view.footer.statusUrl}`);
  return lines.join('\n');
}

/** A digest's lines: per rule, one compact line per item (stories of several items indented). */
export function digestLines(view: DigestView): string[] {
  const lines: string[] = [];
  for (const group of view.groups) {
    lines.push(`${group.rule.name} (${group.rule.severity})`);
    for (const story of group.stories) {
      story.forEach((item, i) => lines.push(`${i === 0 ? '• ' : '    + '}${compactLine(item)}\n  ${item.link}`));
    }
  }
  return lines;
}

export const digestTitle = (view: DigestView) => (view.reason ? `${view.header} (${view.reason})` : view.header);
