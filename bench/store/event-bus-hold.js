/**
 * Medusa's local (in-memory) event bus, unchanged except that an event emitted with a delay is
 * held past the benchmark instead of 5 s: what the payment module's `webhook_delay` option would
 * do, were it read in 2.21.2 (the built-in webhook route looks for it on the module service, where
 * it is never set). The ack runs use it so that both routes pay the same emit (one timer per
 * event) while the `payment.webhook_received` subscriber runs they queue fall outside the
 * measurement; the store is then restarted, which drops them.
 */
const local = require("@medusajs/event-bus-local")

/** setTimeout's largest delay (about 24.8 days). */
const HOLD_MS = 2 ** 31 - 1

class HoldingEventBusService extends local.service {
  /** Emits as the local bus does; a delayed event's delay becomes HOLD_MS. */
  async emit(eventsData, options = {}) {
    return super.emit(eventsData, options && options.delay ? { ...options, delay: HOLD_MS } : options)
  }
}

module.exports = {
  default: { service: HoldingEventBusService, loaders: local.loaders },
  service: HoldingEventBusService,
  loaders: local.loaders,
}
