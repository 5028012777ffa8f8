/** Staff accounts: sign-in and administration shapes, and the demo roster. */
export * from './vocabulary.js';
export * from './schemas.js';
export { DEMO_PASSWORD, demoRoster, SeedRefusedError, seedDemoData } from './demo-roster.js';
export { overseeingCodes, regulatorsOver } from './regulators.js';
