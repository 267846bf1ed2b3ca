#!/usr/bin/env node
// The `soho` command runs the TypeScript sources through tsx, so the CLI and the
// server share the same services without a separate build step.
import { register } from 'tsx/esm/api';

// Logs go to standard error (standard output is for data), and only warnings unless asked.
process.env.SOHO_LOG_TO_STDERR = '1';
process.env.LOG_LEVEL ??= 'warn';
register();
await import('../src/cli/index.ts');
