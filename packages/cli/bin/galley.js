#!/usr/bin/env node
import { main } from '../dist/galley.js';

process.exitCode = await main(process.argv);
