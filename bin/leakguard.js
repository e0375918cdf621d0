#!/usr/bin/env node
// Cache compiled code between runs: the hook starts a fresh process on every commit.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli.js');
