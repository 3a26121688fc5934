import { z } from 'zod';

// zod probes whether `new Function` works to speed up parsing; under our Content-Security-Policy
// (no 'unsafe-eval') that probe is reported as a violation. Imported first: zod decides when
// schemas are created, at module load.
z.config({ jitless: true });
