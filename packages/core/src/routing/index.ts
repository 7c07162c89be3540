/**
 * Routing (OPS-02..06, ROUTING.md): the vocabulary and pure policies, the pass planner, the pure
 * routing state machine and the supervisor read model.
 */
export * from "./Routing.js"
export * from "./Planner.js"
export * from "./SupervisorView.js"
export * as RoutingModel from "./RoutingModel.js"
