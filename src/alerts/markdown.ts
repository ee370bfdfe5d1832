/**
 * Feed text shown by receivers that read Markdown (Discord, Teams). A feed must not be able to plant a
 * link whose text hides its target (`[your bank](https://evil.example)`), ping, or restyle an alert, so
 * every character that Markdown gives a meaning is backslash-escaped (CommonMark and Discord both allow
 * escaping any ASCII punctuation). Bare URLs stay visible text: receivers may autolink them, but what
 * they show is where they go.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // Leading spaces would make an indented code block; line-start markers would make lists, headings, quotes.
      .replace(/^[ \t]+/gm, '')
      .replace(/[\\`*_~|<>[\]()#&!]/g, '\\$&')
      .replace(/^([-+=])/gm, '\\$1')
      .replace(/^(\d+)([.)])/gm, '$1\\$2')
  );
}
