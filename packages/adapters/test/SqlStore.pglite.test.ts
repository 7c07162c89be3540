import { Layer } from "effect"
import { vi } from "vitest"
import { storeContract } from "@switchboard/core/testing/contract"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

// One in-memory PGlite per test file (its first test waits seconds for it to start); each test
// gets a fresh schema on it.
vi.setConfig({ testTimeout: 60_000 })

storeContract("SQL on PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())))
