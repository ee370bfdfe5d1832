import { startRole } from './start-role.js';

/** A process that only fetches and parses feeds (`newswatch start --role fetch`). */
await startRole('fetch');
