/**
 * @switchboard/core — the domain of an omnichannel contact center: dialogs, messages, clients,
 * operators, routing, SLA calendars, and the ports adapters implement.
 *
 * Entry points export namespaces only (STYLE.md).
 */
// sla (owned by the SLA work)
// routing (owned by the routing work)
