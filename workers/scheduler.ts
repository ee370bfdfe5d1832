import { startRole } from './start-role.js';

/** A process that only queues fetch jobs as feeds fall due (`newswatch start --role scheduler`). */
await startRole('scheduler');
