import { vi } from "vitest"
import { accountStoreContract } from "@switchboard/core/testing/contract"
import { SqlStore } from "../src/index.js"

// Each test boots its own in-memory PGlite (2–3 s of WebAssembly start-up).
vi.setConfig({ testTimeout: 60_000 })

accountStoreContract("SQL on PGlite", () => SqlStore.layerPglite())
