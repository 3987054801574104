#!/usr/bin/env node
// The built CLI (npm run build writes dist/). Exit codes: 0 ok, 1 internal, 2 bad input, 3 infeasible.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
