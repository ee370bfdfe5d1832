import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, type Channel } from '../../../src/alerts/channels/index.js';
import { channelSchema } from '../../../src/config/schema.js';
import { SmtpReceiver } from '../../support/smtp-receiver.js';
import { alertMessage, delivery, digestMessage } from '../../unit/alerts/message-fixture.js';

describe('email channel against a loopback SMTP server', () => {
  const smtp = new SmtpReceiver();
  let port: number;
  const channels: Channel[] = [];
  const emailChannel = (extra: Record<string, unknown> = {}) => {
    const channel = createChannel(
      channelSchema.parse({
        id: 'mail',
        type: 'email',
        to: 'desk@example.test',
        from: 'newswatch@example.test',
        host: '127.0.0.1',
        port,
        ...extra,
      }),
      { timeoutMs: 5_000 },
    );
    channels.push(channel);
    return channel;
  };
  const mailWithSubject = (text: string) => smtp.messages.find((m) => m.subject?.includes(text));

  beforeAll(async () => {
    port = await smtp.start();
  });
  afterAll(async () => {
    await Promise.all(channels.map((c) => c.close?.()));
    await smtp.stop();
  });

  it('threads the alerts of one story under the story root, whichever comes first', async () => {
    const mail = emailChannel();
    const story = { id: 'st-7', sources: 1, links: [] };
    await mail.send(...delivery(alertMessage({ alertId: 'alert-a-1', title: 'First report on the deployment', story })));
    await mail.send(
      ...delivery(alertMessage({ alertId: 'alert-b-2', title: 'Second outlet carries the deployment', story: { ...story, sources: 2 } })),
    );
    await mail.send(
      ...delivery(alertMessage({ alertId: 'alert-c-3', title: 'A story of its own', story: { id: 'st-8', sources: 1, links: [] } })),
    );

    const first = mailWithSubject('First report')!;
    const second = mailWithSubject('Second outlet')!;
    const other = mailWithSubject('of its own')!;
    expect(first.messageId).toBe('<alert-a-1@newswatch>');
    expect(second.messageId).toBe('<alert-b-2@newswatch>');
    for (const m of [first, second]) {
      expect(m.inReplyTo).toBe('<story-st-7@newswatch>');
      expect(m.references).toBe('<story-st-7@newswatch>');
      expect(m.headers.get('auto-submitted')).toBe('auto-generated');
    }
    expect(other.references).toBe('<story-st-8@newswatch>');
  });

  it('sends text and HTML parts, templates escaped in the HTML only', async () => {
    await emailChannel({
      template: { subject: 'NK watch: {{ article.title }}', body: 'Terms: {{ matched | join: ", " }}\n{{ article.title }}' },
    }).send(...delivery(alertMessage({ alertId: 'alert-t-1', title: 'Troops & <tanks> "move"' })));
    const m = mailWithSubject('NK watch')!;
    expect(m.subject).toBe('NK watch: Troops & <tanks> "move"');
    // The text part ends with the footer every alert email carries: the rule and how to quiet it.
    expect(m.text).toMatch(
      /^\[North Korean troops\] Troops & <tanks> "move"\n\nTerms: North Korea, troops, Kursk\nTroops & <tanks> "move"\n\n-- \nRule nk-troops \(high\)\. To quiet it/,
    );
    expect(m.html).toContain(
      '<div style="white-space:pre-wrap;">Terms: North Korea, troops, Kursk\nTroops &amp; &lt;tanks&gt; &#34;move&#34;</div>',
    );
    expect(m.html).not.toContain('<tanks>');
  });

  it('gives a digest its own Message-ID and a list of items', async () => {
    await emailChannel().send(...delivery(digestMessage(3), 'digest-mail-1'));
    const m = mailWithSubject('3 new alerts for Rule')!;
    expect(m.messageId).toBe('<digest-mail-1@newswatch>');
    expect(m.inReplyTo).toBeUndefined();
    // One compact line (a table row with its link) per item.
    expect(String(m.html).match(/<tr><td style="padding:4px/g)).toHaveLength(3);
  });

  it('signs with DKIM when configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).replace(/\n/g, '\\n');
    await emailChannel({ dkim: { domain: 'example.test', selector: 'nw2026', private_key: pem } }).send(
      ...delivery(alertMessage({ alertId: 'alert-dkim', title: 'Signed alert' })),
    );
    const signature = mailWithSubject('Signed alert')!.headerLines.find((h) => h.key === 'dkim-signature')?.line ?? '';
    expect(signature).toMatch(/\bd=example\.test\b/);
    expect(signature).toMatch(/\bs=nw2026\b/);
    expect(signature).toMatch(/\bb=[A-Za-z0-9+/]/);
  });
});
