/**
 * Routing (OPS-02..06, ROUTING.md): the vocabulary and pure policies, the pass planner, how
 * stored operators and dialogs read as routing's views (`Profile`), the supervisor read model,
 * and the `Router` service over the engine.
 */
export * from "./Routing.js"
export * from "./Planner.js"
export * from "./Profile.js"
export * from "./SupervisorView.js"
export * from "./Router.js"
