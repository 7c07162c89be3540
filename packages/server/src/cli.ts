#!/usr/bin/env node
/**
 * `switchboard`, the package's command: for now it starts the server as `pnpm start` does
 * (main.ts: PORT, HOST, DATABASE_URL, SWITCHBOARD_DATA_DIR, …). A placeholder so the published
 * `bin` exists; the full command line (start, migrate, seed-demo, user …) replaces this file.
 *
 * @module
 */
import "./main.js"
