import { startRole } from './start-role.js';

/** A process that only routes alerts and delivers them to channels (`newswatch start --role deliver`). */
await startRole('deliver');
