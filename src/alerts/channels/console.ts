import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import { logsArePretty } from '../../log/logger.js';
import { ChannelTemplates } from '../templates.js';
import type { Message } from '../message.js';
import { defaultViewSettings, type ViewSettings } from '../view-model.js';
import { channelType, type Channel, type RenderedMessage } from './channel.js';
import { channelContent } from './channel-content.js';
import { consoleSchema } from './channel-schemas.js';

type ConsoleChannelConfig = ChannelConfigOf<typeof consoleSchema>;

/**
 * Prints alerts for a person at a terminal (logs go to the logger; this is the product's output). On
 * stdout, unless JSON log lines go there: then on stderr, so a log collector never reads an alert as a
 * broken log line.
 */
class ConsoleChannel implements Channel {
  readonly type = 'console';
  readonly id: string;
  private readonly templates: ChannelTemplates;

  constructor(
    config: Pick<ConsoleChannelConfig, 'id' | 'template'>,
    private readonly out: NodeJS.WritableStream = consoleAlertStream(),
    private readonly view: ViewSettings = defaultViewSettings,
  ) {
    this.id = config.id;
    this.templates = new ChannelTemplates(config.template);
  }

  render(message: Message): RenderedMessage & { kind: 'text' } {
    const { title, text } = channelContent(message, this.templates, this.view);
    return { kind: 'text', text: `ALERT ${title}\n${text.replace(/^/gm, '  ')}\n` };
  }

  async send(message: Message): Promise<void> {
    this.out.write(this.render(message).text);
  }
}

/** Where console alerts go: stdout beside pretty logs (or none), stderr when stdout carries JSON logs. */
function consoleAlertStream(): NodeJS.WritableStream {
  return logsArePretty() ? process.stdout : process.stderr;
}

export const consoleChannel = channelType(consoleSchema, (config, env) => new ConsoleChannel(config, consoleAlertStream(), env.view));
