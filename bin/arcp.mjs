#!/usr/bin/env node
// Entry shim: runs the TypeScript CLI through tsx so `npx arcp` works right after `npm install`
// with no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./arcp.ts', import.meta.url).href);
