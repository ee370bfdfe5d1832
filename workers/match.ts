import { startRole } from './start-role.js';

/** A process that only matches articles against the rules (`newswatch start --role match`). */
await startRole('match');
