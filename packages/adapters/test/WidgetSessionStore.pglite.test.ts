import { Layer } from "effect"
import { widgetSessionStoreContract } from "@switchboard/core/testing/contract"
import { SqlStore, SqlWidgetSessionStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

// One PGlite for the file; each test migrates a fresh schema of it.
widgetSessionStoreContract("SQL on PGlite", () => Layer.merge(SqlStore.layer, SqlWidgetSessionStore.layer).pipe(Layer.provide(PgliteScratch.layer())))
