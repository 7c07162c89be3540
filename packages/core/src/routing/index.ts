/**
 * Routing (OPS-02..06, ROUTING.md): the vocabulary and pure policies, the pass planner, the pure
 * routing state machine, the supervisor read model, and the `Router` service over the engine.
 */
export * from "./Routing.js"
export * from "./Planner.js"
export * from "./SupervisorView.js"
export * as RoutingModel from "./RoutingModel.js"
export * from "./Router.js"
