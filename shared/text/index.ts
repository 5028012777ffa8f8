/** Text normalisation shared by every domain that matches names typed by different people. */
export { isCjkToken, matchKey, searchTokens } from './normalize.js';
