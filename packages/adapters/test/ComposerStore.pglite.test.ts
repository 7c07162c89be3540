import { Layer } from "effect"
import { composerStoreContract } from "@switchboard/core/testing/contract"
import { SqlComposerStore, SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

// One PGlite for the file; each test migrates a fresh schema of it.
composerStoreContract("SQL on PGlite", () => Layer.merge(SqlStore.layer, SqlComposerStore.layer).pipe(Layer.provide(PgliteScratch.layer())))
