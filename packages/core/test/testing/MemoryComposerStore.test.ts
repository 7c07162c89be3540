import { composerStoreContract } from "../../src/testing/contract.js"
import { MemoryComposerStore } from "../../src/testing/index.js"

composerStoreContract("in memory", () => MemoryComposerStore.layer)
