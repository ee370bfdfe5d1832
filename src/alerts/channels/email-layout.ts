import { footerText } from '../plain-text.js';
import { compactHeadline, compactMeta, SEVERITY_COLORS, type AlertView, type DigestView, type SnippetPart } from '../view-model.js';

/**
 * The HTML email, laid out the way mail clients render reliably (Gmail, Outlook, Apple Mail): nested
 * tables, inline styles, no external images or fonts, at most 600 px wide, and a `<style>` block only for
 * what inline styles cannot say (dark mode, narrow screens). Every value from a feed is escaped.
 */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const MUTED = '#5f6b7a';
// Long unbroken feed text (URLs, 2,000-character titles) must wrap, not widen the message.
const WRAP = 'overflow-wrap:anywhere;word-break:break-word;';

const HEAD_STYLE = `
  :root { color-scheme: light dark; supported-color-schemes: light dark; }
  @media (prefers-color-scheme: dark) {
    .nw-page { background:#0f1115 !important; }
    .nw-card { background:#1a1d23 !important; color:#e8eaed !important; }
    .nw-muted { color:#a4adb9 !important; }
    .nw-link { color:#8ab4f8 !important; }
    .nw-mark { background:#5c4b00 !important; color:#fff3bf !important; }
    .nw-code { background:#23272e !important; color:#e8eaed !important; }
    .nw-pill { background:#2a2f37 !important; color:#e8eaed !important; }
  }
  @media (max-width: 620px) {
    .nw-card { width:100% !important; }
    .nw-pad { padding-left:16px !important; padding-right:16px !important; }
  }`;

function page(title: string, color: string, content: string, footer: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(title)}</title><style>${HEAD_STYLE}</style></head>
<body class="nw-page" style="margin:0;padding:0;background:#f2f4f7;">
<table role="presentation" class="nw-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f2f4f7;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" class="nw-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:100%;background:#ffffff;color:#1f2328;border-radius:8px;font-family:${FONT};font-size:15px;line-height:1.5;">
<tr><td style="height:6px;background:${color};border-radius:8px 8px 0 0;font-size:0;line-height:0;">&nbsp;</td></tr>
<tr><td class="nw-pad" style="padding:20px 28px 8px 28px;${WRAP}">
${content}
</td></tr>
<tr><td class="nw-pad nw-muted" style="padding:12px 28px 20px 28px;border-top:1px solid #e4e7ec;font-size:12px;color:${MUTED};${WRAP}">
${footer}
</td></tr>
</table>
</td></tr></table>
</body></html>
`;
}

const link = (href: string, text: string, title?: string, style = '') =>
  `<a class="nw-link" href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''} style="color:#0b57d0;text-decoration:none;${style}">${text}</a>`;

const snippetHtml = (parts: readonly SnippetPart[]) =>
  parts
    .map((p) =>
      p.matched
        ? `<mark class="nw-mark" style="background:#fff3bf;color:#1f2328;padding:0 2px;border-radius:2px;">${escapeHtml(p.text)}</mark>`
        : escapeHtml(p.text),
    )
    .join('');

const badge = (view: Pick<AlertView, 'rule'>) =>
  `<span style="display:inline-block;padding:1px 8px;border-radius:10px;background:${view.rule.color};color:#ffffff;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:0.04em;">${escapeHtml(view.rule.severity)}</span>`;

const pill = (text: string) =>
  `<span class="nw-pill" style="display:inline-block;margin:0 4px 4px 0;padding:1px 8px;border-radius:10px;background:#eef1f5;color:#344054;font-size:12px;">${escapeHtml(text)}</span>`;

const button = (href: string) =>
  `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:16px 0 12px 0;"><tr><td style="border-radius:6px;background:#0b57d0;">` +
  `<a href="${escapeHtml(href)}" style="display:inline-block;padding:9px 18px;color:#ffffff;text-decoration:none;font-weight:600;font-size:14px;">Open article</a></td></tr></table>`;

/**
 * The alert's body: rule and severity, headline, source and time, then highlighted snippet, why, story,
 * facts and labels; a body template replaces that second part, a title template the headline.
 */
