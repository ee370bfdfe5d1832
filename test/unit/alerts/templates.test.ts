import { describe, expect, it } from 'vitest';
import { templateSchema, templateSyntaxError } from '../../../src/alerts/template-source.js';
import { ChannelTemplates, templateContext, templatedContent } from '../../../src/alerts/templates.js';
import { alertMessage, digestMessage, noticeMessage } from './message-fixture.js';

describe('templateContext', () => {
  it('gives an alert its rule, article, story, matched terms and snippet', () => {
    const ctx = templateContext(alertMessage());
    expect(ctx).toMatchObject({
      kind: 'alert',
      event: 'alert.matched',
      rule: { id: 'nk-troops', name: 'North Korean troops', severity: 'high' },
      article: { title: 'North Korea to send 6,000 troops to Kursk', link: 'https://news.example/kursk-1', source: 'wire' },
      story: { id: 'st-42', sources: 3 },
      matched: ['North Korea', 'troops', 'Kursk'],
      snippet: expect.stringContaining('«troops»'),
      content: { title: '[North Korean troops] North Korea to send 6,000 troops to Kursk' },
    });
  });

  it('gives a digest its alerts and a notice its notice', () => {
    const digest = templateContext(digestMessage(3)) as { alerts: Array<{ article: { title: string }; snippet: string }>; count: number };
    expect(digest.count).toBe(3);
    expect(digest.alerts.map((a) => a.article.title)).toEqual(['Headline number 0', 'Headline number 1', 'Headline number 2']);
    expect(digest.alerts[0]!.snippet).toContain('«troops»');
    expect(templateContext(noticeMessage)).toMatchObject({
      kind: 'notice',
      notice: { type: 'channel.unhealthy', subject: { id: 'slack-desk' } },
    });
  });

  it('has no story for an alert outside any story, rather than a missing key', () => {
    expect(templateContext(alertMessage({ story: undefined })).story).toBeNull();
  });
});

describe('ChannelTemplates', () => {
  it('renders Liquid with the context, loops and filters included', () => {
    const t = new ChannelTemplates({
      title: '{{ rule.name | upcase }}: {{ article.title }}',
      body: '{% for a in alerts %}- {{ a.article.title }}\n{% endfor %}{{ count }} alerts',
    });
    expect(t.render('title', templateContext(alertMessage()))).toBe('NORTH KOREAN TROOPS: North Korea to send 6,000 troops to Kursk');
    expect(t.render('body', templateContext(digestMessage(2)))).toBe('- Headline number 0\n- Headline number 1\n2 alerts');
    expect(t.render('subject', {})).toBeUndefined();
  });

  it('escapes every output in HTML mode and keeps the template markup', () => {
    const message = alertMessage({ title: '<script>alert("x")</script> & co' });
    const html = new ChannelTemplates({ body: '<b>{{ article.title }}</b>' }, 'html');
    expect(html.render('body', templateContext(message))).toBe('<b>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</b>');
    const text = new ChannelTemplates({ body: '<b>{{ article.title }}</b>' });
    expect(text.render('body', templateContext(message))).toBe('<b><script>alert("x")</script> & co</b>');
  });

  it('cannot read files from the host', () => {
    const t = new ChannelTemplates({ body: "{% include '/etc/hostname' %}" });
    expect(() => t.render('body', {})).toThrow(/template\.body failed to render/);
  });
});

describe('templatedContent', () => {
  it('replaces title and body and keeps the default link', () => {
    const content = templatedContent(
      alertMessage(),
      new ChannelTemplates({ title: '{{ article.title }}\n(wire)', body: 'Terms: {{ matched | join: ", " }}' }),
    );
    expect(content).toMatchObject({
      title: 'North Korea to send 6,000 troops to Kursk (wire)',
      text: 'Terms: North Korea, troops, Kursk',
      link: 'https://news.example/kursk-1',
    });
  });

  it('is the default rendering without templates', () => {
    expect(templatedContent(alertMessage(), new ChannelTemplates(undefined)).title).toBe(
      '[North Korean troops] North Korea to send 6,000 troops to Kursk',
    );
  });
});

describe('template syntax checks', () => {
  it('reports unclosed tags, unknown tags and unknown filters', () => {
    expect(templateSyntaxError('{% if rule %}x')).toMatch(/not closed/);
    expect(templateSyntaxError('{% iff rule %}{% endiff %}')).toMatch(/iff/);
    expect(templateSyntaxError('{{ article.title | shout }}')).toMatch(/undefined filter: shout/);
    expect(templateSyntaxError('{{ article.title | truncate: 40 }}')).toBeUndefined();
  });

  it('validates template fields in a channel schema, with the path of the bad one', () => {
    const schema = templateSchema(['title', 'body']);
    const result = schema.safeParse({ title: 'ok {{ rule.name }}', body: '{{ snippet | nope }}' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      { path: ['body'], message: expect.stringMatching(/^template does not parse: undefined filter: nope/) },
    ]);
    expect(schema.safeParse({ subject: 'x' }).success).toBe(false);
  });
});
