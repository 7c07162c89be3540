import { Layer } from "effect"
import { accountStoreContract } from "@switchboard/core/testing/contract"
import { SqlAccountStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

// One PGlite for the file (seconds of WebAssembly start-up, once); each test migrates a fresh schema of it.
accountStoreContract("SQL on PGlite", () => SqlAccountStore.layerMigrated.pipe(Layer.provide(PgliteScratch.layer())))
