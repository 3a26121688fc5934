/** The built `dist/credentials-rotate.js`: checks the Node version before the process loads anything else. */
import { requireNode } from './require-node';

requireNode();
await import('../credentials/rotate-cli');
