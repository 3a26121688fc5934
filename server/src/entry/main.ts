/** The built `dist/main.js`: checks the Node version before the process loads anything else. */
import { requireNode } from './require-node';

requireNode();
await import('../main');
