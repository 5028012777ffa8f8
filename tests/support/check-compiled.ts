import { checkCompiledStatements } from '../../shared/db/index.js';

// Every call of a compiled-once statement is also built the slow way and compared (see compiledStatement).
checkCompiledStatements(true);
