/** The built `dist/migrate.js`: checks the Node version before the process loads anything else. */
import { requireNode } from './require-node';

requireNode();
await import('../db/migrate-cli');
