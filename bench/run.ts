/** `npm run bench`: every benchmark in turn; each prints its own Markdown section. */
await import('./rules.js');
