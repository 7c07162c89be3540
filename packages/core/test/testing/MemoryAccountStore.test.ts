import { accountStoreContract } from "../../src/testing/contract.js"
import { MemoryAccountStore } from "../../src/testing/index.js"

accountStoreContract("in memory", () => MemoryAccountStore.layer)