function alertContentHtml(view: AlertView, overrides: { title?: string; body?: string } = {}): string {
  const headline = overrides.title;
  const parts = [
    `<p style="margin:0 0 8px 0;font-size:13px;">${badge(view)} <span class="nw-muted" style="color:${MUTED};">${escapeHtml(view.rule.name)}${view.followUp ? ' · follow-up' : ''}</span></p>`,
    `<h1 style="margin:0 0 6px 0;font-size:21px;line-height:1.3;font-weight:700;">${view.link ? link(view.link, headline ?? escapeHtml(view.headline), view.headlineFull, 'color:inherit;') : (headline ?? escapeHtml(view.headline))}</h1>`,
    `<p class="nw-muted" style="margin:0 0 14px 0;font-size:13px;color:${MUTED};">${escapeHtml(view.source.name)}${view.source.host && view.source.host !== view.source.name ? ` · ${escapeHtml(view.source.host)}` : ''} · ${escapeHtml(view.published.text)}</p>`,
  ];
  if (overrides.body !== undefined) {
    parts.push(`<div style="white-space:pre-wrap;">${overrides.body}</div>`);
    if (view.link) parts.push(button(view.link));
    return parts.join('\n');
  }
  parts.push(`<p style="margin:0 0 12px 0;">${snippetHtml(view.snippet)}</p>`);
  if (view.why)
    parts.push(
      `<p style="margin:0 0 8px 0;font-size:13px;"><strong>Why it matched:</strong> ${view.matched.map((m) => `<mark class="nw-mark" style="background:#fff3bf;color:#1f2328;padding:0 2px;border-radius:2px;">${escapeHtml(m)}</mark>`).join(', ')}</p>`,
    );
  if (view.story) {
    const others = view.story.others.map((o) => link(o.link, escapeHtml(o.host || o.link))).join(', ');
    parts.push(
      `<p style="margin:0 0 8px 0;font-size:13px;"><strong>${escapeHtml(view.story.line)}</strong>${others ? `: ${others}` : ''}</p>`,
    );
  }
  if (view.facts) parts.push(`<p style="margin:0 0 8px 0;font-size:13px;"><strong>Facts:</strong> ${escapeHtml(view.facts)}</p>`);
  if (view.changes)
    parts.push(`<p style="margin:0 0 8px 0;font-size:13px;"><strong>What changed:</strong> ${escapeHtml(view.changes)}</p>`);
  if (view.labels.length > 0)
    parts.push(`<p style="margin:8px 0 0 0;">${view.labels.map((l) => pill(`${l.name}: ${l.value}`)).join('')}</p>`);
  if (view.link) parts.push(button(view.link));
  return parts.join('\n');
}

function alertFooterHtml(view: AlertView): string {
  const [intro, ...snippet] = footerText(view).split('\n');
  const status = view.footer.statusUrl ? snippet.pop() : undefined;
  const lines = [
    `<p style="margin:0 0 6px 0;">${escapeHtml(intro!)}</p>`,
    `<pre class="nw-code" style="margin:0 0 8px 0;padding:8px 10px;background:#f5f7fa;border-radius:4px;font-family:Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;${WRAP}">${escapeHtml(snippet.map((l) => l.trimStart()).join('\n'))}</pre>`,
  ];
  if (status && view.footer.statusUrl) lines.push(`<p style="margin:0;">${link(view.footer.statusUrl, 'newswatch status page')}</p>`);
  return lines.join('\n');
}

export function alertEmailHtml(view: AlertView, overrides: { title?: string; body?: string } = {}): string {
  return page(view.headlineFull, view.rule.color, alertContentHtml(view, overrides), alertFooterHtml(view));
}

/** The digest: header, then per rule its items, one compact line each; a story's later items indented. */
export function digestEmailHtml(view: DigestView, overrides: { title?: string; body?: string } = {}): string {
  const worst = [...Object.keys(SEVERITY_COLORS)].reverse().find((s) => view.items.some((i) => i.rule.severity === s)) ?? 'medium';
  const header = `<h1 style="margin:0 0 4px 0;font-size:20px;line-height:1.3;">${overrides.title ?? escapeHtml(view.header)}</h1>${view.reason ? `<p class="nw-muted" style="margin:0 0 12px 0;font-size:13px;color:${MUTED};">${escapeHtml(view.reason)}</p>` : ''}`;
  let body = overrides.body !== undefined ? `<div style="white-space:pre-wrap;">${overrides.body}</div>` : '';
  if (overrides.body === undefined) {
    for (const group of view.groups) {
      body += `<h2 style="margin:18px 0 6px 0;font-size:15px;border-left:4px solid ${group.rule.color};padding-left:8px;">${escapeHtml(group.rule.name)}</h2>\n`;
      body += '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;">\n';
      for (const story of group.stories) {
        story.forEach((item, i) => {
          const headline = compactHeadline(item);
          body += `<tr><td style="padding:4px 0 4px ${i === 0 ? 0 : 18}px;border-bottom:1px solid #eef0f3;${WRAP}">${i === 0 ? '' : '↳ '}${link(item.link, escapeHtml(headline), item.headlineFull)} <span class="nw-muted" style="color:${MUTED};font-size:12px;">— ${escapeHtml(compactMeta(item))}</span></td></tr>\n`;
        });
      }
      body += '</table>\n';
    }
  }
  const footer = view.footer.statusUrl
    ? `<p style="margin:0;">${link(view.footer.statusUrl, 'newswatch status page')} · list them with <code>newswatch alerts</code></p>`
    : '<p style="margin:0;">List recent alerts with <code>newswatch alerts</code>.</p>';
  return page(view.header, SEVERITY_COLORS[worst]!, header + body, footer);
}

/** Notices (a feed or channel stopped working): title and text in the same frame. */
export function noticeEmailHtml(title: string, text: string, overrides: { title?: string; body?: string } = {}): string {
  const content = `<h1 style="margin:0 0 8px 0;font-size:20px;">${overrides.title ?? escapeHtml(title)}</h1>${overrides.body !== undefined ? `<div style="white-space:pre-wrap;">${overrides.body}</div>` : `<p style="margin:0 0 12px 0;">${escapeHtml(text).replace(/\n/g, '<br>')}</p>`}`;
  return page(title, SEVERITY_COLORS.high!, content, '<p style="margin:0;">A message about newswatch itself.</p>');
}
