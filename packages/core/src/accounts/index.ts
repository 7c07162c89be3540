/** Accounts and sessions: the service, its policy and errors, and the password rules. */
export { Accounts, AccountsConfig, AccountRejected, SignInRejected, defaultPolicy } from "./Accounts.js"
export type { AccountsPolicy, Authenticated, NewUser, SignedIn, SignInRequest, UserSummary } from "./Accounts.js"
export * as Password from "./Password.js"
