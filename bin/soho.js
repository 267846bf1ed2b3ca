#!/usr/bin/env node
// The `soho` command runs the TypeScript sources through tsx, so the CLI and the
// server share the same services without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
