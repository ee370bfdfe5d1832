import type { DeliveryJob } from '../../queues/queues.js';
import { messageContent } from '../render.js';
import type { Channel } from './channel.js';

/** Prints alerts for a person at a terminal (logs go to the logger; this is the product's output). */
export class ConsoleChannel implements Channel {
  readonly type = 'console';
  constructor(
    readonly id: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  async send({ message }: DeliveryJob): Promise<void> {
    const { title, text } = messageContent(message);
    this.out.write(`ALERT ${title}\n${text.replace(/^/gm, '  ')}\n`);
  }
}
