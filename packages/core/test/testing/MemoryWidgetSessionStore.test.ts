import { widgetSessionStoreContract } from "../../src/testing/contract.js"
import { MemoryWidgetSessionStore } from "../../src/testing/index.js"

widgetSessionStoreContract("in memory", () => MemoryWidgetSessionStore.layer)
