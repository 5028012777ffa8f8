/** Demo content for `npm start` outside production: complaints, a 你点我检 campaign and a recall, made through the use cases. */
export { DEMO_CAMPAIGN_TITLE, demoRecall, seedDemoContent } from './seed-content.js';
