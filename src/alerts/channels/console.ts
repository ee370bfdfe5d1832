import type { DeliveryJob } from '../../queues/queues.js';
import { alertHeadline } from '../payload.js';
import type { Channel } from './channel.js';

/** Prints alerts for a person at a terminal (logs go to the logger; this is the product's output). */
export class ConsoleChannel implements Channel {
  readonly type = 'console';
  constructor(
    readonly id: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  async send({ alert }: DeliveryJob): Promise<void> {
    this.out.write(`ALERT ${alertHeadline(alert)}\n  ${alert.article.link}\n  ${alert.match.snippet}\n`);
  }
}
