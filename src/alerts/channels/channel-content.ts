import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templatedContent, type ChannelTemplates } from '../templates.js';
import type { ViewSettings } from '../view-model.js';
import { renderOrFail } from '../delivery-error.js';

/** The content a channel sends, templates applied. */
export function channelContent(message: Message, templates: ChannelTemplates, settings?: ViewSettings): MessageContent {
  return renderOrFail(() => templatedContent(message, templates, settings));
}
